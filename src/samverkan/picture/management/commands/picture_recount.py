"""`samverkan picture_recount [--area CODE ...]`: rebuild the weekly counts of the local
picture (WeekCount) from the active incident reports — after a restore, a bulk import or
a manual correction in the database. The report services keep the counts in step on every
report and withdrawal, so operators need this only when something else changed reports.
One transaction: the picture shows either the old counts or the new ones."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from samverkan.directory.models import Area
from samverkan.picture.services.reports import week_counts_rebuild


class Command(BaseCommand):
    help = "Rebuild the local picture's weekly counts from the active incident reports."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--area", action="append", default=[], metavar="CODE",
                            help="Only this area (by its code); may be repeated. Default: every area.")

    def handle(self, *args: Any, **options: Any) -> None:
        codes: list[str] = options["area"]
        area_ids = None
        if codes:
            found = dict(Area.objects.filter(code__in=codes).values_list("code", "pk"))
            missing = sorted(set(codes) - set(found))
            if missing:
                raise CommandError(f"Unknown area code(s): {', '.join(missing)}")
            area_ids = sorted(found.values())
        rows, reports = week_counts_rebuild(area_ids=area_ids)
        self.stdout.write(f"Week counts rebuilt: {rows} rows from {reports} active reports.")
