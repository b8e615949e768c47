"""``samverkan retention purge [--dry-run] [--organisation CODE] [--today YYYY-MM-DD]``.

Deletes every case whose last entry is older than its programme's retention period
(cases on legal hold are kept) and everything it owns; what remains is anonymous
statistics and audit events with counts. --dry-run lists the cases (public id,
programme, last entry, retention date — never names) and deletes nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from samverkan.dataprotection import services
from samverkan.directory.models import Organisation


class Command(BaseCommand):
    help = "Retention purge (gallring) of case data."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="{purge}")
        purge = sub.add_parser("purge", help="Delete the cases whose retention period has ended.")
        purge.add_argument("--dry-run", action="store_true", help="List the cases; delete nothing.")
        purge.add_argument(
            "--organisation", default="", help="Only cases led by this organisation (short code)."
        )
        purge.add_argument("--today", default="", help="Evaluate as of this date (YYYY-MM-DD).")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation_id = None
        if options["organisation"]:
            org = Organisation.objects.filter(short_code=options["organisation"]).first()
            if org is None:
                raise CommandError(_("No organisation with that short code."), returncode=2)
            organisation_id = org.pk
        try:
            today = date.fromisoformat(options["today"]) if options["today"] else None
        except ValueError:
            raise CommandError(_("--today must be a date (YYYY-MM-DD)."), returncode=2) from None
        result = services.purge_run(
            today=today, dry_run=options["dry_run"], organisation_id=organisation_id
        )
        for item in result.due:
            self.stdout.write(
                f"{item.public_id}\t{item.programme_code}\t{item.last_entry_on}\t{item.purge_on}"
            )
        if options["dry_run"]:
            self.stdout.write(
                _("Dry run: %(n)d cases are due; nothing was deleted.") % {"n": len(result.due)}
            )
        else:
            self.stdout.write(
                _("Purged %(purged)d cases (%(skipped)d skipped).")
                % {"purged": result.purged, "skipped": result.skipped}
            )
