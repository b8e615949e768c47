"""Background job: solve or re-plan a roster with live progress (best objective,
bound, elapsed) and cancellation."""

from __future__ import annotations

import time
from typing import Any

from django.utils.translation import gettext as _

from samverkan.jobs.context import JobCancelled, JobContext
from samverkan.jobs.models import Job
from samverkan.jobs.registry import handler
from samverkan.rostering import services
from samverkan.rostering.models import RosterPlan


def _number(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}"


@handler(services.SOLVE_JOB, result_template="rostering/solve_result.html")
def solve_job(
    ctx: JobContext,
    *,
    plan_id: int,
    time_limit_s: int = services.DEFAULT_TIME_LIMIT_S,
    mode: str = "solve",
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
        message = _("Best objective %(obj)s, bound %(bound)s, %(s).1f s elapsed.") % {
            "obj": _number(live["objective"]),
            "bound": _number(live["bound"]),
            "s": live["elapsed_s"],
        }
        Job.objects.filter(pk=ctx.job.pk).update(result={**base, "running": True, **live})
        ctx.progress(min(total - 1, int(live["elapsed_s"] * 10)), total, message, force=True)
        try:
            ctx.check_cancelled(force=True)
        except JobCancelled:
            return True
        return False

    try:
        version = services.solve_plan(
            plan=plan,
            actor_id=ctx.job.created_by_id,
            time_limit_s=time_limit_s,
            mode=mode,
            tick=tick,
        )
    except services.RosterRefused as exc:
        if str(exc) == "cancelled":
            raise JobCancelled from None
        raise
    elapsed = round(time.monotonic() - started, 1)
    ctx.progress(total, total, _("Finished after %(s).1f s.") % {"s": elapsed}, force=True)
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
    }
