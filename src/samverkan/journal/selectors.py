"""Reading journal notes through the case's sharing rules (caseaccess.CaseAccess).

Every queryset here is filtered by ``access.items_q()``: a note recorded by another
organisation is returned only under a valid consent or a statutory disclosure that
covers it. Counts are taken from the same filtered queryset, so they never reveal notes
the viewer may not see.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.core.paginator import Page, Paginator
from django.db.models import Exists, F, OuterRef, Q, QuerySet

from samverkan.access import policy
from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.caseaccess.decision import CaseAccess
from samverkan.cases.models import InformationCategory
from samverkan.journal.models import JournalNote

if TYPE_CHECKING:
    from samverkan.accounts.models import User

NOTES_PER_PAGE = 25


def _visible_base(*, case: Any, access: CaseAccess) -> QuerySet[JournalNote]:
    return (
        JournalNote.objects.filter(case_id=case.pk)
        .filter(access.items_q())
        .filter(Q(signed_at__isnull=False) | Q(author_id=access.viewer_id))
    )


def notes_visible(*, case: Any, access: CaseAccess) -> QuerySet[JournalNote]:
    """Signed notes the viewer's organisation may see, plus the viewer's own drafts.

    Each note carries ``has_visible_correction`` (a signed correction the viewer may
    see exists) and ``corrects_visible`` (the note it corrects is visible too), so a page
    can mark corrected notes without hinting at notes the viewer may not see."""
    visible = _visible_base(case=case, access=access)
    return visible.annotate(
        has_visible_correction=Exists(
            visible.filter(corrects_id=OuterRef("pk"), signed_at__isnull=False)
        ),
        corrects_visible=Exists(visible.filter(pk=OuterRef("corrects_id"))),
        corrects_public_id=F("corrects__public_id"),
    ).select_related("author", "recorded_by_organisation")


def recent_notes(*, case: Any, access: CaseAccess, limit: int = 5) -> list[JournalNote]:
    """The newest notes the viewer may see, for the case overview: date, organisation,
    category, draft or not and the text (no correction links; the journal page has them)."""
    return list(
        _visible_base(case=case, access=access)
        .select_related("recorded_by_organisation")
        .only("occurred_on", "created_at", "category", "text", "signed_at", "recorded_by_organisation__name")
        .order_by("-occurred_on", "-created_at")[:limit]
    )


def note_for_actor(*, case: Any, access: CaseAccess, public_id: UUID) -> JournalNote:
    """One visible note; 404 for a note the viewer may not see (as for a missing one)."""
    return policy.get_or_404(notes_visible(case=case, access=access), public_id=public_id)


@dataclass(frozen=True)
class NotesPage:
    page: Page[Any]
    notes: list[JournalNote]
    category: str
    total: int


def notes_page(
    *, actor: User, case: Any, access: CaseAccess, category: str = "", page: int = 1
) -> NotesPage:
    """One page of the notes the viewer may see, newest first, optionally of one
    category. A fixed number of queries whatever the number of notes. Audited as
    NOTES_VIEWED with the number of notes shown (ids of the notes, never their text)."""
    qs = notes_visible(case=case, access=access)
    if category in InformationCategory.values:
        qs = qs.filter(category=category)
    else:
        category = ""
    paginator = Paginator(qs.order_by("-occurred_on", "-created_at", "-pk"), NOTES_PER_PAGE)
    page_obj = paginator.get_page(page)
    notes = list(page_obj.object_list)
    audit.record(
        action=Action.NOTES_VIEWED,
        actor=actor,
        subject_type="case",
        subject_id=case.public_id,
        subject_organisation_id=case.lead_organisation_id,
        detail={"shown": len(notes), "notes": [n.pk for n in notes], "category": category or None},
    )
    return NotesPage(page=page_obj, notes=notes, category=category, total=paginator.count)
