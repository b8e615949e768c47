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

from samverkan.lib.triggers import (
    PgFunction,
    PgTrigger,
    SqliteTrigger,
    TriggerGuard,
    columns_changed,
    pg_raise,
)

MINUTES = "meetings_minutes"
DECISIONS = "meetings_decision"
PERMITS = "journal_purgepermit"  # journal.guard.PERMITS: one permit for the whole purge
TABLES = (MINUTES, DECISIONS)

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

MINUTES_MESSAGE = "signed minutes are immutable"
DECISION_UPDATE_MESSAGE = "meeting decisions are immutable"
DECISION_INSERT_MESSAGE = "signed minutes take no new decisions"
MINUTES_DELETE_MESSAGE = "signed minutes are deleted only by the retention purge"
TRUNCATE_MESSAGE = "minutes and decisions are deleted only by the retention purge"


def _in_signed(row: str) -> str:
    """The decision ``row`` (OLD or NEW) belongs to signed minutes."""
    return f"EXISTS (SELECT 1 FROM {MINUTES} WHERE id = {row}.minutes_id AND signed_at IS NOT NULL)"  # noqa: S608


_NO_PERMIT = f"NOT EXISTS (SELECT 1 FROM {PERMITS})"  # noqa: S608

# Static names only (module constants), no user input: S608 does not apply.
GUARD = TriggerGuard(
    sqlite=[
        SqliteTrigger(
            "minutes_signed_no_update", MINUTES, "UPDATE", MINUTES_MESSAGE,
            when=f"OLD.signed_at IS NOT NULL AND ({columns_changed(_GUARDED, vendor='sqlite')})",
        ),
        SqliteTrigger("decision_no_update", DECISIONS, "UPDATE", DECISION_UPDATE_MESSAGE),
        SqliteTrigger(
            "decision_not_in_signed", DECISIONS, "INSERT", DECISION_INSERT_MESSAGE, when=_in_signed("NEW")
        ),
        SqliteTrigger(
            "minutes_signed_no_delete", MINUTES, "DELETE", MINUTES_DELETE_MESSAGE,
            when=f"OLD.signed_at IS NOT NULL AND {_NO_PERMIT}",
        ),
        SqliteTrigger(
            "decision_signed_no_delete", DECISIONS, "DELETE", MINUTES_DELETE_MESSAGE,
            when=f"{_in_signed('OLD')}\n         AND {_NO_PERMIT}",
        ),
    ],
    functions=[
        PgFunction(
            "samverkan_minutes_guard",
            f"""\
         IF TG_OP = 'TRUNCATE' THEN {pg_raise(TRUNCATE_MESSAGE)} END IF;
         IF TG_OP = 'DELETE' THEN
           IF OLD.signed_at IS NULL OR EXISTS (SELECT 1 FROM {PERMITS}) THEN RETURN OLD; END IF;
           {pg_raise(MINUTES_DELETE_MESSAGE)}
         END IF;
         IF OLD.signed_at IS NOT NULL AND ({columns_changed(_GUARDED, vendor='postgresql')}) THEN
           {pg_raise(MINUTES_MESSAGE)}
         END IF;
         RETURN NEW;""",  # noqa: S608
        ),
        PgFunction(
            "samverkan_decision_guard",
            f"""\
         IF TG_OP = 'TRUNCATE' THEN {pg_raise(TRUNCATE_MESSAGE)} END IF;
         IF TG_OP = 'UPDATE' THEN {pg_raise(DECISION_UPDATE_MESSAGE)} END IF;
         IF TG_OP = 'DELETE' THEN
           IF EXISTS (SELECT 1 FROM {PERMITS})
              OR NOT EXISTS (SELECT 1 FROM {MINUTES}
                             WHERE id = OLD.minutes_id AND signed_at IS NOT NULL) THEN
             RETURN OLD;
           END IF;
           {pg_raise(MINUTES_DELETE_MESSAGE)}
         END IF;
         IF EXISTS (SELECT 1 FROM {MINUTES}
                    WHERE id = NEW.minutes_id AND signed_at IS NOT NULL) THEN
           {pg_raise(DECISION_INSERT_MESSAGE)}
         END IF;
         RETURN NEW;""",  # noqa: S608
        ),
    ],
    postgresql=[
        PgTrigger("minutes_guard", MINUTES, "UPDATE OR DELETE", "samverkan_minutes_guard"),
        PgTrigger("minutes_no_truncate", MINUTES, "TRUNCATE", "samverkan_minutes_guard"),
        PgTrigger("decision_guard", DECISIONS, "INSERT OR UPDATE OR DELETE", "samverkan_decision_guard"),
        PgTrigger("decision_no_truncate", DECISIONS, "TRUNCATE", "samverkan_decision_guard"),
    ],
)
FUNCTIONS = GUARD.function_names


def install(connection: Any) -> None:
    GUARD.install(connection)


def remove(connection: Any) -> None:
    """Only for documented maintenance (and a migration's reverse)."""
    GUARD.remove(connection)
