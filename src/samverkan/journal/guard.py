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

from samverkan.lib.database import pin_search_path

TABLE = "journal_journalnote"
PERMITS = "journal_purgepermit"
TABLES = (TABLE,)
FUNCTIONS = ("samverkan_journal_guard",)

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

_SQLITE_CHANGED = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in _GUARDED)
_PG_CHANGED = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in _GUARDED)

UPDATE_MESSAGE = "signed journal notes are immutable"
DELETE_MESSAGE = "journal notes are deleted only by the retention purge"

_SQLITE_INSTALL = [
    # Static names only (module constants), no user input: S608 does not apply.
    f"""CREATE TRIGGER IF NOT EXISTS journal_signed_no_update BEFORE UPDATE ON {TABLE}
        WHEN OLD.signed_at IS NOT NULL AND ({_SQLITE_CHANGED})
        BEGIN SELECT RAISE(ABORT, '{UPDATE_MESSAGE}'); END;""",
    f"""CREATE TRIGGER IF NOT EXISTS journal_no_delete BEFORE DELETE ON {TABLE}
        WHEN NOT EXISTS (SELECT 1 FROM {PERMITS})
        BEGIN SELECT RAISE(ABORT, '{DELETE_MESSAGE}'); END;""",  # noqa: S608
]
_SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS journal_signed_no_update;",
    "DROP TRIGGER IF EXISTS journal_no_delete;",
]

_PG_INSTALL = [
    f"""CREATE OR REPLACE FUNCTION samverkan_journal_guard() RETURNS trigger AS $$
       BEGIN
         IF TG_OP = 'TRUNCATE' THEN RAISE EXCEPTION '{DELETE_MESSAGE}'; END IF;
         IF TG_OP = 'DELETE' THEN
           IF EXISTS (SELECT 1 FROM {PERMITS}) THEN RETURN OLD; END IF;
           RAISE EXCEPTION '{DELETE_MESSAGE}';
         END IF;
         IF OLD.signed_at IS NOT NULL AND ({_PG_CHANGED}) THEN
           RAISE EXCEPTION '{UPDATE_MESSAGE}';
         END IF;
         RETURN NEW;
       END; $$ LANGUAGE plpgsql;""",  # noqa: S608
    f"DROP TRIGGER IF EXISTS journal_note_guard ON {TABLE};",
    f"""CREATE TRIGGER journal_note_guard BEFORE UPDATE OR DELETE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION samverkan_journal_guard();""",
    f"DROP TRIGGER IF EXISTS journal_no_truncate ON {TABLE};",
    f"""CREATE TRIGGER journal_no_truncate BEFORE TRUNCATE ON {TABLE}
        FOR EACH STATEMENT EXECUTE FUNCTION samverkan_journal_guard();""",
    pin_search_path("samverkan_journal_guard()"),
]
_PG_DROP = [
    f"DROP TRIGGER IF EXISTS journal_note_guard ON {TABLE};",
    f"DROP TRIGGER IF EXISTS journal_no_truncate ON {TABLE};",
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
    """Only for test-database teardown (table flush) and documented maintenance."""
    with connection.cursor() as cursor:
        for sql in _statements(connection.vendor, False):
            cursor.execute(sql)


@contextmanager
def retention_purge_permit() -> Iterator[None]:
    """Let the surrounding transaction delete journal notes (the retention purge only).

    Must run inside ``transaction.atomic()``: the permit row is removed again before the
    transaction commits, so no other transaction ever sees it.
    """
    from samverkan.journal.models import PurgePermit

    if not default_connection.in_atomic_block:
        raise RuntimeError("retention_purge_permit() must be used inside transaction.atomic()")
    with transaction.atomic():
        permit = PurgePermit.objects.create()
        yield
        # Only on success: after an error the transaction rolls back (and with it the
        # permit), and on PostgreSQL no further statement would run anyway.
        PurgePermit.objects.filter(pk=permit.pk).delete()
