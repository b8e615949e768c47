"""Database triggers that keep a Trefas forum meeting's signed minutes immutable.

- UPDATE of a meeting whose ``signed_at`` is set is refused when it would change what the
  minutes say, who signed them and when, or the meeting they record (forum, time, place,
  status, who planned it), or un-sign them. The version may still move.
- The attendance of a signed meeting takes no new rows and no changes.
- A signed meeting and its attendance are deleted only by the retention purge: a DELETE
  is refused unless the deleting transaction holds a retention-purge permit (the one
  permit of the whole purge, journal.guard.retention_purge_permit); unsigned meetings may go.
- TRUNCATE of either table is refused (PostgreSQL; it would skip the row triggers).

The services (trefas.services.meetings) check the same rules first and give a clear
message; the triggers stop a bug, a shell session or a careless script, and the runtime
database role, which owns neither the tables nor the trigger functions, cannot lift them
(docs/adr/0009). They do not stop the owner role or a database superuser.

Installed by migration (trefas/migrations/0004_meetings_signed_minutes_guard.py). On
SQLite a later migration that rebuilds either table drops the triggers and must install
them again (tests/trefas/test_guard.py fails otherwise).
"""

from __future__ import annotations

from typing import Any

from samverkan.lib.triggers import (
    PgFunction,
    PgTrigger,
    SqliteTrigger,
    TriggerGuard,
    columns_changed,
    pg_raise,
)

MEETINGS = "trefas_forummeeting"
ATTENDANCE = "trefas_meetingattendance"
PERMITS = "journal_purgepermit"  # journal.guard.PERMITS: one permit for the whole purge
TABLES = (MEETINGS, ATTENDANCE)

_GUARDED = [
    "minutes",
    "signed_by_id",
    "signed_at",
    "forum_id",
    "scheduled_for",
    "place",
    "status",
    "created_by_id",
    "created_at",
]
_ATTENDANCE_GUARDED = ["meeting_id", "user_id", "organisation_id", "present"]

MINUTES_MESSAGE = "signed Trefas minutes are immutable"
ATTENDANCE_MESSAGE = "the attendance of signed Trefas minutes is immutable"
DELETE_MESSAGE = "signed Trefas minutes are deleted only by the retention purge"
TRUNCATE_MESSAGE = "Trefas meetings are deleted only by the retention purge"


def _signed(row: str) -> str:
    """The attendance ``row`` (OLD or NEW) belongs to a signed meeting."""
    return f"EXISTS (SELECT 1 FROM {MEETINGS} WHERE id = {row}.meeting_id AND signed_at IS NOT NULL)"  # noqa: S608


_NO_PERMIT = f"NOT EXISTS (SELECT 1 FROM {PERMITS})"  # noqa: S608

# Static names only (module constants), no user input: S608 does not apply.
GUARD = TriggerGuard(
    sqlite=[
        SqliteTrigger(
            "trefas_minutes_signed_no_update", MEETINGS, "UPDATE", MINUTES_MESSAGE,
            when=f"OLD.signed_at IS NOT NULL AND ({columns_changed(_GUARDED, vendor='sqlite')})",
        ),
        SqliteTrigger(
            "trefas_minutes_signed_no_delete", MEETINGS, "DELETE", DELETE_MESSAGE,
            when=f"OLD.signed_at IS NOT NULL AND {_NO_PERMIT}",
        ),
        SqliteTrigger(
            "trefas_attendance_signed_no_insert", ATTENDANCE, "INSERT", ATTENDANCE_MESSAGE,
            when=_signed("NEW"),
        ),
        SqliteTrigger(
            "trefas_attendance_signed_no_update", ATTENDANCE, "UPDATE", ATTENDANCE_MESSAGE,
            when=f"({_signed('OLD')} OR {_signed('NEW')})\n"
                 f"         AND ({columns_changed(_ATTENDANCE_GUARDED, vendor='sqlite')})",
        ),
        SqliteTrigger(
            "trefas_attendance_signed_no_delete", ATTENDANCE, "DELETE", DELETE_MESSAGE,
            when=f"{_signed('OLD')}\n         AND {_NO_PERMIT}",
        ),
    ],
    functions=[
        PgFunction(
            "samverkan_trefas_minutes_guard",
            f"""\
         IF TG_OP = 'TRUNCATE' THEN {pg_raise(TRUNCATE_MESSAGE)} END IF;
         IF TG_OP = 'DELETE' THEN
           IF OLD.signed_at IS NULL OR EXISTS (SELECT 1 FROM {PERMITS}) THEN RETURN OLD; END IF;
           {pg_raise(DELETE_MESSAGE)}
         END IF;
         IF OLD.signed_at IS NOT NULL AND ({columns_changed(_GUARDED, vendor='postgresql')}) THEN
           {pg_raise(MINUTES_MESSAGE)}
         END IF;
         RETURN NEW;""",  # noqa: S608
        ),
        PgFunction(
            "samverkan_trefas_attendance_guard",
            f"""\
         IF TG_OP = 'TRUNCATE' THEN {pg_raise(TRUNCATE_MESSAGE)} END IF;
         IF TG_OP = 'DELETE' THEN
           IF EXISTS (SELECT 1 FROM {PERMITS}) OR NOT {_signed('OLD')} THEN RETURN OLD; END IF;
           {pg_raise(DELETE_MESSAGE)}
         END IF;
         IF TG_OP = 'UPDATE' THEN
           IF ({_signed('OLD')} OR {_signed('NEW')})
              AND ({columns_changed(_ATTENDANCE_GUARDED, vendor='postgresql')}) THEN
             {pg_raise(ATTENDANCE_MESSAGE)}
           END IF;
           RETURN NEW;
         END IF;
         IF {_signed('NEW')} THEN {pg_raise(ATTENDANCE_MESSAGE)} END IF;
         RETURN NEW;""",  # noqa: S608
        ),
    ],
    postgresql=[
        PgTrigger("trefas_minutes_guard", MEETINGS, "UPDATE OR DELETE", "samverkan_trefas_minutes_guard"),
        PgTrigger("trefas_minutes_no_truncate", MEETINGS, "TRUNCATE", "samverkan_trefas_minutes_guard"),
        PgTrigger("trefas_attendance_guard", ATTENDANCE, "INSERT OR UPDATE OR DELETE",
                  "samverkan_trefas_attendance_guard"),
        PgTrigger("trefas_attendance_no_truncate", ATTENDANCE, "TRUNCATE", "samverkan_trefas_attendance_guard"),
    ],
)
FUNCTIONS = GUARD.function_names


def install(connection: Any) -> None:
    GUARD.install(connection)


def remove(connection: Any) -> None:
    """Only for test-database teardown (table flush), documented maintenance and a
    migration's reverse."""
    GUARD.remove(connection)
