"""Background jobs of Trefas: the retention purge (gallring) of Trefas records."""

from __future__ import annotations

from typing import Any

from samverkan.jobs.context import JobContext
from samverkan.jobs.registry import handler
from samverkan.trefas.services import retention


@handler("trefas.retention_purge")
def retention_purge_job(ctx: JobContext, organisation_id: int | None = None, dry_run: bool = False
                        ) -> dict[str, Any]:
    """params: organisation_id (None: every organisation's records), dry_run (bool)."""

    def progress(done: int, total: int) -> None:
        ctx.check_cancelled()
        ctx.progress(done, total)

    result = retention.purge_run(
        dry_run=bool(dry_run), organisation_id=organisation_id, actor=ctx.job.created_by, progress=progress,
    )
    ctx.progress(sum(result.deleted.values()), sum(result.due.values()), force=True)
    return result.as_dict()
