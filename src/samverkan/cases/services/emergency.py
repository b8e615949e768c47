"""Break the glass: time-limited read access in an emergency, flagged for log review."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.access import policy
from samverkan.access.permissions import Permission
from samverkan.audit.actions import Action
from samverkan.cases.models import Case, EmergencyAccess
from samverkan.cases.services.common import _audit_case

if TYPE_CHECKING:
    from samverkan.accounts.models import User

EMERGENCY_ACCESS_HOURS = 4


@transaction.atomic
def emergency_access_grant(*, actor: User, case: Case, reason: str) -> EmergencyAccess:
    """Break the glass: read access to a case led by the actor's own organisation,
    for EMERGENCY_ACCESS_HOURS, with a written reason. Flagged for log review."""
    if not policy.has_permission(actor, Permission.CASE_BREAK_GLASS):
        raise PermissionDenied
    if case.lead_organisation_id != actor.organisation_id:
        raise PermissionDenied
    if len(reason.strip()) < 20:
        raise ValidationError(_("Describe the emergency in at least 20 characters."))
    grant = EmergencyAccess.objects.create(
        case=case,
        user=actor,
        reason=reason.strip(),
        expires_at=timezone.now() + timedelta(hours=EMERGENCY_ACCESS_HOURS),
    )
    _audit_case(
        Action.EMERGENCY_ACCESS,
        actor,
        case,
        {"hours": EMERGENCY_ACCESS_HOURS, "flagged": True},
        purpose=_("Emergency access"),
    )
    return grant
