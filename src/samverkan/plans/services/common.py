"""What every plan service shares: the case's audit entry, the writable-case check
(plans and meetings change only while the case is open), the edit check, the plan row
and "the plan changed" (a new draft revision)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.audit import services as audit
from samverkan.caseaccess import CaseAction
from samverkan.caseaccess.decision import CaseAccess
from samverkan.cases.models import Case, CaseStatus, InformationCategory
from samverkan.plans.models import PLAN_ENTRY_CATEGORIES, ActionPlan

if TYPE_CHECKING:
    from samverkan.accounts.models import User


_CATEGORIES = {value for value, _label in PLAN_ENTRY_CATEGORIES}


_audit = audit.record_case_event  # subject: the case and its lead organisation


def require_writable(case: Case) -> None:
    """Plans and meetings change only while the case is open (intake or active)."""
    if case.status not in (CaseStatus.INTAKE, CaseStatus.ACTIVE):
        raise ValidationError(_("The case is closed: its plan and meetings can no longer change."))


def _require_edit(actor: User, case: Case, access: CaseAccess) -> None:
    access.require(CaseAction.EDIT_PLAN)
    require_writable(case)


def plan_get_or_create(*, case: Case) -> ActionPlan:
    """The case's plan row (created on the first write; recorded by the lead
    organisation in category "plan"). Callers have checked the policy."""
    plan, _created = ActionPlan.objects.get_or_create(
        case=case,
        defaults={
            "recorded_by_organisation_id": case.lead_organisation_id,
            "category": InformationCategory.PLAN,
        },
    )
    return plan


def _plan_changed(plan: ActionPlan) -> None:
    ActionPlan.objects.filter(pk=plan.pk).update(
        revision=F("revision") + 1, has_draft_changes=True, updated_at=timezone.now()
    )
