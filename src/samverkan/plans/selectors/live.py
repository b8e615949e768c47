"""The live plan: the plan page as the viewer may see it (audited with counts only), one
visible goal or commitment, and the goals a commitment may be linked to."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.db.models import QuerySet

from samverkan.access import policy
from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.caseaccess.decision import CaseAccess
from samverkan.plans.models import ActionPlan, Commitment, Goal, GoalStatus, PlanVersion
from samverkan.plans.selectors.common import (
    AreaRow,
    _group,
    commitments_visible,
    goals_visible,
    plan_for_case,
    summary_visible,
)

if TYPE_CHECKING:
    from samverkan.accounts.models import User


def goal_for_actor(*, case: Any, access: CaseAccess, public_id: UUID) -> Goal:
    """One visible goal; 404 when missing or not shared with the viewer."""
    return policy.get_or_404(goals_visible(case=case, access=access), public_id=public_id)


def commitment_for_actor(*, case: Any, access: CaseAccess, public_id: UUID) -> Commitment:
    """One visible commitment; 404 when missing or not shared with the viewer."""
    return policy.get_or_404(commitments_visible(case=case, access=access), public_id=public_id)


@dataclass
class PlanPage:
    plan: ActionPlan | None
    summary_visible: bool
    areas: list[AreaRow]
    other_commitments: list[Commitment]
    versions: list[PlanVersion]
    goal_count: int
    commitment_count: int


def plan_page(*, actor: User, case: Any, access: CaseAccess) -> PlanPage:
    """The live plan as this viewer may see it, grouped by life area. Audited with the
    counts shown (never the contents)."""
    plan = plan_for_case(case=case)
    goals = list(goals_visible(case=case, access=access)) if plan else []
    commitments = list(commitments_visible(case=case, access=access)) if plan else []
    areas, other = _group(goals, commitments)
    versions = (
        list(
            PlanVersion.objects.filter(plan=plan)
            .select_related("established_by", "established_by_organisation")
            .defer("snapshot")
        )
        if plan
        else []
    )
    audit.record(
        action=Action.PLAN_VIEWED,
        actor=actor,
        subject_type="case",
        subject_id=case.public_id,
        subject_organisation_id=case.lead_organisation_id,
        detail={"goals": len(goals), "commitments": len(commitments)},
    )
    return PlanPage(
        plan=plan,
        summary_visible=summary_visible(plan=plan, access=access),
        areas=areas,
        other_commitments=other,
        versions=versions,
        goal_count=len(goals),
        commitment_count=len(commitments),
    )


def goal_choices(*, case: Any, access: CaseAccess) -> QuerySet[Goal]:
    """Goals a commitment may be linked to: the visible, ongoing ones."""
    return goals_visible(case=case, access=access).filter(status=GoalStatus.ONGOING)
