"""Start-up refusal: the application must not run as a database role that could lift
the audit trail's or the signed records' guards (roles.py, docs/adr/0009).

Registered (when the app is ready, dbroles/apps.py) as a database check: Django runs it
only when asked to check a database (``run_checks(databases=[...])``, ``samverkan check
--database default``), which samverkan.wsgi, ``samverkan worker`` and ``samverkan
scheduler`` do at start-up (``lib.startup.database_check_refusals``: they ask the check
framework and import nothing from here). ``samverkan check --deploy`` alone connects to
no database. It applies under production settings on PostgreSQL only: the test suite runs
as a superuser, and SQLite (the demo) has one file and no roles.
"""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, Tags, register
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

from samverkan.accounts.checks import production_settings
from samverkan.dbroles import roles


@register(Tags.database, Tags.security)
def runtime_role_cannot_alter_the_guards(
    app_configs: Any = None, databases: Any = None, **kwargs: Any
) -> list[CheckMessage]:
    if not databases or DEFAULT_DB_ALIAS not in databases or not production_settings():
        return []
    if roles.owner_session_active():
        return []  # `samverkan migrate` / `db grants` run as the owner on purpose
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "postgresql":
        return []
    try:
        with connection.cursor() as cursor:
            problems = roles.role_problems(cursor)
    except DatabaseError as exc:
        return [Error(
            f"Could not check the database role ({type(exc).__name__}); refusing to start "
            "without knowing that it cannot alter the audit trail.",
            id="samverkan.E021",
        )]
    if not problems:
        return []
    return [Error(
        "The runtime database role could alter the audit trail or the guards on signed "
        f"records ({'; '.join(problems)}): {roles.FIX}.",
        id="samverkan.E020",
    )]

