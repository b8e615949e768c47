"""`samverkan purge_tips`: delete tips past retention. Run daily (cron or a scheduler);
`--job` runs it through the job system instead, with progress and an audit trail."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from samverkan.jobs.services import job_start
from samverkan.tips import services


class Command(BaseCommand):
    help = "Delete anonymous tips older than TIPS_RETENTION_MONTHS (default 12)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--job", action="store_true", help="Run as a background job (tips.purge)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["job"]:
            job = job_start(actor=None, kind="tips.purge")
            self.stdout.write(f"started job {job.public_id}")
            return
        deleted = services.tips_purge()
        self.stdout.write(
            f"deleted {deleted} tip(s) received before {services.retention_cutoff().isoformat()}"
        )
