"""Database triggers that make audit rows append-only.

They stop the application (and anyone using its database account casually) from
updating or deleting audit rows. The runtime database role, which owns neither the
table nor the trigger function and holds only SELECT and INSERT on the table, cannot lift
them (docs/adr/0009). They do not stop the owner role or a database superuser, which is
why the chain is hashed and sealed with a key the database never sees: ``samverkan
audit verify`` detects what the triggers cannot.
"""

from __future__ import annotations

from typing import Any

from samverkan.lib.triggers import PgFunction, PgTrigger, SqliteTrigger, TriggerGuard, pg_raise

TABLE = "audit_auditevent"
TABLES = (TABLE,)
MESSAGE = "audit trail is append-only"

GUARD = TriggerGuard(
    sqlite=[
        SqliteTrigger("audit_no_update", TABLE, "UPDATE", MESSAGE),
        SqliteTrigger("audit_no_delete", TABLE, "DELETE", MESSAGE),
    ],
    functions=[PgFunction("samverkan_audit_append_only", f"         {pg_raise(MESSAGE)}")],
    postgresql=[
        PgTrigger("audit_no_change", TABLE, "UPDATE OR DELETE", "samverkan_audit_append_only"),
        PgTrigger("audit_no_truncate", TABLE, "TRUNCATE", "samverkan_audit_append_only"),
    ],
)
FUNCTIONS = GUARD.function_names


def install(connection: Any) -> None:
    GUARD.install(connection)


def remove(connection: Any) -> None:
    """Only for test-database teardown and documented maintenance."""
    GUARD.remove(connection)
