"""Background job: delete tips past retention (TIPS_RETENTION_MONTHS, default 12)."""

from __future__ import annotations

from typing import Any

from samverkan.jobs.context import JobContext
from samverkan.jobs.registry import handler
from samverkan.tips import services


@handler("tips.purge")
def purge_job(ctx: JobContext) -> dict[str, Any]:
    ctx.progress(0, 1, force=True)
    deleted = services.tips_purge(actor_id=ctx.job.created_by_id)
    ctx.progress(1, 1, force=True)
    return {"deleted": deleted, "cutoff": services.retention_cutoff().isoformat()}
