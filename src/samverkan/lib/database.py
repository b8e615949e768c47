"""Parse DATABASE_URL (and MIGRATION_DATABASE_URL) into Django's DATABASES entries,
with one clear error.

Every message names the variable and says what is wrong, but never repeats the value:
it may hold a password.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url

from samverkan.lib.env import ConfigError

SUPPORTED_ENGINES = {
    "django.db.backends.sqlite3",
    "django.db.backends.postgresql",
}
_SCHEMES = {"postgres", "postgresql", "pgsql", "sqlite"}
_EXAMPLE = "e.g. postgres://user@host:5432/name or sqlite:////absolute/path.db"

_SQLITE_OPTIONS = {
    # WAL lets the demo serve reads while a job writes.
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "transaction_mode": "IMMEDIATE",
}


def _check_shape(url: str, name: str) -> None:
    """Reject what dj_database_url would accept silently or explain badly."""
    if "://" not in url:
        raise ConfigError(f"{name} is malformed: expected {_EXAMPLE}")
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises ValueError for a non-numeric or out-of-range port
    except ValueError:
        raise ConfigError(f"{name} is malformed: bad host or port") from None
    scheme = parts.scheme.lower()
    if scheme not in _SCHEMES:
        raise ConfigError(
            f"{name} names an unsupported database ({scheme or 'no scheme'}); "
            "use postgres:// or sqlite://"
        )
    if scheme == "sqlite":
        if parts.path in ("", "/", "/:memory:"):
            raise ConfigError(f"{name} names no SQLite file: use sqlite:////absolute/path.db")
        return
    db_name = parts.path.lstrip("/")
    if not db_name:
        raise ConfigError(f"{name} is malformed: no database name after the host")
    if "/" in db_name:
        raise ConfigError(f"{name} is malformed: the database name contains '/'")


def database_from_url(url: str, *, default_sqlite: Path, name: str = "DATABASE_URL") -> dict[str, Any]:
    """Return a DATABASES['default'] dict; SQLite at default_sqlite when url is empty.

    Raises ConfigError (one line naming the variable ``name``) for anything but a
    well-formed postgres:// or sqlite:// URL.
    """
    url = url.strip()
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(default_sqlite),
            "OPTIONS": dict(_SQLITE_OPTIONS),
        }
    _check_shape(url, name)
    try:
        config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60))
    except Exception as exc:  # dj_database_url raises several types
        raise ConfigError(
            f"{name} is malformed ({type(exc).__name__}): expected {_EXAMPLE}"
        ) from None
    engine = config.get("ENGINE", "")
    if engine not in SUPPORTED_ENGINES:
        raise ConfigError(f"{name} names an unsupported database; use postgres:// or sqlite://")
    if engine == "django.db.backends.sqlite3":
        config["OPTIONS"] = dict(_SQLITE_OPTIONS)
    else:
        config.setdefault("OPTIONS", {})
        config["CONN_HEALTH_CHECKS"] = True
    return config


# What the owner's connection may differ in from the runtime role's: who connects.
_ROLE_KEYS = ("USER", "PASSWORD", "OPTIONS")


def migration_database(url: str, *, runtime: dict[str, Any]) -> dict[str, Any] | None:
    """The owner role's connection settings from MIGRATION_DATABASE_URL (None when unset):
    the same PostgreSQL database as ``runtime`` (DATABASE_URL), another role. `samverkan
    migrate` and `samverkan db grants` connect with it (docs/adr/0009)."""
    url = url.strip()
    if not url:
        return None
    owner = database_from_url(url, default_sqlite=Path("unused"), name="MIGRATION_DATABASE_URL")
    if runtime.get("ENGINE") != "django.db.backends.postgresql" or owner["ENGINE"] != runtime["ENGINE"]:
        raise ConfigError(
            "MIGRATION_DATABASE_URL is for PostgreSQL only, with DATABASE_URL naming the same "
            "PostgreSQL database (SQLite keeps one file)"
        )
    for key in ("NAME", "HOST", "PORT"):
        if str(owner.get(key) or "") != str(runtime.get(key) or ""):
            raise ConfigError(
                "MIGRATION_DATABASE_URL must name the same database, host and port as "
                "DATABASE_URL; only the role differs"
            )
    return {key: owner.get(key) for key in _ROLE_KEYS}

