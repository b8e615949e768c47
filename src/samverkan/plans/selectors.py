"""Reading the action plan through the case's sharing rule (caseaccess.CaseAccess).

Callers have opened the case with caseaccess.selectors.case_for_actor (404 outside the team).
Every goal, commitment, the plan summary and every entry of an established version is
filtered with access.items_q / access.can_see on its recording organisation and
category. Because entries can change, the time a statutory disclosure is compared with
is the entry's last change (``updated_at``): a disclosure never opens what was written
after it. Page selectors cost a fixed number of queries whatever the plan's size.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from samverkan.access import policy
from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.caseaccess.decision import CaseAccess
from samverkan.caseaccess.selectors import VisibleCases, entries_visible, visible_cases
from samverkan.plans.models import (
    OPEN_COMMITMENT_STATUSES,
    ActionPlan,
    Commitment,
    CommitmentStatus,
    Goal,
    GoalStatus,
    LifeArea,
    PlanVersion,
)

if TYPE_CHECKING:
    from samverkan.accounts.models import User


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


def goal_for_actor(*, case: Any, access: CaseAccess, public_id: UUID) -> Goal:
    """One visible goal; 404 when missing or not shared with the viewer."""
    return policy.get_or_404(goals_visible(case=case, access=access), public_id=public_id)


def commitment_for_actor(*, case: Any, access: CaseAccess, public_id: UUID) -> Commitment:
    """One visible commitment; 404 when missing or not shared with the viewer."""
    return policy.get_or_404(commitments_visible(case=case, access=access), public_id=public_id)


@dataclass
class GoalRow:
    goal: Goal
    commitments: list[Commitment] = field(default_factory=list)


@dataclass
class AreaRow:
    area: str
    label: str
    goals: list[GoalRow]


@dataclass
class PlanPage:
    plan: ActionPlan | None
    summary_visible: bool
    areas: list[AreaRow]
    other_commitments: list[Commitment]
    versions: list[PlanVersion]
    goal_count: int
    commitment_count: int


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


# --- Established versions ------------------------------------------------------------


@dataclass(frozen=True)
class SnapshotGoal:
    id: str
    life_area: str
    life_area_label: str
    title: str
    description: str
    status_label: str
    commitments: tuple[SnapshotCommitment, ...]


@dataclass(frozen=True)
class SnapshotCommitment:
    id: str
    description: str
    organisation_name: str
    responsible_name: str
    due_on: date | None
    status: str
    status_label: str
    follow_up_note: str


@dataclass(frozen=True)
class VersionView:
    version: PlanVersion
    summary: str
    goals: tuple[SnapshotGoal, ...]
    other_commitments: tuple[SnapshotCommitment, ...]
    hidden: int  # how many entries the viewer may not see (a count only)


def _entry_visible(access: CaseAccess, entry: dict[str, Any]) -> bool:
    when = parse_datetime(entry.get("updated_at") or "")
    if when is None:
        return False
    return access.can_see(
        recording_org_id=int(entry["org"]), category=str(entry["category"]), created_at=when
    )


def snapshot_view(*, version: PlanVersion, access: CaseAccess) -> VersionView:
    """An established version filtered for the viewer, like the live plan."""
    snap = version.snapshot
    summary_entry = snap.get("summary") or {}
    summary = (
        summary_entry.get("text", "")
        if summary_entry and _entry_visible(access, summary_entry)
        else ""
    )
    goal_entries = [g for g in snap.get("goals", []) if _entry_visible(access, g)]
    commitment_entries = [c for c in snap.get("commitments", []) if _entry_visible(access, c)]
    hidden = (
        len(snap.get("goals", []))
        - len(goal_entries)
        + len(snap.get("commitments", []))
        - len(commitment_entries)
    )
    statuses = dict(CommitmentStatus.choices)

    def commitment(c: dict[str, Any]) -> SnapshotCommitment:
        return SnapshotCommitment(
            id=c["id"],
            description=c["description"],
            organisation_name=c.get("organisation_name", ""),
            responsible_name=c.get("responsible_name", ""),
            due_on=parse_date(c.get("due_on") or ""),
            status=c["status"],
            status_label=str(statuses.get(c["status"], c["status"])),
            follow_up_note=c.get("follow_up_note", ""),
        )

    by_goal: dict[str, list[SnapshotCommitment]] = {}
    other = []
    visible_goal_ids = {g["id"] for g in goal_entries}
    for c in commitment_entries:
        if c.get("goal") in visible_goal_ids:
            by_goal.setdefault(c["goal"], []).append(commitment(c))
        else:
            other.append(commitment(c))
    areas = dict(LifeArea.choices)
    goal_statuses = dict(GoalStatus.choices)
    goals = tuple(
        SnapshotGoal(
            id=g["id"],
            life_area=g["life_area"],
            life_area_label=str(areas.get(g["life_area"], "")),
            title=g["title"],
            description=g.get("description", ""),
            status_label=str(goal_statuses.get(g.get("status", ""), "")),
            commitments=tuple(by_goal.get(g["id"], [])),
        )
        for g in goal_entries
    )
    return VersionView(
        version=version, summary=summary, goals=goals, other_commitments=tuple(other), hidden=hidden
    )


def plan_version_for_actor(
    *, actor: User, case: Any, access: CaseAccess, number: int
) -> VersionView:
    """One established version, filtered for the viewer; 404 if there is none. Audited."""
    version: PlanVersion = policy.get_or_404(
        PlanVersion.objects.filter(plan__case_id=case.pk).select_related(
            "established_by", "established_by_organisation"
        ),
        number=number,
    )
    view = snapshot_view(version=version, access=access)
    audit.record(
        action=Action.PLAN_VERSION_VIEWED,
        actor=actor,
        subject_type="case",
        subject_id=case.public_id,
        subject_organisation_id=case.lead_organisation_id,
        detail={"number": number, "hidden": view.hidden},
    )
    return view


# --- The printable plan ---------------------------------------------------------------


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


# --- For reminders (bevakning) ----------------------------------------------------------


@dataclass(frozen=True)
class DueCommitment:
    commitment: Commitment
    case: Any
    access: CaseAccess

    @property
    def overdue(self) -> bool:
        return self.commitment.due_on < timezone.localdate()


def commitments_due(
    *,
    actor: User | None = None,
    case: Any = None,
    access: CaseAccess | None = None,
    within_days: int = 14,
    today: date | None = None,
    responsible_only: bool = False,
) -> list[DueCommitment]:
    """Open commitments (planned or in progress) due within ``within_days`` days from
    ``today``, overdue ones included, soonest first.

    Either ``case`` + ``access`` (one case the caller has opened), or ``actor``: every
    case the actor may open (cases_visible_to), each filtered by the actor's own
    CaseAccess — a fixed number of queries whatever the number of cases. With
    ``responsible_only`` only the actor's own commitments are returned (they must still
    be visible to the actor). Not audited: the caller (a reminders page or digest)
    audits what it shows."""
    today = today or timezone.localdate()
    until = today + timedelta(days=within_days)
    base = Commitment.objects.filter(status__in=OPEN_COMMITMENT_STATUSES, due_on__lte=until)
    if case is not None:
        if access is None:
            raise ValueError("commitments_due(case=...) needs the viewer's access")
        within = VisibleCases.one(case, access)
    else:
        if actor is None:
            raise ValueError("commitments_due needs an actor or a case")
        within = visible_cases(actor=actor)
    if not within.accesses:
        return []
    qs = entries_visible(actor, base, within=within)
    if responsible_only and actor is not None:
        qs = qs.filter(responsible_id=actor.pk)
    rows = qs.select_related("organisation", "responsible", "recorded_by_organisation").order_by(
        "due_on", "pk"
    )
    return [
        DueCommitment(commitment=c, case=within.cases[c.case_id], access=within.accesses[c.case_id])
        for c in rows
    ]
