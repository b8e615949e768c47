"""Roster plans, solving (the background job and the engine run), publishing and exports.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.actiongroups.models import ActionGroup
from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.jobs.services import job_start
from samverkan.rostering import parallel, quality
from samverkan.rostering import problem as pb
from samverkan.rostering.engine import model as em
from samverkan.rostering.engine import validator
from samverkan.rostering.models import (
    RosterAssignment,
    RosterPlan,
    RosterVersion,
    VersionSource,
    VersionStatus,
)
from samverkan.rostering.services.common import (
    RosterRefused,
    _require_rosters,
    _violation_dicts,
)

if TYPE_CHECKING:
    from samverkan.accounts.models import User

SOLVE_JOB = "roster.solve"
DEFAULT_TIME_LIMIT_S = 20


# Not durable: the demo loader calls it inside its own transaction (demo.services.demo_load).
@transaction.atomic
def plan_get_or_create(
    *, actor: User, group: ActionGroup, period_start: dt.date, weeks: int = 4
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


def default_time_limit_s() -> int:
    """How long the planner may run when nobody says otherwise (ROSTER_TIME_LIMIT_S)."""
    return int(getattr(settings, "ROSTER_TIME_LIMIT_S", DEFAULT_TIME_LIMIT_S))


def solve_start(
    *,
    actor: User,
    plan: RosterPlan,
    time_limit_s: int | None = None,
    mode: str = "solve",
    notice_override_reason: str = "",
) -> Any:
    """Start the background job that solves (or, ``mode="replan"``, repairs) ``plan``,
    for ``time_limit_s`` seconds at most (default: the ROSTER_TIME_LIMIT_S setting).
    ``notice_override_reason`` (re-planning only, e.g. sickness): the repair may change
    shifts inside the notice period (ATL 12 §) too; the reason is kept with the version."""
    if time_limit_s is None:
        time_limit_s = default_time_limit_s()
    _require_rosters(actor)
    if mode not in ("solve", "replan"):
        raise ValueError(mode)
    if mode == "replan" and pb.current_published(plan) is None:
        raise RosterRefused(_("There is no published roster to re-plan."))
    reason = notice_override_reason.strip()
    if reason and mode != "replan":
        raise ValueError("only a re-plan may override the notice period")
    params: dict[str, Any] = {"plan_id": plan.pk, "time_limit_s": int(time_limit_s), "mode": mode}
    if reason:
        params["notice_override_reason"] = reason[:500]
    return job_start(actor=actor, kind=SOLVE_JOB, params=params)


def replan_pinned_until(
    *, plan: RosterPlan, now: dt.datetime | None = None, override_notice: bool = False
) -> dt.datetime:
    """Shifts starting before this moment keep their published assignments when
    re-planning: the past, and the near term the statute's notice period protects
    (ATL 12 §: changes announced ``schedule_notice_days`` ahead) — unless that would
    pin a shift someone cannot work, which the engine then reports in words. With
    ``override_notice`` (a sickness repair, its reason recorded) only the past is kept."""
    now = now or timezone.now()
    if override_notice:
        return now
    rules, _weights = pb.rules_for(plan.group)
    return now + dt.timedelta(days=rules.schedule_notice_days)


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
    notice_override_reason: str = "",
) -> RosterVersion:
    """Run the engine on ``plan`` and store the outcome as a new draft version: the
    roster (checked by the independent validator) or, when none exists, the reasons in
    words. Internal: the web (solve_start) and the ``roster`` command have checked the
    caller's rights.

    The engine runs in a helper thread and never touches the database; this thread
    calls ``tick(progress)`` about every ``tick_interval_s`` with the latest best
    objective, bound and elapsed seconds, and stops the engine when it returns True
    (then RosterRefused("cancelled") is raised and nothing is stored).

    Re-planning keeps the notice period (ATL 12 §: ``replan_pinned_until``) unless
    ``notice_override_reason`` is given; an explicit ``pinned_until`` replaces both."""
    from samverkan.rostering.engine.solver import run as solver  # deferred: OR-Tools (~0.7 s import)

    reason = notice_override_reason.strip() if mode == "replan" else ""
    pinned: dt.datetime | None = None
    if mode == "replan":
        now = timezone.now()
        pinned = pinned_until or replan_pinned_until(plan=plan, now=now, override_notice=bool(reason))
        problem = pb.build_problem(plan, with_published=True, pinned_until=pinned)
        if pinned_until is None:
            # The engine checks the notice period too (ATL 12 §), unless a reason overrides it.
            problem.replanned_at = pb.to_local_naive(now)
            problem.notice_override = reason
        if problem.published is None:
            raise RosterRefused(_("There is no published roster to re-plan."))
        hint = None
    else:
        problem = pb.build_problem(plan)
        published = pb.current_published(plan)
        hint = pb.roster_of(published) if published is not None else None

    # With the RQ backend a plan is solved in parts across the job workers; otherwise
    # (tests, the demo's thread backend) in this process.
    parallel_queue = settings.SAMVERKAN_JOBS_QUEUE if settings.SAMVERKAN_JOBS_BACKEND == "rq" else None
    if parallel_queue is not None:
        from redis import Redis  # deferred: the rq backend only
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
            elif parallel_queue is not None:
                # The parts go to the job workers (this process helps): rostering.parallel.
                outcome["result"] = parallel.run_parts(
                    problem,
                    connection=Redis.from_url(settings.REDIS_URL),
                    queue=parallel_queue,
                    time_limit_s=time_limit_s,
                    on_progress=on_progress,
                    should_stop=stop.is_set,
                    hint=hint,
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
        final = {"objective": result.objective, "bound": result.bound}
        if "parts" in result.stats:
            final |= {"parts_done": result.stats["parts_done"], "parts_total": result.stats["parts"]}
        tick(summarise_progress(final, started))
    if result.status == "cancelled" or stop.is_set():
        raise RosterRefused("cancelled")
    violations: list[em.Violation] = []
    explanation = list(result.explanation)
    if result.roster is not None:
        violations = validator.validate(problem, result.roster)
    elif not explanation:
        explanation = _explain(problem)
    # Not durable: the synchronous job backend runs this inside job_start's transaction,
    # and the demo loader inside its own.
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
            stats={
                **{k: v for k, v in result.stats.items() if isinstance(v, int | float)},
                **(quality.fairness_stats(problem, result.roster) if result.roster is not None else {}),
            },
            created_by_id=actor_id,
            pinned_until=pinned,
            notice_override_reason=reason,
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
                "notice_overridden": bool(reason),
                "status": result.status,
                "violations": len(violations),
                "assignments": version.assignments.count(),
            },
        )
    return version


def _explain(problem: em.Problem) -> list[str]:
    try:
        from samverkan.rostering.engine.solver import explain  # deferred: OR-Tools (~0.7 s import)
    except ImportError:  # the explainer ships separately
        return [_("No roster satisfies every rule with the experts available.")]
    reasons = explain.explain_infeasible(problem)
    return [str(getattr(r, "text", r)) for r in reasons] or [
        _("No roster satisfies every rule with the experts available.")
    ]


# Not durable: the demo loader calls it inside its own transaction (demo.services.demo_load).
@transaction.atomic
def version_publish(*, actor: User | None, version: RosterVersion, system: bool = False) -> RosterVersion:
    """Publish a draft that has a roster and no rule violations. Published versions are
    frozen; the newest published version of a plan is the one in force. ``system``:
    an operator's command (no user; audited as a system action)."""
    if not system:
        if actor is None:
            raise PermissionDenied
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
    *, actor: User, version: RosterVersion | None, fmt: str, expert_id: int | None = None
) -> None:
    """Audit an export (CSV, XLSX, PDF, iCalendar) of a roster or an expert's calendar."""
    audit.record(
        action=Action.ROSTER_EXPORTED,
        actor=actor,
        subject_type="roster_version",
        subject_id=version.pk if version else "",
        detail={"format": fmt, "expert": expert_id},
    )



def summarise_progress(update: Mapping[str, Any], started: float) -> dict[str, Any]:
    """The numbers a progress page shows: best objective, bound, elapsed seconds."""
    return {
        "objective": update.get("objective"),
        "bound": update.get("bound"),
        "elapsed_s": round(time.monotonic() - started, 1),
        "solutions": int(update.get("solutions") or 0),
        # Solved on the job workers (rostering.parallel): parts finished of all.
        "parts_done": None if update.get("parts_total") is None else int(update.get("parts_done") or 0),
        "parts_total": None if update.get("parts_total") is None else int(update.get("parts_total") or 0),
    }
