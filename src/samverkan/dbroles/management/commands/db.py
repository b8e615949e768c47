"""``samverkan db grants`` and ``samverkan db check`` (PostgreSQL; docs/adr/0009).

grants: as the owner (MIGRATION_DATABASE_URL when set, else DATABASE_URL's role), give the
runtime role (DATABASE_URL's user, or ``--role``) exactly the rights the application
needs; idempotent, and run by ``samverkan migrate`` itself after each migration.

check: as the runtime role (DATABASE_URL), list what it could do to the audit trail or the
guards on signed records; exit 1 if anything. The same check refuses start-up under the
production settings.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections

from samverkan.dbroles import roles


class Command(BaseCommand):
    help = "Grant the runtime database role its rights (as the owner), or check the runtime role."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="{grants,check}")
        grants = sub.add_parser("grants", help="Refresh the runtime role's grants (run as the owner).")
        grants.add_argument("--role", default="", help="The runtime role (default: DATABASE_URL's user).")
        sub.add_parser("check", help="List what the runtime role could do to the audit trail's guards.")

    def handle(self, *args: Any, **options: Any) -> None:
        if connections[DEFAULT_DB_ALIAS].vendor != "postgresql":
            raise CommandError("Database roles apply to PostgreSQL only (SQLite keeps one file).",
                               returncode=2)
        if options["subcommand"] == "grants":
            self._grants(options["role"])
        else:
            self._check()

    def _grants(self, role: str) -> None:
        with roles.owner_connection(DEFAULT_DB_ALIAS) as session:
            try:
                summary = roles.grant_runtime_role(
                    connections[DEFAULT_DB_ALIAS], role=role or session.runtime_role
                )
            except roles.GrantError as exc:
                raise CommandError(str(exc), returncode=1) from None
        self.stdout.write(
            f"Grants refreshed for {summary.role} (owner {summary.owner}, schema {summary.schema}): "
            f"{summary.tables} tables ({summary.restricted} restricted), {summary.sequences} sequences."
        )

    def _check(self) -> None:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            problems = roles.role_problems(cursor)
        for problem in problems:
            self.stdout.write(problem)
        if problems:
            raise CommandError(f"The runtime role is unsafe: {roles.FIX}.", returncode=1)
        self.stdout.write("The runtime role cannot alter the audit trail or the guards.")
