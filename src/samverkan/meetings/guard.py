"""Database triggers that keep signed minutes and their decisions immutable.

- UPDATE of minutes whose ``signed_at`` is set is refused when it would change what they
  say or who recorded them, or un-sign them. A correction is new minutes.
- Decisions are never updated, and none is added to signed minutes.

The services check the same rules first and give a clear message; the triggers stop a
bug, a shell session or a careless script. Deletion is left to the case's cascade (the
retention purge). They do not stop a database superuser.
"""

from __future__ import annotations

from typing import Any

MINUTES = "meetings_minutes"
DECISIONS = "meetings_decision"

_GUARDED = [
    "text",
    "category",
    "recorded_by_organisation_id",
    "author_id",
    "case_id",
    "meeting_id",
    "corrects_id",
    "created_at",
    "signed_at",
]
_SQLITE_CHANGED = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in _GUARDED)
_PG_CHANGED = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in _GUARDED)

MINUTES_MESSAGE = "signed minutes are immutable"
DECISION_UPDATE_MESSAGE = "meeting decisions are immutable"
DECISION_INSERT_MESSAGE = "signed minutes take no new decisions"

# Static names only (module constants), no user input: S608 does not apply.
_SQLITE_INSTALL = [
    f"""CREATE TRIGGER IF NOT EXISTS minutes_signed_no_update BEFORE UPDATE ON {MINUTES}
        WHEN OLD.signed_at IS NOT NULL AND ({_SQLITE_CHANGED})
        BEGIN SELECT RAISE(ABORT, '{MINUTES_MESSAGE}'); END;""",
    f"""CREATE TRIGGER IF NOT EXISTS decision_no_update BEFORE UPDATE ON {DECISIONS}
        BEGIN SELECT RAISE(ABORT, '{DECISION_UPDATE_MESSAGE}'); END;""",
    f"""CREATE TRIGGER IF NOT EXISTS decision_not_in_signed BEFORE INSERT ON {DECISIONS}
        WHEN EXISTS (SELECT 1 FROM {MINUTES} WHERE id = NEW.minutes_id AND signed_at IS NOT NULL)
        BEGIN SELECT RAISE(ABORT, '{DECISION_INSERT_MESSAGE}'); END;""",  # noqa: S608
]
_SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS minutes_signed_no_update;",
    "DROP TRIGGER IF EXISTS decision_no_update;",
    "DROP TRIGGER IF EXISTS decision_not_in_signed;",
]
_PG_INSTALL = [
    f"""CREATE OR REPLACE FUNCTION samverkan_minutes_guard() RETURNS trigger AS $$
       BEGIN
         IF OLD.signed_at IS NOT NULL AND ({_PG_CHANGED}) THEN
           RAISE EXCEPTION '{MINUTES_MESSAGE}';
         END IF;
         RETURN NEW;
       END; $$ LANGUAGE plpgsql;""",
    f"""CREATE OR REPLACE FUNCTION samverkan_decision_guard() RETURNS trigger AS $$
       BEGIN
         IF TG_OP = 'UPDATE' THEN RAISE EXCEPTION '{DECISION_UPDATE_MESSAGE}'; END IF;
         IF EXISTS (SELECT 1 FROM {MINUTES}
                    WHERE id = NEW.minutes_id AND signed_at IS NOT NULL) THEN
           RAISE EXCEPTION '{DECISION_INSERT_MESSAGE}';
         END IF;
         RETURN NEW;
       END; $$ LANGUAGE plpgsql;""",  # noqa: S608
    f"DROP TRIGGER IF EXISTS minutes_guard ON {MINUTES};",
    f"""CREATE TRIGGER minutes_guard BEFORE UPDATE ON {MINUTES}
        FOR EACH ROW EXECUTE FUNCTION samverkan_minutes_guard();""",
    f"DROP TRIGGER IF EXISTS decision_guard ON {DECISIONS};",
    f"""CREATE TRIGGER decision_guard BEFORE INSERT OR UPDATE ON {DECISIONS}
        FOR EACH ROW EXECUTE FUNCTION samverkan_decision_guard();""",
]
_PG_DROP = [
    f"DROP TRIGGER IF EXISTS minutes_guard ON {MINUTES};",
    f"DROP TRIGGER IF EXISTS decision_guard ON {DECISIONS};",
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
    """Only for documented maintenance (and a migration's reverse)."""
    with connection.cursor() as cursor:
        for sql in _statements(connection.vendor, False):
            cursor.execute(sql)
