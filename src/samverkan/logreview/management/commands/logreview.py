"""``samverkan logreview sample [--month YYYY-MM] [--organisation ID]`` (for cron, on
the first of each month): draw the month's log review for every organisation with a
log reviewer (default: the previous month)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.logreview import rules, services


class Command(BaseCommand):
    help = "Draw the monthly log review: a random sample of accesses plus every flagged access."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="{sample}")
        sample = sub.add_parser("sample", help="Draw the sample for a month.")
        sample.add_argument("--month", default="", help="YYYY-MM (default: the previous month).")
        sample.add_argument(
            "--organisation", type=int, default=None, help="Only this organisation (id)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            month = (
                rules.parse_month(options["month"])
                if options["month"]
                else rules.previous_month(timezone.localdate())
            )
        except ValueError:
            raise CommandError(_("--month must be YYYY-MM."), returncode=2) from None
        if options["organisation"] is not None:
            review = services.review_sample(organisation_id=options["organisation"], month=month)
            result = {"reviews": 1, "items": review.items.count()}
        else:
            result = services.review_sample_all(month=month)
        self.stdout.write(
            f"month={month:%Y-%m} " + " ".join(f"{k}={v}" for k, v in sorted(result.items()))
        )
