"""Parse DATABASE_URL into Django's DATABASES entry, with one clear error."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url

from samverkan.lib.env import ConfigError

SUPPORTED_ENGINES = {
    "django.db.backends.sqlite3",
    "django.db.backends.postgresql",
}


def database_from_url(url: str, *, default_sqlite: Path) -> dict[str, Any]:
    """Return a DATABASES['default'] dict; SQLite at default_sqlite when url is empty."""
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(default_sqlite),
            "OPTIONS": {
                # WAL lets the demo serve reads while a job writes.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
            },
        }
    if "://" not in url:
        raise ConfigError(
            "DATABASE_URL is malformed: expected e.g. postgres://user@host:5432/name "
            "or sqlite:////absolute/path.db"
        )
    try:
        config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60))
    except Exception as exc:  # dj_database_url raises several types
        raise ConfigError(f"DATABASE_URL is malformed: {type(exc).__name__}") from None
    engine = config.get("ENGINE", "")
    if engine not in SUPPORTED_ENGINES:
        raise ConfigError(
            "DATABASE_URL names an unsupported database; use postgres:// or sqlite://"
        )
    if engine == "django.db.backends.postgresql" and not config.get("NAME"):
        raise ConfigError("DATABASE_URL is malformed: no database name after the host")
    if engine == "django.db.backends.sqlite3":
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
        }
    else:
        config.setdefault("OPTIONS", {})
        config["CONN_HEALTH_CHECKS"] = True
    return config
