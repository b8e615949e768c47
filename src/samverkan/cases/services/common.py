"""What every case service shares: the case's audit entry, "the case got a new entry",
and the closed-case check. What the actor may do in the case is asked of the
caller's CaseAccess (samverkan.caseaccess, typed here as cases.actions.CaseGate)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.audit import services as audit
from samverkan.cases.changes import case_changed
from samverkan.cases.models import Case, CaseStatus

if TYPE_CHECKING:
    pass


_audit_case = audit.record_case_event  # subject: the case and its lead organisation


def case_touch(*, case: Case) -> None:
    """Record that the case got a new entry (drives retention: N years after this), and
    tell what is derived from the case (reminders) that it changed (cases.changes)."""
    Case.objects.filter(pk=case.pk).update(last_entry_at=timezone.now())
    case_changed(case)


def require_case_open(case: Case) -> None:
    """Closed and declined cases are read-only (except their follow-ups and legal hold).
    Services that add or change entries of a case call this first."""
    if case.status not in (CaseStatus.INTAKE, CaseStatus.ACTIVE):
        raise ValidationError(_("The case is closed and can no longer change."), code="closed")
