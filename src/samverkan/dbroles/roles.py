"""Two PostgreSQL roles: the owner migrates and owns every table and trigger function;
the runtime role (DATABASE_URL) that the web server, worker and scheduler use owns
nothing and holds only the rights it needs (docs/adr/0009-audit-integrity-keys-and-roles.md).

Why: the owner of a table may disable or drop its triggers, and the owner of a trigger
function may replace it. The append-only audit table and the guards on signed journal
notes and minutes therefore protect nothing against the role that owns them. With the
application running as a role that owns nothing, holds only SELECT and INSERT on the
audit table and no TRUNCATE or TRIGGER anywhere, those guards hold against the
application's own credentials.

- ``owner_connection``: runs a block (``samverkan migrate``, ``samverkan db grants``)
  on the default connection switched to MIGRATION_DATABASE_URL's role.
- ``grant_runtime_role``: revokes and re-grants the runtime role's rights on every table
  and sequence of the schema (idempotent; run as the owner after each migrate).
- ``role_problems``: what a role could do to the audit trail or the guards; the start-up
  check (checks.py) refuses to run the application as such a role.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.recorder import MigrationRecorder

from samverkan.audit import guard as audit_guard
from samverkan.audit.models import AuditChainHead
from samverkan.journal import guard as journal_guard
from samverkan.meetings import guard as meetings_guard
from samverkan.trefas import guard as trefas_guard

# Tables the runtime role may not change as it may change ordinary ones. The chain head
# needs UPDATE (also for SELECT ... FOR UPDATE); it is sealed (audit/seal.py).
RESTRICTED: dict[str, tuple[str, ...]] = {
    audit_guard.TABLE: ("SELECT", "INSERT"),
    AuditChainHead._meta.db_table: ("SELECT", "UPDATE"),
    MigrationRecorder.Migration._meta.db_table: ("SELECT",),
}
ORDINARY = ("SELECT", "INSERT", "UPDATE", "DELETE")
# Tables whose rows a database trigger protects, and the trigger functions.
GUARDED_TABLES = (*audit_guard.TABLES, *journal_guard.TABLES, *meetings_guard.TABLES, *trefas_guard.TABLES)
GUARD_FUNCTIONS = (
    *audit_guard.FUNCTIONS, *journal_guard.FUNCTIONS, *meetings_guard.FUNCTIONS, *trefas_guard.FUNCTIONS,
)
# Privileges the runtime role must not hold on the audit events table / guarded tables.
FORBIDDEN_ON_AUDIT = ("UPDATE", "DELETE", "TRUNCATE", "TRIGGER", "REFERENCES")
FORBIDDEN_ON_GUARDED = ("TRUNCATE", "TRIGGER")

FIX = "run `samverkan db grants` as the owner and set DATABASE_URL to the runtime role"


class GrantError(Exception):
    """The roles are not set up so that grants can make the runtime role safe."""


def ident(name: str) -> str:
    """A PostgreSQL identifier, quoted (embedded quotes doubled)."""
    return '"' + name.replace('"', '""') + '"'


@dataclass
class OwnerSession:
    switched: bool  # True when the connection now uses MIGRATION_DATABASE_URL's role
    runtime_role: str  # the role named by DATABASE_URL ("" when it names none)


_owner_session_active = False


def owner_session_active() -> bool:
    """True inside ``owner_connection`` (the start-up role check does not apply there)."""
    return _owner_session_active


@contextmanager
def owner_connection(alias: str = DEFAULT_DB_ALIAS) -> Iterator[OwnerSession]:
    """Run the block as the owner role: the connection ``alias`` (the default one) is
    closed and reopened with MIGRATION_DATABASE_URL's user, password and options, and
    switched back afterwards. Without MIGRATION_DATABASE_URL nothing changes (SQLite,
    or a deployment that has not split its roles yet)."""
    global _owner_session_active
    connection = connections[alias]
    runtime_role = str(connection.settings_dict.get("USER") or "")
    owner = settings.MIGRATION_DATABASE if alias == DEFAULT_DB_ALIAS else None
    previous = _owner_session_active
    _owner_session_active = True
    if owner is None:
        try:
            yield OwnerSession(switched=False, runtime_role=runtime_role)
        finally:
            _owner_session_active = previous
        return
    saved = {key: connection.settings_dict.get(key) for key in owner}
    connection.close()
    connection.settings_dict.update(owner)
    try:
        yield OwnerSession(switched=True, runtime_role=runtime_role)
    finally:
        connection.close()
        connection.settings_dict.update(saved)
        _owner_session_active = previous


def role_problems(cursor: Any, role: str | None = None) -> list[str]:
    """What ``role`` (default: the connection's current user) could do to the audit
    trail or the guards on PostgreSQL: one short phrase per finding, [] when none.

    Checks: superuser or CREATEROLE; ownership of, or membership in the owner of, the
    schema (or the database, which owns the public schema), any table, sequence or
    function in it; UPDATE, DELETE, TRUNCATE, TRIGGER or REFERENCES on the audit events
    table; TRUNCATE or TRIGGER on a guarded table; the right to set
    session_replication_role (which switches triggers off). ``cursor`` is any DB-API
    cursor on the database (Django's or psycopg's)."""
    if role is None:
        cursor.execute("SELECT current_user")
        role = str(cursor.fetchone()[0])
    cursor.execute("SELECT rolsuper, rolcreaterole FROM pg_roles WHERE rolname = %s", [role])
    row = cursor.fetchone()
    if row is None:
        return [f"role {role} does not exist"]
    if row[0]:
        return [f"{role} is a superuser"]
    problems = []
    if row[1]:
        problems.append(f"{role} has CREATEROLE (it could make itself a member of the owner)")
    cursor.execute(
        """
        SELECT 'schema', n.nspname FROM pg_namespace n
         WHERE n.nspname = current_schema() AND pg_has_role(%s, n.nspowner, 'MEMBER')
        UNION ALL
        SELECT CASE WHEN c.relkind = 'S' THEN 'sequence' ELSE 'table' END, c.relname
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
           AND pg_has_role(%s, c.relowner, 'MEMBER')
        UNION ALL
        SELECT 'function', p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
         WHERE n.nspname = current_schema() AND pg_has_role(%s, p.proowner, 'MEMBER')
        """,
        [role, role, role],
    )
    owned: dict[str, list[str]] = {}
    for kind, name in cursor.fetchall():
        owned.setdefault(str(kind), []).append(str(name))
    for kind in ("schema", "table", "sequence", "function"):
        names = sorted(owned.get(kind, []))
        if names:
            example = ", ".join(names[:3]) + (", …" if len(names) > 3 else "")
            problems.append(f"{role} owns (or is a member of the owner of) {len(names)} {kind}(s): {example}")
    checks: list[tuple[str, tuple[str, ...]]] = [(table, FORBIDDEN_ON_AUDIT) for table in audit_guard.TABLES]
    checks += [(table, FORBIDDEN_ON_GUARDED) for table in GUARDED_TABLES if table not in audit_guard.TABLES]
    for table, privileges in checks:
        # Schema-qualified: a temporary table of the same name must not stand in for it.
        qualified = "to_regclass(quote_ident(current_schema()) || '.' || quote_ident(%s))"
        cursor.execute(f"SELECT {qualified} IS NOT NULL", [table])
        if not cursor.fetchone()[0]:
            continue  # not migrated yet
        cursor.execute(
            f"SELECT p FROM unnest(%s::text[]) AS p WHERE has_table_privilege(%s, {qualified}, p)",  # noqa: S608 (a constant)
            [list(privileges), role, table],
        )
        held = {str(r[0]) for r in cursor.fetchall()}
        extra = [privilege for privilege in privileges if privilege in held]
        if extra:
            problems.append(f"{role} holds {', '.join(extra)} on {table}")
    cursor.execute("SELECT current_setting('server_version_num')::int >= 150000")
    if cursor.fetchone()[0]:
        cursor.execute("SELECT has_parameter_privilege(%s, 'session_replication_role', 'SET')", [role])
        if cursor.fetchone()[0]:
            problems.append(f"{role} may set session_replication_role (switching triggers off)")
    return problems


@dataclass
class GrantSummary:
    role: str
    owner: str
    schema: str
    tables: int
    restricted: int
    sequences: int


def grant_runtime_role(connection: Any, *, role: str) -> GrantSummary:
    """Give ``role`` exactly the rights the application needs, as the connection's
    current user (the owner), in one transaction; idempotent.

    Every table and sequence in the current schema: all rights revoked, then SELECT,
    INSERT, UPDATE, DELETE on tables (RESTRICTED ones less: the audit events table
    SELECT and INSERT only), USAGE and SELECT on sequences; never TRUNCATE, REFERENCES
    or TRIGGER. CONNECT on the database and USAGE on the schema if missing; CREATE on the
    schema revoked. Raises GrantError, changing nothing, when the roles are not set up
    for it (the role missing, the owner itself, a superuser, a member of the owner, or
    objects not owned by the current user), and when the role is still unsafe afterwards
    (e.g. rights granted to PUBLIC)."""
    if connection.vendor != "postgresql":
        raise GrantError("database roles apply to PostgreSQL only (SQLite keeps one file)")
    if not role:
        raise GrantError("no runtime role: DATABASE_URL names no user; give it with --role")
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SELECT current_user, current_schema(), current_database()")
        owner, schema, database = (str(v) if v is not None else "" for v in cursor.fetchone())
        if not schema:
            raise GrantError("no current schema (check the search_path)")
        if role == owner:
            raise GrantError(
                f"the runtime role {role} is the owner itself: DATABASE_URL must name another "
                "role than MIGRATION_DATABASE_URL (or give the runtime role with --role)"
            )
        cursor.execute("SELECT rolsuper, rolcreaterole FROM pg_roles WHERE rolname = %s", [role])
        row = cursor.fetchone()
        if row is None:
            raise GrantError(f"the role {role} does not exist; create it first (see README)")
        if row[0] or row[1]:
            raise GrantError(f"the role {role} is a superuser or has CREATEROLE; ALTER ROLE it "
                             "NOSUPERUSER NOCREATEROLE first")
        cursor.execute("SELECT pg_has_role(%s, %s, 'MEMBER')", [role, owner])
        if cursor.fetchone()[0]:
            raise GrantError(f"the role {role} is a member of the owner {owner}; REVOKE {owner} "
                             f"FROM {role} first")
        cursor.execute(
            """SELECT c.relname, c.relkind, pg_get_userbyid(c.relowner)
                 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = %s AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
                ORDER BY c.relname""",
            [schema],
        )
        objects = [(str(name), str(kind), str(who)) for name, kind, who in cursor.fetchall()]
        foreign = [name for name, _kind, who in objects if who != owner]
        if foreign:
            raise GrantError(
                f"{len(foreign)} tables or sequences in schema {schema} are not owned by {owner} "
                f"(e.g. {foreign[0]}); run this as the role that owns them"
            )
        cursor.execute(
            """SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                WHERE n.nspname = %s AND p.proname = ANY(%s) AND pg_get_userbyid(p.proowner) <> %s""",
            [schema, list(GUARD_FUNCTIONS), owner],
        )
        strays = [str(r[0]) for r in cursor.fetchall()]
        if strays:
            raise GrantError(f"guard function {strays[0]} is not owned by {owner}; "
                             f"ALTER FUNCTION {strays[0]}() OWNER TO {owner}")
        who = ident(role)
        cursor.execute("SELECT has_database_privilege(%s, %s, 'CONNECT')", [role, database])
        if not cursor.fetchone()[0]:
            cursor.execute(f"GRANT CONNECT ON DATABASE {ident(database)} TO {who}")
        cursor.execute("SELECT has_schema_privilege(%s, %s, 'USAGE')", [role, schema])
        if not cursor.fetchone()[0]:
            cursor.execute(f"GRANT USAGE ON SCHEMA {ident(schema)} TO {who}")
        cursor.execute(f"REVOKE CREATE ON SCHEMA {ident(schema)} FROM {who}")
        tables = sequences = restricted = 0
        for name, kind, _owner in objects:
            target = f"{ident(schema)}.{ident(name)}"
            if kind == "S":
                cursor.execute(f"REVOKE ALL ON SEQUENCE {target} FROM {who}")
                cursor.execute(f"GRANT USAGE, SELECT ON SEQUENCE {target} TO {who}")
                sequences += 1
                continue
            privileges = RESTRICTED.get(name, ORDINARY)
            restricted += name in RESTRICTED
            cursor.execute(f"REVOKE ALL ON TABLE {target} FROM {who}")
            cursor.execute(f"GRANT {', '.join(privileges)} ON TABLE {target} TO {who}")
            tables += 1
        remaining = role_problems(cursor, role)
        if remaining:
            raise GrantError(f"the role {role} is still unsafe after the grants: {'; '.join(remaining)}")
    return GrantSummary(role=role, owner=owner, schema=schema, tables=tables,
                        restricted=restricted, sequences=sequences)
