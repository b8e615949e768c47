"""Background job: the retention purge (gallring)."""

from __future__ import annotations

from typing import Any

from samverkan.dataprotection import services
from samverkan.jobs.context import JobContext
from samverkan.jobs.registry import handler


@handler("dataprotection.purge")
def purge_job(
    ctx: JobContext, organisation_id: int | None = None, dry_run: bool = False
) -> dict[str, Any]:
    """params: organisation_id (None: every organisation), dry_run (bool)."""

    def progress(done: int, total: int) -> None:
        ctx.check_cancelled()
        ctx.progress(done, total)

    result = services.purge_run(
        dry_run=bool(dry_run),
        organisation_id=organisation_id,
        actor=ctx.job.created_by,
        progress=progress,
    )
    ctx.progress(result.purged, len(result.due), force=True)
    return result.as_dict()
