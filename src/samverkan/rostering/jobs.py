"""Background job: plan or re-plan a roster with live progress (how close the best
roster so far is to the best possible, time used) and cancellation."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from samverkan.jobs.context import JobCancelled, JobContext
from samverkan.jobs.models import Job
from samverkan.jobs.registry import handler
from samverkan.rostering import quality
from samverkan.rostering.engine import capacity
from samverkan.rostering.engine.model import Rules
from samverkan.rostering.models import RosterPlan
from samverkan.rostering.services import rosters as roster_services
from samverkan.rostering.services.common import RosterRefused


def plan_label(params: dict[str, Any]) -> str:
    """"Planning the roster for Husby, 7 December 2026 to 3 January 2027" (or
    re-planning), in the reader's language."""
    try:
        plan = RosterPlan.objects.select_related("group").get(pk=int(params.get("plan_id") or 0))
    except RosterPlan.DoesNotExist:
        raise LookupError("plan") from None
    words = {
        "group": plan.group.name,
        "start": date_format(plan.period_start, "DATE_FORMAT"),
        "end": date_format(plan.period_start + dt.timedelta(days=plan.days - 1), "DATE_FORMAT"),
    }
    if params.get("mode") == "replan":
        return _("Re-planning the roster for %(group)s, %(start)s – %(end)s") % words
    return _("Planning the roster for %(group)s, %(start)s – %(end)s") % words


def _capacity_label(params: dict[str, Any]) -> str:
    return _("Working out how many experts one agency needs")


@handler(
    roster_services.SOLVE_JOB,
    result_template="rostering/solve_result.html",
    label=plan_label,
    counted=False,
)
def solve_job(
    ctx: JobContext,
    *,
    plan_id: int,
    time_limit_s: int = roster_services.DEFAULT_TIME_LIMIT_S,
    mode: str = "solve",
    notice_override_reason: str = "",
) -> dict[str, Any]:
    plan = RosterPlan.objects.select_related("group").get(pk=plan_id)
    started = time.monotonic()
    total = max(1, int(time_limit_s * 10))
    base = {
        "plan_id": plan.pk,
        "group_id": plan.group_id,
        "mode": mode,
        "time_limit_s": time_limit_s,
    }

    def tick(live: dict[str, Any]) -> bool:
        # Runs in the job's own thread (the engine works in a helper thread).
        # The words (how close, time used) are the result template's, in the reader's language.
        Job.objects.filter(pk=ctx.job.pk).update(result={**base, "running": True, **live})
        ctx.progress(min(total - 1, int(live["elapsed_s"] * 10)), total, force=True)
        try:
            ctx.check_cancelled(force=True)
        except JobCancelled:
            return True
        return False

    try:
        version = roster_services.solve_plan(
            plan=plan,
            actor_id=ctx.job.created_by_id,
            time_limit_s=time_limit_s,
            mode=mode,
            tick=tick,
            notice_override_reason=notice_override_reason,
        )
    except RosterRefused as exc:
        if str(exc) == "cancelled":
            raise JobCancelled from None
        raise
    elapsed = round(time.monotonic() - started, 1)
    ctx.progress(total, total, force=True)
    return {
        **base,
        "running": False,
        "version_id": version.pk,
        "version_number": version.number,
        "status": version.solver_status,
        "objective": version.objective,
        "bound": version.bound,
        "elapsed_s": elapsed,
        "violations": len(version.violations),
        "explanation": version.explanation[:20],
        "assignments": version.assignments.count(),
        "changes": version.stats.get("changes"),
        # Solved in parts on the job workers (rostering.parallel), else None.
        "parts_done": version.stats.get("parts_done"),
        "parts_total": version.stats.get("parts"),
        **{k: v for k, v in version.stats.items() if k.startswith(quality.STATS_PREFIX)},
    }


@handler(
    "roster.capacity_proof",
    result_template="rostering/capacity_proof_result.html",
    label=_capacity_label,
)
def capacity_proof_job(
    ctx: JobContext,
    *,
    positions: int = 2,
    pattern: str = "3x8",
    absence_pct: float = 15,
    weekly_hours: float = 40,
    time_limit_s: float = 30,
) -> dict[str, Any]:
    """Search the smallest number of experts one agency needs for one area with the
    solver (a four-week roster, no absence), then add the absence rate."""
    ctx.progress(
        0,
        1,
        _("Looking for the smallest staff that can keep every rule."),
        force=True,
    )
    proof = capacity.prove_minimum(
        positions=int(positions),
        pattern=str(pattern),
        rules=Rules(max_week_average_hours=float(weekly_hours)),
        absence_rate=float(absence_pct) / 100,
        time_limit_s=float(time_limit_s),
    )
    ctx.progress(
        1,
        1,
        _("Finished after %(s)s seconds.") % {"s": number_format(round(proof.seconds, 1), decimal_pos=1)},
        force=True,
    )
    return {
        "status": proof.status,
        "minimum": proof.minimum,
        "lower_bound": proof.lower_bound,
        "best_found": proof.best_found,
        "with_absence": proof.with_absence,
        "method": proof.method,
        "tries": [[n, label] for n, label in proof.tries],
        "seconds": proof.seconds,
        "positions": positions,
        "pattern": pattern,
    }
