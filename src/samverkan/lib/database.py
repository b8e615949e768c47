"""Parse DATABASE_URL into Django's DATABASES entry, with one clear error.

Every message names DATABASE_URL and says what is wrong, but never repeats the value:
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


def _check_shape(url: str) -> None:
    """Reject what dj_database_url would accept silently or explain badly."""
    if "://" not in url:
        raise ConfigError(f"DATABASE_URL is malformed: expected {_EXAMPLE}")
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises ValueError for a non-numeric or out-of-range port
    except ValueError:
        raise ConfigError("DATABASE_URL is malformed: bad host or port") from None
    scheme = parts.scheme.lower()
    if scheme not in _SCHEMES:
        raise ConfigError(
            f"DATABASE_URL names an unsupported database ({scheme or 'no scheme'}); "
            "use postgres:// or sqlite://"
        )
    if scheme == "sqlite":
        if parts.path in ("", "/", "/:memory:"):
            raise ConfigError("DATABASE_URL names no SQLite file: use sqlite:////absolute/path.db")
        return
    name = parts.path.lstrip("/")
    if not name:
        raise ConfigError("DATABASE_URL is malformed: no database name after the host")
    if "/" in name:
        raise ConfigError("DATABASE_URL is malformed: the database name contains '/'")


def database_from_url(url: str, *, default_sqlite: Path) -> dict[str, Any]:
    """Return a DATABASES['default'] dict; SQLite at default_sqlite when url is empty.

    Raises ConfigError (one line naming DATABASE_URL) for anything but a well-formed
    postgres:// or sqlite:// URL.
    """
    url = url.strip()
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(default_sqlite),
            "OPTIONS": dict(_SQLITE_OPTIONS),
        }
    _check_shape(url)
    try:
        config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60))
    except Exception as exc:  # dj_database_url raises several types
        raise ConfigError(
            f"DATABASE_URL is malformed ({type(exc).__name__}): expected {_EXAMPLE}"
        ) from None
    engine = config.get("ENGINE", "")
    if engine not in SUPPORTED_ENGINES:
        raise ConfigError(
            "DATABASE_URL names an unsupported database; use postgres:// or sqlite://"
        )
    if engine == "django.db.backends.sqlite3":
        config["OPTIONS"] = dict(_SQLITE_OPTIONS)
    else:
        config.setdefault("OPTIONS", {})
        config["CONN_HEALTH_CHECKS"] = True
    return config
