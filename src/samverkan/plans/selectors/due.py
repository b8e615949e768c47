"""Commitments coming due, for reminders (bevakning): one case, or every case the actor
may open, each filtered by the actor's own CaseAccess."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from samverkan.caseaccess.decision import CaseAccess
from samverkan.caseaccess.selectors import VisibleCases, entries_visible, visible_cases
from samverkan.plans.models import OPEN_COMMITMENT_STATUSES, Commitment

if TYPE_CHECKING:
    from samverkan.accounts.models import User


@dataclass(frozen=True)
class DueCommitment:
    commitment: Commitment
    case: Any
    access: CaseAccess

    @property
    def overdue(self) -> bool:
        return self.commitment.due_on < timezone.localdate()


def commitments_due(
    *,
    actor: User | None = None,
    case: Any = None,
    access: CaseAccess | None = None,
    within_days: int = 14,
    today: date | None = None,
    responsible_only: bool = False,
) -> list[DueCommitment]:
    """Open commitments (planned or in progress) due within ``within_days`` days from
    ``today``, overdue ones included, soonest first.

    Either ``case`` + ``access`` (one case the caller has opened), or ``actor``: every
    case the actor may open (cases_visible_to), each filtered by the actor's own
    CaseAccess — a fixed number of queries whatever the number of cases. With
    ``responsible_only`` only the actor's own commitments are returned (they must still
    be visible to the actor). Not audited: the caller (a reminders page or digest)
    audits what it shows."""
    today = today or timezone.localdate()
    until = today + timedelta(days=within_days)
    base = Commitment.objects.filter(status__in=OPEN_COMMITMENT_STATUSES, due_on__lte=until)
    if case is not None:
        if access is None:
            raise ValueError("commitments_due(case=...) needs the viewer's access")
        within = VisibleCases.one(case, access)
    else:
        if actor is None:
            raise ValueError("commitments_due needs an actor or a case")
        within = visible_cases(actor=actor)
    if not within.accesses:
        return []
    qs = entries_visible(actor, base, within=within)
    if responsible_only and actor is not None:
        qs = qs.filter(responsible_id=actor.pk)
    rows = qs.select_related("organisation", "responsible", "recorded_by_organisation").order_by(
        "due_on", "pk"
    )
    return [
        DueCommitment(commitment=c, case=within.cases[c.case_id], access=within.accesses[c.case_id])
        for c in rows
    ]
