"""Background jobs of Trefas: the reminders before releases and leaves (daily)."""

from __future__ import annotations

from typing import Any

from samverkan.jobs.context import JobContext
from samverkan.jobs.registry import handler
from samverkan.trefas.services.releases import release_reminders_send


@handler("trefas.release_reminders")
def release_reminders_job(ctx: JobContext) -> dict[str, Any]:
    return release_reminders_send()
