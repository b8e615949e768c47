"""Decisions in the minutes, and turning a decision into a commitment in the plan
(plans.services checks CASE_PLAN_EDIT); once per decision."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.audit.actions import Action
from samverkan.caseaccess.decision import CaseAccess
from samverkan.cases.models import Case, InformationCategory, TeamMember
from samverkan.cases.services import case_touch
from samverkan.meetings.models import Decision, DecisionCommitment, Minutes
from samverkan.meetings.services.common import _audit, _require_manage, _require_own_draft
from samverkan.plans.services import commitment_create

if TYPE_CHECKING:
    from samverkan.accounts.models import User


@transaction.atomic
def decision_add(
    *,
    actor: User,
    case: Case,
    access: CaseAccess,
    minutes: Minutes,
    text: str,
    responsible: Any = None,
    due_on: date | None = None,
) -> Decision:
    """A decision in the actor's own draft minutes."""
    _require_manage(actor, case, access)
    _require_own_draft(actor, case, minutes)
    if not text.strip():
        raise ValidationError({"text": _("Write the decision.")})
    organisation_id = None
    if responsible is not None:
        member = TeamMember.objects.filter(case=case, user=responsible, active=True).first()
        if member is None:
            raise ValidationError(
                {"responsible": _("The responsible person must be on the case team.")}
            )
        organisation_id = member.organisation_id
    decision = Decision.objects.create(
        minutes=minutes,
        case=case,
        text=text.strip(),
        responsible=responsible,
        organisation_id=organisation_id,
        due_on=due_on,
    )
    # A new decision changes the minutes: an editor holding the old version must reload.
    Minutes.objects.filter(pk=minutes.pk).update(
        version=F("version") + 1, updated_at=timezone.now()
    )
    case_touch(case=case)
    _audit(
        Action.MEETING_DECISION_ADDED,
        actor,
        case,
        {"minutes": str(minutes.public_id), "decision": str(decision.public_id)},
    )
    return decision


@transaction.atomic
def decision_to_commitment(
    *,
    actor: User,
    case: Case,
    access: CaseAccess,
    decision: Decision,
    description: str,
    responsible: Any,
    due_on: date,
    goal: Any = None,
    category: str = InformationCategory.PLAN,
    status: str = "planned",
    follow_up_note: str = "",
) -> Any:
    """Turn a meeting decision into a commitment in the plan (recorded by the actor's
    organisation; plans.services checks CASE_PLAN_EDIT). Once per decision."""
    _require_manage(actor, case, access)
    if decision.case_id != case.pk:
        raise PermissionDenied
    if DecisionCommitment.objects.select_for_update().filter(decision=decision).exists():
        raise ValidationError(_("This decision is already a commitment in the plan."))
    commitment = commitment_create(
        actor=actor,
        case=case,
        access=access,
        description=description,
        responsible=responsible,
        due_on=due_on,
        goal=goal,
        category=category,
        status=status,
        follow_up_note=follow_up_note,
        source={"decision": str(decision.public_id)},
    )
    DecisionCommitment.objects.create(decision=decision, commitment=commitment)
    _audit(
        Action.MEETING_DECISION_COMMITTED,
        actor,
        case,
        {"decision": str(decision.public_id), "commitment": str(commitment.public_id)},
    )
    return commitment
