"""Established versions: a frozen snapshot filtered for the viewer like the live plan
(each entry by its recording organisation, category and last change)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.utils.dateparse import parse_date, parse_datetime

from samverkan.access import policy
from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.caseaccess.decision import CaseAccess
from samverkan.plans.models import CommitmentStatus, GoalStatus, LifeArea, PlanVersion

if TYPE_CHECKING:
    from samverkan.accounts.models import User


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
