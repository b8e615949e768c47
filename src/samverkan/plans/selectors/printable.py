"""The printable plan (the participant's PDF): only the entries the viewer may see,
ongoing and achieved goals, not cancelled commitments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from samverkan.caseaccess.decision import CaseAccess
from samverkan.cases.models import TeamMember, TeamRole
from samverkan.directory.selectors import identity
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


@dataclass(frozen=True)
class PlanSender:
    """Who sends the participant their plan, and how to reach them: the case's lead
    coordinator (else the staff member printing it), their organisation, and the
    organisation's contact details (directory.Identity). Staff names are not secret to
    the participant: they meet these people."""

    name: str
    organisation: str
    contact_lines: tuple[str, ...]


def plan_sender(*, case: Any, actor: Any) -> PlanSender:
    """One query for the team's lead coordinator, one for the identity."""
    lead = (
        TeamMember.objects.filter(case=case, active=True, team_role=TeamRole.LEAD_COORDINATOR)
        .select_related("user", "organisation")
        .order_by("added_at")
        .first()
    )
    if lead is not None:
        name, organisation = lead.user.get_full_name(), lead.organisation.name
    else:
        name = actor.get_full_name()
        organisation = actor.organisation.name if actor.organisation_id else ""
    return PlanSender(
        name=name or "",
        organisation=organisation,
        contact_lines=tuple(identity().contact_lines),
    )
