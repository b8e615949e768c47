"""The follow-up report for one viewer: on the page and as a PDF (lib.documents, from the
autoescaped template agreement/pdf/report.html). Each read is audited: the report shows
what each party has done and not done."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from samverkan.agreement.models import Agreement
from samverkan.agreement.selectors.follow_up import FollowUpReport, follow_up_report
from samverkan.agreement.services.common import record
from samverkan.audit.actions import Action
from samverkan.lib.documents import render_pdf

if TYPE_CHECKING:
    from samverkan.accounts.models import User


@transaction.atomic
def report_for_viewer(*, actor: User, agreement: Agreement) -> FollowUpReport:
    data = follow_up_report(agreement=agreement)
    record(Action.AGREEMENT_REPORT_VIEWED, actor=actor, agreement=agreement)
    return data


def report_pdf(*, actor: User, agreement: Agreement) -> bytes:
    with transaction.atomic():
        data = follow_up_report(agreement=agreement)
        record(Action.AGREEMENT_REPORT_EXPORTED, actor=actor, agreement=agreement)
    return render_pdf(template_name="agreement/pdf/report.html", title=_("Follow-up of the collaboration agreement"),
                      context={"agreement": agreement, "report": data})
