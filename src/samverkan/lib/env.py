"""Strict configuration from the environment.

Every reader fails loudly with one line naming the variable (ConfigError); the
settings module turns that into a single line on stderr and exit code 2, so an
operator sees exactly what to fix instead of a traceback.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from typing import NoReturn, TypeVar

T = TypeVar("T")

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class ConfigError(Exception):
    """A configuration value is missing or malformed."""


def fail(message: str) -> NoReturn:
    """Print one clear line and stop the process (used at settings import time)."""
    sys.stderr.write(f"Samverkan configuration error: {message}\n")
    raise SystemExit(2)


def env_str(name: str, default: str | None = None, *, required: bool = False) -> str:
    value = os.environ.get(name)
    if value is None or value == "":
        if required:
            raise ConfigError(f"{name} is not set; it is required under these settings")
        if default is None:
            return ""
        return default
    return value


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ConfigError(f"{name} must be a boolean (1/0, true/false, yes/no), got {value!r}")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ConfigError(f"{name} must be an integer, got {value!r}") from None
    if minimum is not None and number < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, got {number}")
    return number


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def env_choice(name: str, default: str, choices: Iterable[str], *, upper: bool = False) -> str:
    """A value from a fixed set (e.g. a backend name or a log level)."""
    allowed = list(choices)
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    value = value.strip().upper() if upper else value.strip()
    if value not in allowed:
        raise ConfigError(f"{name} must be one of {', '.join(allowed)}, got {value!r}")
    return value


def env_url(name: str, default: str, *, schemes: Iterable[str]) -> str:
    """A URL whose scheme is one of ``schemes``; the value is never echoed (it may
    hold a password)."""
    allowed = list(schemes)
    value = env_str(name, default).strip()
    scheme, sep, rest = value.partition("://")
    if not sep or scheme.lower() not in allowed or not rest:
        raise ConfigError(
            f"{name} is malformed: expected {' or '.join(s + '://...' for s in allowed)}"
        )
    return value


def guarded(reader: Callable[[], T]) -> T:
    """Run a settings reader; turn ConfigError into one line and exit."""
    try:
        return reader()
    except ConfigError as exc:
        fail(str(exc))
