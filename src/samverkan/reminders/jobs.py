"""Background jobs: refresh the reminders from their sources, and send the digest."""

from __future__ import annotations

from typing import Any

from samverkan.jobs.context import JobContext
from samverkan.jobs.registry import handler
from samverkan.reminders import services


@handler("reminders.refresh")
def refresh_job(ctx: JobContext) -> dict[str, Any]:
    return services.reminders_refresh(actor=ctx.job.created_by)


@handler("reminders.digest")
def digest_job(ctx: JobContext) -> dict[str, Any]:
    return services.digest_send()
