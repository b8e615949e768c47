"""What every case service shares: the case's audit entry, "the case got a new entry",
the closed-case check and the two lead-team checks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.access import policy
from samverkan.access.permissions import Permission
from samverkan.audit import services as audit
from samverkan.cases.models import Case, CaseStatus

if TYPE_CHECKING:
    from samverkan.accounts.models import User


_audit_case = audit.record_case_event  # subject: the case and its lead organisation


def case_touch(*, case: Case) -> None:
    """Record that the case got a new entry (drives retention: N years after this)."""
    Case.objects.filter(pk=case.pk).update(last_entry_at=timezone.now())


def require_case_open(case: Case) -> None:
    """Closed and declined cases are read-only (except their follow-ups and legal hold).
    Services that add or change entries of a case call this first."""
    if case.status not in (CaseStatus.INTAKE, CaseStatus.ACTIVE):
        raise ValidationError(_("The case is closed and can no longer change."), code="closed")


def _require_lead_coordinator(actor: User, access: policy.CaseAccess) -> None:
    policy.require_case_permission(actor=actor, access=access, permission=Permission.CASE_TEAM_MANAGE)
    if not policy.is_lead_coordinator(access):
        raise PermissionDenied


def _require_lead_decider(actor: User, access: policy.CaseAccess) -> None:
    """The lead organisation's team, with the right to decide (CASE_DECIDE)."""
    policy.require_case_permission(actor=actor, access=access, permission=Permission.CASE_DECIDE)
    if not access.is_lead_team:
        raise PermissionDenied
