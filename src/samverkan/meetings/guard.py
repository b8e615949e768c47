"""Database triggers that keep signed minutes and their decisions immutable.

- UPDATE of minutes whose ``signed_at`` is set is refused when it would change what they
  say or who recorded them, or un-sign them. A correction is new minutes.
- Decisions are never updated, and none is added to signed minutes.
- Signed minutes and their decisions are deleted only by the retention purge: a DELETE
  is refused unless the deleting transaction holds a retention-purge permit (the same
  permit as for journal notes, journal.guard.retention_purge_permit); drafts may go.
- TRUNCATE of either table is refused (PostgreSQL; it would skip the row triggers).

The services check the same rules first and give a clear message; the triggers stop a
bug, a shell session or a careless script, and the runtime database role, which owns
neither the tables nor the trigger functions, cannot lift them (docs/adr/0009). They do
not stop the owner role or a database superuser.
"""

from __future__ import annotations

from typing import Any

from samverkan.lib.database import pin_search_path

MINUTES = "meetings_minutes"
DECISIONS = "meetings_decision"
PERMITS = "journal_purgepermit"  # journal.guard.PERMITS: one permit for the whole purge
TABLES = (MINUTES, DECISIONS)
FUNCTIONS = ("samverkan_minutes_guard", "samverkan_decision_guard")

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
MINUTES_DELETE_MESSAGE = "signed minutes are deleted only by the retention purge"
TRUNCATE_MESSAGE = "minutes and decisions are deleted only by the retention purge"

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
    f"""CREATE TRIGGER IF NOT EXISTS minutes_signed_no_delete BEFORE DELETE ON {MINUTES}
        WHEN OLD.signed_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM {PERMITS})
        BEGIN SELECT RAISE(ABORT, '{MINUTES_DELETE_MESSAGE}'); END;""",  # noqa: S608
    f"""CREATE TRIGGER IF NOT EXISTS decision_signed_no_delete BEFORE DELETE ON {DECISIONS}
        WHEN EXISTS (SELECT 1 FROM {MINUTES} WHERE id = OLD.minutes_id AND signed_at IS NOT NULL)
         AND NOT EXISTS (SELECT 1 FROM {PERMITS})
        BEGIN SELECT RAISE(ABORT, '{MINUTES_DELETE_MESSAGE}'); END;""",  # noqa: S608
]
_SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS minutes_signed_no_update;",
    "DROP TRIGGER IF EXISTS decision_no_update;",
    "DROP TRIGGER IF EXISTS decision_not_in_signed;",
    "DROP TRIGGER IF EXISTS minutes_signed_no_delete;",
    "DROP TRIGGER IF EXISTS decision_signed_no_delete;",
]
_PG_INSTALL = [
    f"""CREATE OR REPLACE FUNCTION samverkan_minutes_guard() RETURNS trigger AS $$
       BEGIN
         IF TG_OP = 'TRUNCATE' THEN RAISE EXCEPTION '{TRUNCATE_MESSAGE}'; END IF;
         IF TG_OP = 'DELETE' THEN
           IF OLD.signed_at IS NULL OR EXISTS (SELECT 1 FROM {PERMITS}) THEN RETURN OLD; END IF;
           RAISE EXCEPTION '{MINUTES_DELETE_MESSAGE}';
         END IF;
         IF OLD.signed_at IS NOT NULL AND ({_PG_CHANGED}) THEN
           RAISE EXCEPTION '{MINUTES_MESSAGE}';
         END IF;
         RETURN NEW;
       END; $$ LANGUAGE plpgsql;""",  # noqa: S608
    f"""CREATE OR REPLACE FUNCTION samverkan_decision_guard() RETURNS trigger AS $$
       BEGIN
         IF TG_OP = 'TRUNCATE' THEN RAISE EXCEPTION '{TRUNCATE_MESSAGE}'; END IF;
         IF TG_OP = 'UPDATE' THEN RAISE EXCEPTION '{DECISION_UPDATE_MESSAGE}'; END IF;
         IF TG_OP = 'DELETE' THEN
           IF EXISTS (SELECT 1 FROM {PERMITS})
              OR NOT EXISTS (SELECT 1 FROM {MINUTES}
                             WHERE id = OLD.minutes_id AND signed_at IS NOT NULL) THEN
             RETURN OLD;
           END IF;
           RAISE EXCEPTION '{MINUTES_DELETE_MESSAGE}';
         END IF;
         IF EXISTS (SELECT 1 FROM {MINUTES}
                    WHERE id = NEW.minutes_id AND signed_at IS NOT NULL) THEN
           RAISE EXCEPTION '{DECISION_INSERT_MESSAGE}';
         END IF;
         RETURN NEW;
       END; $$ LANGUAGE plpgsql;""",  # noqa: S608
    f"DROP TRIGGER IF EXISTS minutes_guard ON {MINUTES};",
    f"""CREATE TRIGGER minutes_guard BEFORE UPDATE OR DELETE ON {MINUTES}
        FOR EACH ROW EXECUTE FUNCTION samverkan_minutes_guard();""",
    f"DROP TRIGGER IF EXISTS minutes_no_truncate ON {MINUTES};",
    f"""CREATE TRIGGER minutes_no_truncate BEFORE TRUNCATE ON {MINUTES}
        FOR EACH STATEMENT EXECUTE FUNCTION samverkan_minutes_guard();""",
    f"DROP TRIGGER IF EXISTS decision_guard ON {DECISIONS};",
    f"""CREATE TRIGGER decision_guard BEFORE INSERT OR UPDATE OR DELETE ON {DECISIONS}
        FOR EACH ROW EXECUTE FUNCTION samverkan_decision_guard();""",
    f"DROP TRIGGER IF EXISTS decision_no_truncate ON {DECISIONS};",
    f"""CREATE TRIGGER decision_no_truncate BEFORE TRUNCATE ON {DECISIONS}
        FOR EACH STATEMENT EXECUTE FUNCTION samverkan_decision_guard();""",
    pin_search_path("samverkan_minutes_guard()"),
    pin_search_path("samverkan_decision_guard()"),
]
_PG_DROP = [
    f"DROP TRIGGER IF EXISTS minutes_guard ON {MINUTES};",
    f"DROP TRIGGER IF EXISTS minutes_no_truncate ON {MINUTES};",
    f"DROP TRIGGER IF EXISTS decision_guard ON {DECISIONS};",
    f"DROP TRIGGER IF EXISTS decision_no_truncate ON {DECISIONS};",
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
