"""The printable plan (the participant's PDF): only the entries the viewer may see,
ongoing and achieved goals, not cancelled commitments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from samverkan.caseaccess.decision import CaseAccess
from samverkan.plans.models import Commitment, CommitmentStatus, GoalStatus, PlanVersion
from samverkan.plans.selectors.common import (
    _group,
    commitments_visible,
    goals_visible,
    plan_for_case,
    summary_visible,
)

if TYPE_CHECKING:
    pass


@dataclass(frozen=True)
class PrintableCommitment:
    description: str
    who: str
    due_on: date
    status: str
    status_label: str


@dataclass(frozen=True)
class PrintableGoal:
    life_area_label: str
    title: str
    description: str
    commitments: tuple[PrintableCommitment, ...]


@dataclass(frozen=True)
class PrintablePlan:
    summary: str
    goals: tuple[PrintableGoal, ...]
    other_commitments: tuple[PrintableCommitment, ...]
    established_number: int
    established_on: date | None
    draft: bool


def plan_for_print(*, case: Any, access: CaseAccess) -> PrintablePlan:
    """What the printable plan may contain for this viewer: only visible entries (the
    same filter as the plan page), ongoing and achieved goals, not cancelled
    commitments. The participant's name is added by the caller via person_view."""
    plan = plan_for_case(case=case)
    if plan is None:
        return PrintablePlan(
            summary="",
            goals=(),
            other_commitments=(),
            established_number=0,
            established_on=None,
            draft=True,
        )
    goals = list(goals_visible(case=case, access=access).exclude(status=GoalStatus.DISCONTINUED))
    commitments = list(
        commitments_visible(case=case, access=access).exclude(status=CommitmentStatus.CANCELLED)
    )
    areas, other = _group(goals, commitments)

    def printable(c: Commitment) -> PrintableCommitment:
        return PrintableCommitment(
            description=c.description,
            who=f"{c.responsible.get_full_name()}, {c.organisation.name}",
            due_on=c.due_on,
            status=c.status,
            status_label=str(c.get_status_display()),
        )

    latest = (
        PlanVersion.objects.filter(plan=plan)
        .order_by("-number")
        .values_list("established_at", flat=True)
        .first()
    )
    return PrintablePlan(
        summary=plan.summary if summary_visible(plan=plan, access=access) else "",
        goals=tuple(
            PrintableGoal(
                life_area_label=a.label,
                title=r.goal.title,
                description=r.goal.description,
                commitments=tuple(printable(c) for c in r.commitments),
            )
            for a in areas
            for r in a.goals
        ),
        other_commitments=tuple(printable(c) for c in other),
        established_number=plan.established_number,
        established_on=timezone.localdate(latest) if latest else None,
        draft=plan.has_draft_changes,
    )
