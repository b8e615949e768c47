"""Changing experts, leave, shift patterns, rules and rosters; solving and publishing.

Who may call what is decided by access.policy: experts of an agency are changed by that
agency's staff (or the municipal side); solving, publishing and rules belong to the
municipal side (``can_manage_rosters``). Every change is audited in its transaction.
Published roster versions are never changed: a swap or a re-plan makes a new version.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.access import policy
from samverkan.actiongroups.models import ActionGroup
from samverkan.actiongroups.services import save_versioned
from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.directory.services import StaleEdit
from samverkan.rostering import problem as pb
from samverkan.rostering.engine import model as em
from samverkan.rostering.models import (
    Expert,
    ExpertLeave,
    PatternKind,
    RosterAssignment,
    RosterPlan,
    RosterRules,
    RosterVersion,
    ShiftPattern,
    SwapRequest,
    SwapStatus,
    VersionSource,
    VersionStatus,
)

__all__ = ["RosterRefused", "StaleEdit"]

SOLVE_JOB = "roster.solve"
DEFAULT_TIME_LIMIT_S = 20


class RosterRefused(Exception):
    """A roster operation is not allowed in the roster's state; ``str()`` says why."""

    def __init__(self, message: str, violations: list[dict[str, str]] | None = None) -> None:
        super().__init__(message)
        self.violations = violations or []


def _require_rosters(actor: Any) -> None:
    if not policy.can_manage_rosters(actor=actor):
        raise PermissionDenied


def _require_experts_of(actor: Any, agency_id: int) -> None:
    if not policy.can_manage_experts_of(actor=actor, agency_id=agency_id):
        raise PermissionDenied


# --- experts and leave ------------------------------------------------------------------

_EXPERT_FIELDS = (
    "first_name",
    "last_name",
    "user_id",
    "contract_hours_per_week",
    "night_allowed",
    "qualifications",
    "wanted_shift_codes",
    "avoided_shift_codes",
    "avoided_weekdays",
    "active",
)


@transaction.atomic
def expert_save(
    *,
    actor: Any,
    expert: Expert,
    home_groups: Iterable[ActionGroup],
    extra_groups: Iterable[ActionGroup] = (),
    expected_version: int | None = None,
) -> Expert:
    """Create (``expert.pk`` None) or update an expert. The actor must manage the
    expert's agency — both the stored one and the new one."""
    _require_experts_of(actor, expert.agency_id)
    if expert.agency.kind != "agency":
        raise ValidationError({"agency": _("Choose an agency.")})
    homes = list(home_groups)
    if not homes:
        raise ValidationError({"home_groups": _("Choose at least one home group.")})
    extras = [g for g in extra_groups if g not in homes]
    linked = expert.user if expert.user_id else None
    if (
        linked is not None
        and linked.organisation_id != expert.agency_id
        and policy.area_agency_id(linked) != expert.agency_id
    ):
        raise ValidationError({"user": _("The user account must belong to the same agency.")})
    expert.full_clean(exclude=["version"])
    if expert.pk is None:
        expert.save()
        action = Action.EXPERT_CREATED
    else:
        stored_agency = (
            Expert.objects.filter(pk=expert.pk).values_list("agency_id", flat=True).first()
        )
        if stored_agency is None:
            raise PermissionDenied
        _require_experts_of(actor, stored_agency)
        save_versioned(
            instance=expert,
            expected_version=expected_version,
            fields=[*_EXPERT_FIELDS, "agency_id"],
        )
        action = Action.EXPERT_UPDATED
    expert.home_groups.set(homes)
    expert.extra_groups.set(extras)
    audit.record(
        action=action,
        actor=actor,
        subject_type="expert",
        subject_id=expert.pk,
        subject_organisation_id=expert.agency_id,
        detail={"home_groups": [g.pk for g in homes], "extra_groups": [g.pk for g in extras]},
    )
    return expert


@transaction.atomic
def leave_record(
    *, actor: Any, expert: Expert, kind: str, starts_at: dt.datetime, ends_at: dt.datetime
) -> ExpertLeave:
    """Record vacation, sick leave or training. Sick leave is what re-planning repairs."""
    _require_experts_of(actor, expert.agency_id)
    leave = ExpertLeave(
        expert=expert, kind=kind, starts_at=starts_at, ends_at=ends_at, created_by=actor
    )
    leave.full_clean()
    leave.save()
    audit.record(
        action=Action.EXPERT_LEAVE_RECORDED,
        actor=actor,
        subject_type="expert",
        subject_id=expert.pk,
        subject_organisation_id=expert.agency_id,
        detail={"leave": leave.pk, "kind": kind},
    )
    return leave


@transaction.atomic
def leave_remove(*, actor: Any, leave: ExpertLeave) -> None:
    _require_experts_of(actor, leave.expert.agency_id)
    audit.record(
        action=Action.EXPERT_LEAVE_REMOVED,
        actor=actor,
        subject_type="expert",
        subject_id=leave.expert_id,
        subject_organisation_id=leave.expert.agency_id,
        detail={"leave": leave.pk},
    )
    leave.delete()


# --- pattern and rules ----------------------------------------------------------------------


def parse_custom_pattern(text: str) -> list[dict[str, Any]]:
    """Parse lines "CODE HH:MM HOURS" (e.g. "D 07:00 10") into the stored form."""
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        parts = line.split()
        if not parts:
            continue
        try:
            code, start, hours = (
                parts[0],
                dt.time.fromisoformat(parts[1]),
                float(parts[2].replace(",", ".")),
            )
        except (IndexError, ValueError):
            raise ValidationError(
                _("Line %(n)d: write a code, a start time and hours, e.g. 'D 07:00 10'.")
                % {"n": number}
            ) from None
        if not 0 < hours <= 24 or len(code) > 8:
            raise ValidationError(_("Line %(n)d: hours must be between 0 and 24.") % {"n": number})
        out.append({"code": code, "start": start.strftime("%H:%M"), "hours": hours})
    return out


@transaction.atomic
def pattern_set(
    *,
    actor: Any,
    group: ActionGroup,
    kind: str,
    custom: list[dict[str, Any]] | None = None,
    expected_version: int | None = None,
) -> ShiftPattern:
    """Choose the group's shift pattern (3 x 8 h, 2 x 12 h or custom)."""
    _require_rosters(actor)
    if kind not in PatternKind.values:
        raise ValidationError(_("Unknown shift pattern."))
    if kind == PatternKind.CUSTOM and not custom:
        raise ValidationError(_("A custom pattern needs at least one shift."))
    pattern, created = ShiftPattern.objects.get_or_create(group=group)
    pattern.kind, pattern.custom = kind, (custom or []) if kind == PatternKind.CUSTOM else []
    if created:
        pattern.save()
    else:
        save_versioned(
            instance=pattern, expected_version=expected_version, fields=["kind", "custom"]
        )
    audit.record(
        action=Action.SHIFT_PATTERN_CHANGED,
        actor=actor,
        subject_type="action_group",
        subject_id=group.pk,
        detail={"kind": kind, "shifts": len(pattern.custom)},
    )
    return pattern


def rules_get(*, group: ActionGroup) -> RosterRules:
    """The group's rules (the statute's defaults, created on first use)."""
    rules, _created = RosterRules.objects.get_or_create(group=group)
    return rules


@transaction.atomic
def rules_save(*, actor: Any, rules: RosterRules, expected_version: int | None) -> RosterRules:
    _require_rosters(actor)
    rules.full_clean()
    save_versioned(
        instance=rules,
        expected_version=expected_version,
        fields=[*RosterRules.RULE_FIELDS, *RosterRules.WEIGHT_FIELDS],
    )
    audit.record(
        action=Action.ROSTER_RULES_CHANGED,
        actor=actor,
        subject_type="action_group",
        subject_id=rules.group_id,
    )
    return rules


# --- plans, solving, publishing ----------------------------------------------------------


@transaction.atomic
def plan_get_or_create(
    *, actor: Any, group: ActionGroup, period_start: dt.date, weeks: int = 4
) -> RosterPlan:
    """The plan of ``group`` starting ``period_start`` (created if missing)."""
    _require_rosters(actor)
    if not 1 <= weeks <= 8:
        raise ValidationError(_("A planning period is 1 to 8 weeks."))
    plan, created = RosterPlan.objects.get_or_create(
        group=group, period_start=period_start, defaults={"weeks": weeks, "created_by": actor}
    )
    if created:
        audit.record(
            action=Action.ROSTER_PLAN_CREATED,
            actor=actor,
            subject_type="roster_plan",
            subject_id=plan.pk,
            detail={"group": group.pk, "weeks": weeks},
        )
    return plan


def solve_start(
    *, actor: Any, plan: RosterPlan, time_limit_s: int = DEFAULT_TIME_LIMIT_S, mode: str = "solve"
) -> Any:
    """Start the background job that solves (or, ``mode="replan"``, repairs) ``plan``."""
    from samverkan.jobs.services import job_start

    _require_rosters(actor)
    if mode not in ("solve", "replan"):
        raise ValueError(mode)
    if mode == "replan" and pb.current_published(plan) is None:
        raise RosterRefused(_("There is no published roster to re-plan."))
    return job_start(
        actor=actor,
        kind=SOLVE_JOB,
        params={"plan_id": plan.pk, "time_limit_s": int(time_limit_s), "mode": mode},
    )


def replan_pinned_until(*, plan: RosterPlan, now: dt.datetime | None = None) -> dt.datetime:
    """Shifts starting before this moment keep their published assignments when
    re-planning: the past, and the near term the statute's notice period protects
    (ATL 12 §: changes announced ``schedule_notice_days`` ahead) — unless that would
    pin a shift someone cannot work, which the engine then reports in words."""
    now = now or timezone.now()
    rules, _weights = pb.rules_for(plan.group)
    return now + dt.timedelta(days=rules.schedule_notice_days)


def _violation_dicts(violations: Iterable[em.Violation]) -> list[dict[str, str]]:
    return [asdict(v) for v in violations]


Tick = Callable[[dict[str, Any]], bool]


def solve_plan(
    *,
    plan: RosterPlan,
    actor_id: int | None = None,
    time_limit_s: float = DEFAULT_TIME_LIMIT_S,
    mode: str = "solve",
    tick: Tick | None = None,
    tick_interval_s: float = 0.5,
    pinned_until: dt.datetime | None = None,
) -> RosterVersion:
    """Run the engine on ``plan`` and store the outcome as a new draft version: the
    roster (checked by the independent validator) or, when none exists, the reasons in
    words. Internal: the web (solve_start) and the ``roster`` command have checked the
    caller's rights.

    The engine runs in a helper thread and never touches the database; this thread
    calls ``tick(progress)`` about every ``tick_interval_s`` with the latest best
    objective, bound and elapsed seconds, and stops the engine when it returns True
    (then RosterRefused("cancelled") is raised and nothing is stored)."""
    import threading

    from samverkan.rostering.engine import validator
    from samverkan.rostering.engine.solver import run as solver

    if mode == "replan":
        pinned = pinned_until or replan_pinned_until(plan=plan)
        problem = pb.build_problem(plan, with_published=True, pinned_until=pinned)
        if problem.published is None:
            raise RosterRefused(_("There is no published roster to re-plan."))
        hint = None
    else:
        problem = pb.build_problem(plan)
        published = pb.current_published(plan)
        hint = pb.roster_of(published) if published is not None else None

    latest: dict[str, Any] = {}
    stop = threading.Event()
    outcome: dict[str, Any] = {}
    started = time.monotonic()

    def on_progress(update: dict[str, float | None]) -> None:
        latest.update(update)

    def work() -> None:
        try:
            if mode == "replan":
                outcome["result"] = solver.replan(
                    problem,
                    time_limit_s=time_limit_s,
                    on_progress=on_progress,
                    should_stop=stop.is_set,
                )
            else:
                outcome["result"] = solver.solve(
                    problem,
                    time_limit_s=time_limit_s,
                    on_progress=on_progress,
                    should_stop=stop.is_set,
                    hint=hint,
                )
        except BaseException as exc:  # re-raised in the caller's thread
            outcome["error"] = exc

    worker = threading.Thread(target=work, name=f"roster-solve-{plan.pk}", daemon=True)
    worker.start()
    while worker.is_alive():
        worker.join(timeout=tick_interval_s)
        alive = worker.is_alive() and tick is not None and not stop.is_set()
        if alive and tick is not None and tick(summarise_progress(latest, started)):
            stop.set()
    if "error" in outcome:
        raise outcome["error"]
    result: em.SolveResult = outcome["result"]
    if tick is not None and not stop.is_set():
        tick(summarise_progress({"objective": result.objective, "bound": result.bound}, started))
    if result.status == "cancelled" or stop.is_set():
        raise RosterRefused("cancelled")
    violations: list[em.Violation] = []
    explanation = list(result.explanation)
    if result.roster is not None:
        violations = validator.validate(problem, result.roster)
    elif not explanation:
        explanation = _explain(problem)
    with transaction.atomic():
        number = (plan.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        version = RosterVersion.objects.create(
            plan=plan,
            number=number,
            source=VersionSource.REPLAN if mode == "replan" else VersionSource.SOLVER,
            solver_status=result.status,
            objective=result.objective,
            bound=result.bound,
            violations=_violation_dicts(violations[:200]),
            explanation=explanation,
            stats={k: v for k, v in result.stats.items() if isinstance(v, int | float)},
            created_by_id=actor_id,
        )
        if result.roster is not None:
            RosterAssignment.objects.bulk_create(
                pb.assignment_rows(version, problem, result.roster), batch_size=2000
            )
        audit.record(
            action=Action.ROSTER_SOLVED,
            actor_id=actor_id,
            subject_type="roster_version",
            subject_id=version.pk,
            detail={
                "plan": plan.pk,
                "mode": mode,
                "status": result.status,
                "violations": len(violations),
                "assignments": version.assignments.count(),
            },
        )
    return version


def _explain(problem: em.Problem) -> list[str]:
    try:
        from samverkan.rostering.engine import explain
    except ImportError:  # the explainer ships separately
        return [_("No roster satisfies every rule with the experts available.")]
    reasons = explain.explain_infeasible(problem)
    return [str(getattr(r, "text", r)) for r in reasons] or [
        _("No roster satisfies every rule with the experts available.")
    ]


@transaction.atomic
def version_publish(*, actor: Any, version: RosterVersion, system: bool = False) -> RosterVersion:
    """Publish a draft that has a roster and no rule violations. Published versions are
    frozen; the newest published version of a plan is the one in force. ``system``:
    an operator's command (no user; audited as a system action)."""
    if not system:
        _require_rosters(actor)
    locked = RosterVersion.objects.select_for_update().get(pk=version.pk)
    if locked.status != VersionStatus.DRAFT:
        raise RosterRefused(_("This version is already published."))
    if locked.solver_status not in ("optimal", "feasible") or not locked.assignments.exists():
        raise RosterRefused(_("This version has no roster to publish."))
    if locked.violations:
        raise RosterRefused(_("This version breaks working-time rules and cannot be published."))
    newer = locked.plan.versions.filter(
        status=VersionStatus.PUBLISHED, number__gt=locked.number
    ).exists()
    if newer:
        raise RosterRefused(_("A newer version is already published."))
    RosterVersion.objects.filter(pk=locked.pk, status=VersionStatus.DRAFT).update(
        status=VersionStatus.PUBLISHED,
        published_by=actor if not system else None,
        published_at=timezone.now(),
    )
    version.refresh_from_db()
    audit.record(
        action=Action.ROSTER_PUBLISHED,
        actor=actor,
        subject_type="roster_version",
        subject_id=version.pk,
        detail={"plan": version.plan_id, "number": version.number},
    )
    return version


def export_recorded(
    *, actor: Any, version: RosterVersion | None, fmt: str, expert_id: int | None = None
) -> None:
    """Audit an export (CSV, XLSX, PDF, iCalendar) of a roster or an expert's calendar."""
    audit.record(
        action=Action.ROSTER_EXPORTED,
        actor=actor,
        subject_type="roster_version",
        subject_id=version.pk if version else "",
        detail={"format": fmt, "expert": expert_id},
    )


# --- swaps -------------------------------------------------------------------------------------


def _swapped(roster: em.Roster, swap: SwapRequest) -> em.Roster:
    a_id, b_id = pb.expert_engine_id(swap.from_expert_id), pb.expert_engine_id(swap.to_expert_id)
    out = []
    for a in roster.assignments:
        if a.shift_id == swap.shift_id and a.expert_id == a_id:
            out.append(em.Assignment(shift_id=a.shift_id, expert_id=b_id, agency=a.agency))
        elif swap.return_shift_id and a.shift_id == swap.return_shift_id and a.expert_id == b_id:
            out.append(em.Assignment(shift_id=a.shift_id, expert_id=a_id, agency=a.agency))
        else:
            out.append(a)
    return em.Roster(out)


def swap_check(*, swap: SwapRequest) -> list[dict[str, str]]:
    """The rule violations the swap would add to the roster in force (engine validator;
    violations the roster already had are not the swap's fault)."""
    from samverkan.rostering.engine import validator

    plan = swap.version.plan
    problem = pb.build_problem(plan)
    before = pb.roster_of(swap.version)
    after = _swapped(before, swap)
    old = {(v.rule, v.expert_id, v.shift_id) for v in validator.validate(problem, before)}
    return [
        asdict(v)
        for v in validator.validate(problem, after)
        if (v.rule, v.expert_id, v.shift_id) not in old
    ]


def _can_request_swap(actor: Any, expert: Expert) -> bool:
    return (
        expert.user_id is not None and expert.user_id == actor.pk
    ) or policy.can_manage_experts_of(actor=actor, agency_id=expert.agency_id)


@transaction.atomic
def swap_request(
    *,
    actor: Any,
    version: RosterVersion,
    shift_id: str,
    from_expert: Expert,
    to_expert: Expert,
    return_shift_id: str = "",
) -> SwapRequest:
    """Ask that ``from_expert``'s shift go to ``to_expert`` (same agency), optionally
    in exchange for one of ``to_expert``'s shifts. The expert themself or their agency
    may ask; the rules are checked now (shown) and again at approval."""
    if not _can_request_swap(actor, from_expert):
        raise PermissionDenied
    if version.status != VersionStatus.PUBLISHED or pb.current_published(version.plan) != version:
        raise RosterRefused(_("Only the roster in force can be changed by a swap."))
    if from_expert.agency_id != to_expert.agency_id or from_expert.pk == to_expert.pk:
        raise ValidationError(
            _("Shifts can only be swapped with another expert of the same agency.")
        )
    assigned = set(
        version.assignments.filter(expert__in=[from_expert, to_expert]).values_list(
            "shift_id", "expert_id"
        )
    )
    if (shift_id, from_expert.pk) not in assigned:
        raise ValidationError(_("The expert does not work that shift."))
    if (shift_id, to_expert.pk) in assigned:
        raise ValidationError(_("The other expert already works that shift."))
    if return_shift_id and (
        (return_shift_id, to_expert.pk) not in assigned
        or (return_shift_id, from_expert.pk) in assigned
    ):
        raise ValidationError(_("The other expert does not work the shift offered in exchange."))
    swap = SwapRequest(
        version=version,
        shift_id=shift_id,
        from_expert=from_expert,
        to_expert=to_expert,
        return_shift_id=return_shift_id,
        requested_by=actor,
    )
    swap.violations = swap_check(swap=swap)
    swap.save()
    audit.record(
        action=Action.ROSTER_SWAP_REQUESTED,
        actor=actor,
        subject_type="swap_request",
        subject_id=swap.pk,
        subject_organisation_id=from_expert.agency_id,
        detail={"version": version.pk, "violations": len(swap.violations)},
    )
    return swap


@transaction.atomic
def swap_decide(
    *, actor: Any, swap: SwapRequest, approve: bool, expected_version: int | None
) -> SwapRequest:
    """Approve or reject a requested swap (the agency's staff or the municipal side).

    Approval re-checks the rules with the engine validator and is refused (RosterRefused
    carrying the violations) if the swap would break one; otherwise it publishes a new
    version with the swap applied — the old version stays as it was."""
    _require_experts_of(actor, swap.from_expert.agency_id)
    locked = SwapRequest.objects.select_for_update().get(pk=swap.pk)
    if locked.version_lock != expected_version:
        raise StaleEdit
    if locked.status != SwapStatus.REQUESTED:
        raise RosterRefused(_("This swap has already been decided."))
    now = timezone.now()
    if not approve:
        SwapRequest.objects.filter(pk=swap.pk).update(
            status=SwapStatus.REJECTED,
            decided_by=actor,
            decided_at=now,
            version_lock=locked.version_lock + 1,
        )
        audit.record(
            action=Action.ROSTER_SWAP_REJECTED,
            actor=actor,
            subject_type="swap_request",
            subject_id=swap.pk,
            subject_organisation_id=swap.from_expert.agency_id,
        )
        swap.refresh_from_db()
        return swap
    if pb.current_published(swap.version.plan) != swap.version:
        raise RosterRefused(_("The roster has changed since the swap was asked for; ask again."))
    violations = swap_check(swap=swap)
    if violations:
        SwapRequest.objects.filter(pk=swap.pk).update(violations=violations)
        swap.refresh_from_db()
        raise RosterRefused(_("The swap would break working-time rules."), violations)
    old = swap.version
    number = (old.plan.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    new = RosterVersion.objects.create(
        plan=old.plan,
        number=number,
        status=VersionStatus.PUBLISHED,
        source=VersionSource.SWAP,
        solver_status=old.solver_status,
        objective=old.objective,
        bound=old.bound,
        created_by=actor,
        published_by=actor,
        published_at=now,
        stats={"swap": swap.pk},
    )
    rows = []
    for a in old.assignments.all():
        expert_id = a.expert_id
        if a.shift_id == swap.shift_id and a.expert_id == swap.from_expert_id:
            expert_id = swap.to_expert_id
        elif (
            swap.return_shift_id
            and a.shift_id == swap.return_shift_id
            and a.expert_id == swap.to_expert_id
        ):
            expert_id = swap.from_expert_id
        rows.append(
            RosterAssignment(
                version=new,
                shift_id=a.shift_id,
                shift_code=a.shift_code,
                starts_at=a.starts_at,
                ends_at=a.ends_at,
                expert_id=expert_id,
                agency_id=a.agency_id,
            )
        )
    RosterAssignment.objects.bulk_create(rows, batch_size=2000)
    SwapRequest.objects.filter(pk=swap.pk).update(
        status=SwapStatus.APPROVED,
        decided_by=actor,
        decided_at=now,
        result_version=new,
        violations=[],
        version_lock=locked.version_lock + 1,
    )
    audit.record(
        action=Action.ROSTER_SWAP_APPROVED,
        actor=actor,
        subject_type="swap_request",
        subject_id=swap.pk,
        subject_organisation_id=swap.from_expert.agency_id,
        detail={"new_version": new.pk},
    )
    swap.refresh_from_db()
    return swap


# --- validating a roster from another system --------------------------------------------------


def upload_validate(*, actor: Any, plan: RosterPlan, content: bytes) -> dict[str, Any]:
    """Check a roster CSV from another system against every hard rule for ``plan``'s
    group and period (engine validator). Returns counts and violations; nothing stored."""
    from samverkan.rostering.engine import csvio, validator

    problem = pb.build_problem(plan)
    try:
        roster = csvio.read_roster(content.decode("utf-8-sig"), problem.shifts)
    except (UnicodeDecodeError, ValueError, KeyError) as exc:
        raise ValidationError(
            _("The file could not be read as a roster CSV: %(why)s") % {"why": type(exc).__name__}
        ) from None
    violations = validator.validate(problem, roster)
    with transaction.atomic():
        audit.record(
            action=Action.ROSTER_VALIDATED_UPLOAD,
            actor=actor,
            subject_type="action_group",
            subject_id=plan.group_id,
            detail={"assignments": len(roster.assignments), "violations": len(violations)},
        )
    return {"assignments": len(roster.assignments), "violations": _violation_dicts(violations)}


def summarise_progress(update: Mapping[str, Any], started: float) -> dict[str, Any]:
    """The numbers a progress page shows: best objective, bound, elapsed seconds."""
    return {
        "objective": update.get("objective"),
        "bound": update.get("bound"),
        "elapsed_s": round(time.monotonic() - started, 1),
        "solutions": int(update.get("solutions") or 0),
    }
