"""``samverkan migrate``: Django's migrate, as the owner role, then the runtime grants.

With MIGRATION_DATABASE_URL set (PostgreSQL), the default connection is switched to that
role before anything connects, so the owner creates and owns every table and trigger
function; afterwards the runtime role (DATABASE_URL's user) gets exactly its rights
(``samverkan db grants``). Without it, this is Django's migrate unchanged (SQLite, the
test suite, a deployment that has not split its roles yet). docs/adr/0009.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError
from django.core.management.commands import migrate
from django.db import connections

from samverkan.dbroles import roles


class Command(migrate.Command):
    help = (
        "Updates the database schema as the owner role (MIGRATION_DATABASE_URL, when set) "
        "and then refreshes the runtime role's grants."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        alias = options["database"]
        with roles.owner_connection(alias) as session:
            super().handle(*args, **options)
            if not session.switched or options.get("plan") or options.get("check_unapplied"):
                return
            try:
                summary = roles.grant_runtime_role(connections[alias], role=session.runtime_role)
            except roles.GrantError as exc:
                raise CommandError(f"Migrated, but the runtime role's grants failed: {exc}") from None
            if options["verbosity"]:
                self.stdout.write(
                    f"Grants refreshed for {summary.role}: {summary.tables} tables "
                    f"({summary.restricted} restricted), {summary.sequences} sequences."
                )
