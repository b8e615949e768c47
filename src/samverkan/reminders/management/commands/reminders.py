"""``samverkan reminders refresh`` and ``samverkan reminders digest`` (for cron).

refresh: bring the generated reminders in step with commitments, meetings, consents,
retention dates and follow-ups. digest: e-mail each user the counts of their reminders
(no names or details) with a link.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from samverkan.reminders import services


class Command(BaseCommand):
    help = "Refresh reminders from their sources, or send the e-mail digest."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="{refresh,digest}")
        sub.add_parser("refresh", help="Create, move and remove generated reminders.")
        sub.add_parser("digest", help="E-mail each user the counts of their reminders.")

    def handle(self, *args: Any, **options: Any) -> None:
        result = services.reminders_refresh() if options["subcommand"] == "refresh" else services.digest_send()
        self.stdout.write(" ".join(f"{k}={v}" for k, v in sorted(result.items())))
