"""What the plan selectors share: the sharing rule for plan entries (``visible_q``,
disclosures compared with the entry's last change), the plan row, the summary's
visibility, the visible goals and commitments, and grouping them by life area."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from samverkan.caseaccess.decision import CaseAccess
from samverkan.plans.models import ActionPlan, Commitment, Goal, LifeArea

if TYPE_CHECKING:
    pass


def visible_q(access: CaseAccess, prefix: str = "") -> Q:
    """items_q for plan entries (disclosures compared with the entry's last change)."""
    return access.items_q(
        org_field=f"{prefix}recorded_by_organisation_id",
        category_field=f"{prefix}category",
        created_field=f"{prefix}updated_at",
    )


def plan_for_case(*, case: Any) -> ActionPlan | None:
    """The plan row (metadata: version counters, established number) or None. Its
    summary text must be shown only when summary_visible() says so."""
    return ActionPlan.objects.filter(case_id=case.pk).first()


def summary_visible(*, plan: ActionPlan | None, access: CaseAccess) -> bool:
    if plan is None or not plan.summary:
        return False
    return access.can_see(
        recording_org_id=plan.recorded_by_organisation_id,
        category=plan.category,
        created_at=plan.updated_at,
    )


def goals_visible(*, case: Any, access: CaseAccess) -> QuerySet[Goal]:
    """Goals of the case the viewer's organisation may see."""
    return (
        Goal.objects.filter(case_id=case.pk)
        .filter(visible_q(access))
        .select_related("recorded_by_organisation")
    )


def commitments_visible(*, case: Any, access: CaseAccess) -> QuerySet[Commitment]:
    """Commitments of the case the viewer's organisation may see."""
    return (
        Commitment.objects.filter(case_id=case.pk)
        .filter(visible_q(access))
        .select_related("recorded_by_organisation", "organisation", "responsible", "goal")
    )


@dataclass
class GoalRow:
    goal: Goal
    commitments: list[Commitment] = field(default_factory=list)


@dataclass
class AreaRow:
    area: str
    label: str
    goals: list[GoalRow]


def _group(
    goals: Iterable[Goal], commitments: Iterable[Commitment]
) -> tuple[list[AreaRow], list[Commitment]]:
    rows = {g.pk: GoalRow(goal=g) for g in goals}
    other: list[Commitment] = []
    for c in commitments:
        # A commitment whose goal the viewer may not see is listed without that goal.
        if c.goal_id in rows:
            rows[c.goal_id].commitments.append(c)
        else:
            other.append(c)
    areas = []
    for value, label in LifeArea.choices:
        in_area = [r for r in rows.values() if r.goal.life_area == value]
        if in_area:
            areas.append(AreaRow(area=value, label=str(label), goals=in_area))
    return areas, other
