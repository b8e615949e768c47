"""Strict configuration from the environment.

Every reader fails loudly with one line naming the variable (ConfigError); the
settings module turns that into a single line on stderr and exit code 2, so an
operator sees exactly what to fix instead of a traceback.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
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


_KEY_ID = re.compile(r"^[A-Za-z0-9_.-]{1,16}$")


def parse_keyring(text: str, *, name: str, separator: str, min_bytes: int) -> list[tuple[str, bytes]]:
    """``id:base64secret`` entries, split by ``separator`` (blank entries and, in files,
    ``#`` comment lines skipped), in order. Refuses (ConfigError naming ``name``, never
    echoing a secret) a malformed entry, a duplicate id or a secret shorter than
    ``min_bytes``."""
    keys: list[tuple[str, bytes]] = []
    for number, raw in enumerate(text.split(separator), start=1):
        entry = raw.strip()
        if not entry or entry.startswith("#"):
            continue
        key_id, sep, encoded = entry.partition(":")
        key_id = key_id.strip()
        if not sep or not _KEY_ID.match(key_id):
            raise ConfigError(
                f"{name}: entry {number} is malformed; expected id:base64secret with an id of "
                "1-16 letters, digits, '.', '_' or '-'"
            )
        try:
            secret = base64.b64decode(encoded.strip(), validate=True)
        except (binascii.Error, ValueError):
            raise ConfigError(f"{name}: the secret of key {key_id!r} is not valid base64") from None
        if len(secret) < min_bytes:
            raise ConfigError(
                f"{name}: key {key_id!r} is too short ({len(secret)} bytes); use at least "
                f"{min_bytes} random bytes"
            )
        if any(existing == key_id for existing, _secret in keys):
            raise ConfigError(f"{name}: key id {key_id!r} appears twice")
        keys.append((key_id, secret))
    return keys


def env_keyring(
    name: str, file_name: str, *, min_bytes: int = 32, required: bool = False
) -> list[tuple[str, bytes]]:
    """An ordered list of (key id, secret) from ``name`` (comma-separated
    ``id:base64secret``) or from the file named by ``file_name`` (one entry per line),
    not both. The file must not be readable or writable by group or others. The first key
    is the current one; the others only verify what was made with them (rotation)."""
    inline = env_str(name)
    path = env_str(file_name)
    if inline and path:
        raise ConfigError(f"set either {name} or {file_name}, not both")
    if path:
        try:
            status = os.stat(path)
            if status.st_mode & 0o077:
                raise ConfigError(
                    f"{file_name} is readable or writable by others; make it readable by the "
                    "service user only (chmod 600)"
                )
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
        except OSError as exc:
            raise ConfigError(f"{file_name} cannot be read ({exc.strerror or type(exc).__name__})") from None
        keys = parse_keyring(text, name=file_name, separator="\n", min_bytes=min_bytes)
        if not keys:
            raise ConfigError(f"{file_name} holds no key")
        return keys
    keys = parse_keyring(inline, name=name, separator=",", min_bytes=min_bytes)
    if required and not keys:
        raise ConfigError(
            f"{name} (or {file_name}) is not set; it is required under these settings "
            "(e.g. k1:<base64 of 32 random bytes>)"
        )
    return keys
