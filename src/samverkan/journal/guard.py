"""Database triggers that keep signed journal notes immutable and notes undeletable.

- UPDATE of a note whose ``signed_at`` is set is refused when it would change what the
  note says or who recorded it (text, category, occurred_on, recorded_by_organisation,
  author, case, corrects, created_at) or un-sign it. A correction is a new note.
- DELETE of any note is refused unless the deleting transaction holds a retention-purge
  permit (a row in journal_purgepermit that only that transaction can see; see
  ``retention_purge_permit``). Nothing else deletes journal notes.
- TRUNCATE is refused (PostgreSQL; it would skip the row triggers).

The services check the same rules first and give a clear message; the triggers stop
a bug, a shell session or a careless script, and the runtime database role, which owns
neither the table nor the trigger function, cannot lift them (docs/adr/0009). They do
not stop the owner role or a database superuser.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection as default_connection
from django.db import transaction

from samverkan.lib.triggers import (
    PgFunction,
    PgTrigger,
    SqliteTrigger,
    TriggerGuard,
    columns_changed,
    pg_raise,
)

TABLE = "journal_journalnote"
PERMITS = "journal_purgepermit"
TABLES = (TABLE,)

_GUARDED = [
    "text",
    "category",
    "occurred_on",
    "recorded_by_organisation_id",
    "author_id",
    "case_id",
    "corrects_id",
    "created_at",
    "signed_at",
]

UPDATE_MESSAGE = "signed journal notes are immutable"
DELETE_MESSAGE = "journal notes are deleted only by the retention purge"

# Static names only (module constants), no user input: S608 does not apply.
GUARD = TriggerGuard(
    sqlite=[
        SqliteTrigger(
            "journal_signed_no_update", TABLE, "UPDATE", UPDATE_MESSAGE,
            when=f"OLD.signed_at IS NOT NULL AND ({columns_changed(_GUARDED, vendor='sqlite')})",
        ),
        SqliteTrigger(
            "journal_no_delete", TABLE, "DELETE", DELETE_MESSAGE,
            when=f"NOT EXISTS (SELECT 1 FROM {PERMITS})",  # noqa: S608
        ),
    ],
    functions=[
        PgFunction(
            "samverkan_journal_guard",
            f"""\
         IF TG_OP = 'TRUNCATE' THEN {pg_raise(DELETE_MESSAGE)} END IF;
         IF TG_OP = 'DELETE' THEN
           IF EXISTS (SELECT 1 FROM {PERMITS}) THEN RETURN OLD; END IF;
           {pg_raise(DELETE_MESSAGE)}
         END IF;
         IF OLD.signed_at IS NOT NULL AND ({columns_changed(_GUARDED, vendor='postgresql')}) THEN
           {pg_raise(UPDATE_MESSAGE)}
         END IF;
         RETURN NEW;""",  # noqa: S608
        ),
    ],
    postgresql=[
        PgTrigger("journal_note_guard", TABLE, "UPDATE OR DELETE", "samverkan_journal_guard"),
        PgTrigger("journal_no_truncate", TABLE, "TRUNCATE", "samverkan_journal_guard"),
    ],
)
FUNCTIONS = GUARD.function_names


def install(connection: Any) -> None:
    GUARD.install(connection)


def remove(connection: Any) -> None:
    """Only for test-database teardown (table flush) and documented maintenance."""
    GUARD.remove(connection)


@contextmanager
def retention_purge_permit() -> Iterator[None]:
    """Let the surrounding transaction delete journal notes (the retention purge only).

    Must run inside ``transaction.atomic()``: the permit row is removed again before the
    transaction commits, so no other transaction ever sees it.
    """
    from samverkan.journal.models import (
        PurgePermit,  # deferred: the guard module is imported by migrations; the model is read when the guard runs
    )

    if not default_connection.in_atomic_block:
        raise RuntimeError("retention_purge_permit() must be used inside transaction.atomic()")
    with transaction.atomic():
        permit = PurgePermit.objects.create()
        yield
        # Only on success: after an error the transaction rolls back (and with it the
        # permit), and on PostgreSQL no further statement would run anyway.
        PurgePermit.objects.filter(pk=permit.pk).delete()
