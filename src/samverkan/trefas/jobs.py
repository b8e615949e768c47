"""Background jobs of the Trefas track (registered by name; the scheduler starts them:
jobs/schedule.py): the review of anyone not discussed for two cycles, the reminders
before releases and leaves (daily), and the retention purge (gallring, started by the
data-protection officer)."""

from __future__ import annotations

from typing import Any

from samverkan.jobs.context import JobContext
from samverkan.jobs.registry import handler
from samverkan.trefas.services import listing, retention
from samverkan.trefas.services.releases import release_reminders_send


@handler("trefas.review_due")
def review_due_job(ctx: JobContext) -> dict[str, Any]:
    """Flag everyone not discussed for two meeting cycles for review (idempotent)."""
    return listing.review_due()


@handler("trefas.release_reminders")
def release_reminders_job(ctx: JobContext) -> dict[str, Any]:
    return release_reminders_send()




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
