"""The runtime database role for the benchmarks that start the production server.

Under the production settings the server refuses to run as a superuser or as the owner
of the tables (docs/adr/0009-audit-integrity-keys-and-roles.md), so a benchmark does what
an operator does: the migrating role (the benchmark's ``--database-url``) grants a login
role of the benchmark's own exactly its rights with ``samverkan db grants``, and the
server connects as that role. Roles are cluster-wide: ``drop`` removes it again once the
benchmark's database is gone.
"""

from __future__ import annotations

import base64
import secrets
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit


def name_for(database: str) -> str:
    """The benchmark database's own runtime role (one per database: runs side by side on
    one server do not share a role)."""
    return f"{database}_app"


def audit_keys() -> str:
    """A fresh AUDIT_KEYS value (production settings require one)."""
    return "bench:" + base64.b64encode(secrets.token_bytes(32)).decode()


def _admin(url: str) -> Any:
    import psycopg

    return psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True)


def prepare(db_url: str, role: str, *, samverkan: str, env: dict[str, str], cwd: Path) -> str:
    """Create (or re-password) the login role ``role``, grant it its rights on the database
    of ``db_url`` as that URL's role, and return ``db_url`` logged in as ``role``."""
    from psycopg import sql

    password = secrets.token_urlsafe(24)
    with _admin(db_url) as conn:
        exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role]).fetchone()
        verb = "ALTER" if exists else "CREATE"
        conn.execute(sql.SQL(verb + " ROLE {} LOGIN PASSWORD {}").format(sql.Identifier(role), sql.Literal(password)))
    subprocess.run([samverkan, "db", "grants", "--role", role], env={**env, "DATABASE_URL": db_url},
                   cwd=cwd, check=True, capture_output=True)
    parts = urlsplit(db_url)
    host = parts.hostname or "127.0.0.1"
    netloc = f"{role}:{password}@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))


def drop(server_url: str, role: str) -> None:
    """Drop the role (after the benchmark's database, which held its privileges, is gone)."""
    from psycopg import sql

    parts = urlsplit(server_url)
    admin = urlunsplit((parts.scheme, parts.netloc, "/postgres", "", ""))
    with _admin(admin) as conn:
        conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))
