"""Background jobs of the Trefas track (registered by name; the scheduler starts them:
jobs/schedule.py): the review of anyone not discussed for two cycles, and the reminders
before releases and leaves (daily)."""

from __future__ import annotations

from typing import Any

from samverkan.jobs.context import JobContext
from samverkan.jobs.registry import handler
from samverkan.trefas.services import listing
from samverkan.trefas.services.releases import release_reminders_send


@handler("trefas.review_due")
def review_due_job(ctx: JobContext) -> dict[str, Any]:
    """Flag everyone not discussed for two meeting cycles for review (idempotent)."""
    return listing.review_due()


@handler("trefas.release_reminders")
def release_reminders_job(ctx: JobContext) -> dict[str, Any]:
    return release_reminders_send()
