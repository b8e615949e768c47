"""Database triggers that guard a table, described once and written out for SQLite and
PostgreSQL.

The guards (``audit.guard``, ``journal.guard``, ``meetings.guard``) say what to refuse;
this module holds the scaffolding they share: ``CREATE TRIGGER`` for both vendors, the
PostgreSQL trigger functions with their ``search_path`` pinned, the matching ``DROP``
statements, and running them on a connection. Names, conditions and messages are static
module constants, never user input (which is why building SQL from strings is safe here);
a message may not hold a quote.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any


def pin_search_path(function: str) -> str:
    """SQL that pins a PostgreSQL function's search_path to the schema it is created in,
    with pg_temp last. Trigger functions name tables unqualified; without this, a role
    that may create temporary tables could shadow e.g. the purge-permit table with a
    temporary one of its own (pg_temp is otherwise searched first) and pass a guard.
    ``function`` is a static name with its argument list, e.g. ``guard_fn()``."""
    return (
        "DO $$ BEGIN EXECUTE format("
        f"'ALTER FUNCTION {function} SET search_path = %I, pg_temp', current_schema()); END $$;"
    )


def _literal(message: str) -> str:
    if "'" in message:
        raise ValueError("a guard message may not contain a quote")
    return f"'{message}'"


def columns_changed(columns: Iterable[str], *, vendor: str) -> str:
    """A row trigger's condition: any of ``columns`` differs between OLD and NEW (NULLs
    compared as values)."""
    op = "IS NOT" if vendor == "sqlite" else "IS DISTINCT FROM"
    return " OR ".join(f"NEW.{c} {op} OLD.{c}" for c in columns)


def pg_raise(message: str) -> str:
    """The PL/pgSQL statement that refuses with ``message``."""
    return f"RAISE EXCEPTION {_literal(message)};"


@dataclass(frozen=True)
class SqliteTrigger:
    """``BEFORE <event> ON <table> [WHEN <when>]``: abort with ``message``."""

    name: str
    table: str
    event: str  # INSERT, UPDATE or DELETE
    message: str
    when: str = ""

    def create_sql(self) -> str:
        when = f"\n        WHEN {self.when}" if self.when else ""
        return (
            f"CREATE TRIGGER IF NOT EXISTS {self.name} BEFORE {self.event} ON {self.table}{when}\n"
            f"        BEGIN SELECT RAISE(ABORT, {_literal(self.message)}); END;"
        )

    def drop_sql(self) -> str:
        return f"DROP TRIGGER IF EXISTS {self.name};"


@dataclass(frozen=True)
class PgFunction:
    """A PL/pgSQL trigger function; ``body`` is what runs between BEGIN and END."""

    name: str
    body: str

    def create_sql(self) -> str:
        return (
            f"CREATE OR REPLACE FUNCTION {self.name}() RETURNS trigger AS $$\n"
            f"       BEGIN\n{self.body}\n       END; $$ LANGUAGE plpgsql;"
        )


@dataclass(frozen=True)
class PgTrigger:
    """``BEFORE <events> ON <table>`` running ``function``: per row, or per statement
    for TRUNCATE (which has no rows)."""

    name: str
    table: str
    events: str  # e.g. "UPDATE OR DELETE", "TRUNCATE"
    function: str

    def create_sql(self) -> str:
        level = "STATEMENT" if self.events == "TRUNCATE" else "ROW"
        return (
            f"CREATE TRIGGER {self.name} BEFORE {self.events} ON {self.table}\n"
            f"        FOR EACH {level} EXECUTE FUNCTION {self.function}();"
        )

    def drop_sql(self) -> str:
        return f"DROP TRIGGER IF EXISTS {self.name} ON {self.table};"


@dataclass(frozen=True)
class TriggerGuard:
    """One guard: its SQLite triggers, and its PostgreSQL functions and triggers.

    Installing is idempotent (a migration may run it again to change a guard): on
    PostgreSQL every function is replaced, every trigger dropped and created again, and
    every function's search_path pinned. Removing drops the triggers; the functions stay
    (they do nothing without a trigger, and the runtime role cannot attach them)."""

    sqlite: Sequence[SqliteTrigger]
    functions: Sequence[PgFunction]
    postgresql: Sequence[PgTrigger]

    @property
    def function_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.functions)

    def statements(self, vendor: str, *, install: bool) -> list[str]:
        """The SQL to install (or remove) the guard on ``vendor``; none on another."""
        if vendor == "sqlite":
            return [t.create_sql() if install else t.drop_sql() for t in self.sqlite]
        if vendor != "postgresql":
            return []
        if not install:
            return [t.drop_sql() for t in self.postgresql]
        sql = [f.create_sql() for f in self.functions]
        for trigger in self.postgresql:
            sql += [trigger.drop_sql(), trigger.create_sql()]
        return sql + [pin_search_path(f"{name}()") for name in self.function_names]

    def install(self, connection: Any) -> None:
        self._run(connection, install=True)

    def remove(self, connection: Any) -> None:
        self._run(connection, install=False)

    def _run(self, connection: Any, *, install: bool) -> None:
        with connection.cursor() as cursor:
            for sql in self.statements(connection.vendor, install=install):
                cursor.execute(sql)
