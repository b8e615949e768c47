"""A break-the-glass access and a drawn log review for Järva."""

from __future__ import annotations

from datetime import date

from samverkan.accounts.models import User
from samverkan.caseaccess.selectors import case_for_actor
from samverkan.cases import services as cases
from samverkan.cases.models import Case, CaseStatus, EmergencyAccess
from samverkan.directory.models import Organisation
from samverkan.logreview.services import review_sample


def log_review_demo(today: date) -> None:
    """A break-the-glass access and a drawn log review of the current month for Järva."""
    chef = User.objects.filter(username="jarva.chef", is_demo=True).first()
    if chef is not None and not EmergencyAccess.objects.filter(user=chef).exists():
        case = (
            Case.objects.filter(
                lead_organisation=chef.organisation,
                person__is_fictitious=True,
                status=CaseStatus.ACTIVE,
            )
            .order_by("pk")
            .first()
        )
        if case is not None:
            cases.emergency_access_grant(
                actor=chef,
                case=case,
                reason="Akut oro för deltagarens säkerhet en helgkväll; handläggaren nås inte.",
            )
            case_for_actor(actor=chef, public_id=case.public_id, purpose="Akut läge")
    jarva = Organisation.objects.filter(short_code="sdf-jarva").first()
    if jarva is not None:
        review_sample(organisation_id=jarva.pk, month=today.replace(day=1))
