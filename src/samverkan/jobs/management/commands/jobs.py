"""`samverkan jobs recover`: fail jobs left "running" by a process that died."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from samverkan.jobs.services import jobs_recover

DEFAULT_OLDER_THAN_MINUTES = 6 * 60  # the RQ job timeout: no live job runs longer


class Command(BaseCommand):
    help = (
        "Maintain background jobs. recover: mark jobs left running by a crashed process as failed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        recover = sub.add_parser(
            "recover",
            help='Mark jobs "running" longer than --older-than minutes as failed ("Interrupted").',
        )
        recover.add_argument(
            "--older-than",
            type=int,
            default=DEFAULT_OLDER_THAN_MINUTES,
            metavar="MINUTES",
            help=f"Only jobs started more than this many minutes ago "
            f"(default {DEFAULT_OLDER_THAN_MINUTES}).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] != "recover":  # pragma: no cover - argparse enforces it
            raise CommandError(f"unknown action {options['action']!r}")
        minutes = options["older_than"]
        if minutes < 0:
            raise CommandError("--older-than must be 0 or more minutes")
        recovered = jobs_recover(older_than=timedelta(minutes=minutes))
        self.stdout.write(f"Marked {len(recovered)} interrupted job(s) as failed.")
        for job in recovered:
            self.stdout.write(f"  {job.public_id} {job.kind}")
