"""The participant's guardians, registered through the case (the lead organisation's
team, with a role that may manage consent)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samverkan.cases.actions import CaseAction, CaseGate
from samverkan.cases.models import Case
from samverkan.cases.services.common import case_touch
from samverkan.lib.identity_numbers import IdentityNumber
from samverkan.people.services import guardian_add

if TYPE_CHECKING:
    from samverkan.accounts.models import User


@transaction.atomic
def case_guardian_add(
    *,
    actor: User,
    case: Case,
    access: CaseGate,
    identity: IdentityNumber,
    first_name: str,
    last_name: str,
    phone: str = "",
) -> Any:
    """Register a guardian of the case's participant. Audited by people.services.guardian_add."""
    access.require(CaseAction.MANAGE_CONSENT)
    if identity.digits == case.person.identity_number:
        raise ValidationError(_("That is the participant's own identity number."))
    guardianship = guardian_add(
        actor=actor,
        child=case.person,
        identity=identity,
        first_name=first_name,
        last_name=last_name,
        phone=phone,
        subject_organisation_id=case.lead_organisation_id,
        is_fictitious=case.person.is_fictitious,
    )
    case_touch(case=case)
    return guardianship
