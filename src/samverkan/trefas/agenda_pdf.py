"""A meeting's agenda as a PDF: exactly the agenda this viewer sees on the meeting page
(selectors.agenda, the joint picture through TrefasAccess.shares_q), laid out from
trefas/pdf/agenda.html by lib.documents (autoescaped: what people typed is printed, never
interpreted). Every PDF is audited (selectors.agenda.agenda_for_export). No name is in
the document's title or running header."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from samverkan.lib.documents import render_pdf
from samverkan.trefas.decision import TrefasAccess
from samverkan.trefas.models import Forum, ForumMeeting
from samverkan.trefas.selectors.agenda import agenda_for_export

if TYPE_CHECKING:
    from samverkan.accounts.models import User


def agenda_pdf(*, actor: User, forum: Forum, access: TrefasAccess, meeting: ForumMeeting) -> bytes:
    """The agenda PDF of ``meeting`` for this viewer; audited."""
    agenda = agenda_for_export(actor=actor, forum=forum, access=access, meeting=meeting)
    when = formats.date_format(timezone.localtime(meeting.scheduled_for), "j F Y H:i")
    return render_pdf(
        template_name="trefas/pdf/agenda.html",
        title=_("Trefas agenda"),
        context={"forum": forum, "meeting": meeting, "agenda": agenda, "when": when,
                 "heading": _("Agenda: %(forum)s, %(when)s") % {"forum": forum.name, "when": when}},
    )
