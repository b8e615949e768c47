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

from samverkan.lib.database import pin_search_path

TABLE = "audit_auditevent"
TABLES = (TABLE,)
FUNCTIONS = ("samverkan_audit_append_only",)

_SQLITE_INSTALL = [
    f"""CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;""",
    f"""CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;""",
]
_SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_no_update;",
    "DROP TRIGGER IF EXISTS audit_no_delete;",
]

_PG_INSTALL = [
    """CREATE OR REPLACE FUNCTION samverkan_audit_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit trail is append-only'; END; $$ LANGUAGE plpgsql;""",
    f"DROP TRIGGER IF EXISTS audit_no_change ON {TABLE};",
    f"""CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION samverkan_audit_append_only();""",
    f"DROP TRIGGER IF EXISTS audit_no_truncate ON {TABLE};",
    f"""CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON {TABLE}
        FOR EACH STATEMENT EXECUTE FUNCTION samverkan_audit_append_only();""",
    pin_search_path("samverkan_audit_append_only()"),
]
_PG_DROP = [
    f"DROP TRIGGER IF EXISTS audit_no_change ON {TABLE};",
    f"DROP TRIGGER IF EXISTS audit_no_truncate ON {TABLE};",
]


def _statements(vendor: str, install: bool) -> list[str]:
    if vendor == "sqlite":
        return _SQLITE_INSTALL if install else _SQLITE_DROP
    if vendor == "postgresql":
        return _PG_INSTALL if install else _PG_DROP
    return []


def install(connection: Any) -> None:
    with connection.cursor() as cursor:
        for sql in _statements(connection.vendor, True):
            cursor.execute(sql)


def remove(connection: Any) -> None:
    """Only for test-database teardown and documented maintenance."""
    with connection.cursor() as cursor:
        for sql in _statements(connection.vendor, False):
            cursor.execute(sql)
