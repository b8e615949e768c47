"""Abuse resistance without third parties and without remembering who anyone is.

- Rate limiting: the client's address is reduced to HMAC-SHA256(window key, address),
  where the window key is random, lives only in the cache and expires with the window.
  The cache holds digests and counts for at most two windows; once the key is gone the
  digests cannot be linked to any address, even with the server's SECRET_KEY. The
  address itself is never stored or logged.
  Only tips that passed the bot checks (honeypot, form token) and are ready to be stored
  spend the sender's budget; a refused sender gets the form back with their text and the
  time the window ends (``window_ends_at``).
- A signed, one-time form token (django.core.signing) carries the time the form was
  served: a form sent back faster than a person can fill it, or after it went stale,
  is refused, and a token is spent by a successful submission.
- Fail closed: when the cache cannot be reached, every function here that needs it raises
  LimiterUnavailable (and logs one line naming only the error's class). Without the
  counters the channel would be unlimited, so the views refuse politely instead, keeping
  what the sender wrote.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from samverkan.lib.client_ip import client_ip

_TOKEN_SALT = "samverkan.tips.form-token"
logger = logging.getLogger("samverkan.tips")

# What an unreachable cache raises: redis-py's connection and timeout errors, and the
# operating system's (a refused or missing socket). Anything else is a bug and stays one.
_CACHE_DOWN = (RedisConnectionError, RedisTimeoutError, OSError)


class LimiterUnavailable(Exception):
    """The cache holding the rate-limit counters and spent tokens cannot be reached."""


@contextmanager
def _cache_guard() -> Iterator[None]:
    try:
        yield
    except _CACHE_DOWN as exc:
        # One line, no request data: the error's class only (its message names hosts).
        logger.warning(
            "Tip channel refused a request: the rate-limit cache is unavailable (%s)",
            type(exc).__name__,
        )
        raise LimiterUnavailable from exc


def _client_address(request: HttpRequest) -> str:
    """The address the rate limit counts (see samverkan.lib.client_ip: REMOTE_ADDR, or the
    address our trusted proxies appended). Used only to compute the digest."""
    return client_ip(request)


def _window() -> tuple[int, int]:
    seconds = int(settings.TIPS_RATE_WINDOW_SECONDS)
    return int(time.time() // seconds), seconds


def window_ends_at() -> datetime:
    """When the current rate-limit window ends: a refused sender may send again then."""
    window, seconds = _window()
    return datetime.fromtimestamp((window + 1) * seconds, tz=UTC)


def _window_key(window: int, seconds: int) -> bytes:
    name = f"tips:rl:key:{window}"
    with _cache_guard():
        key = cache.get(name)
        if key is None:
            cache.add(name, secrets.token_hex(32), timeout=seconds * 2)
            key = cache.get(name) or secrets.token_hex(32)
    return bytes.fromhex(key)


def client_digest(request: HttpRequest) -> str:
    """An opaque, short-lived stand-in for the client address (see module docstring)."""
    window, seconds = _window()
    return hmac.new(
        _window_key(window, seconds), _client_address(request).encode(), hashlib.sha256
    ).hexdigest()


def rate_limit_hit(request: HttpRequest, *, scope: str, limit: int | None = None) -> bool:
    """Count one attempt in ``scope`` for this client; True when over the limit.
    Raises LimiterUnavailable when the cache cannot be reached."""
    window, seconds = _window()
    limit = int(settings.TIPS_RATE_LIMIT) if limit is None else limit
    name = f"tips:rl:{scope}:{window}:{client_digest(request)[:40]}"
    with _cache_guard():
        cache.add(name, 0, timeout=seconds)
        try:
            count = cache.incr(name)
        except ValueError:  # expired between add and incr
            cache.set(name, 1, timeout=seconds)
            count = 1
    return count > limit


# --- The signed form token -----------------------------------------------------------


@dataclass(frozen=True)
class TokenCheck:
    ok: bool
    nonce: str = ""
    reason: str = ""  # "invalid" | "too_fast" | "expired" | "used" | "unavailable"


def issue_token() -> str:
    return signing.dumps(
        {"t": int(time.time()), "n": secrets.token_urlsafe(12)}, salt=_TOKEN_SALT, compress=False
    )


def check_token(token: str) -> TokenCheck:
    """Whether the form token is genuine, old enough, fresh and unspent. Raises
    LimiterUnavailable when the cache (which knows spent tokens) cannot be reached."""
    try:
        payload = signing.loads(
            token or "", salt=_TOKEN_SALT, max_age=int(settings.TIPS_TOKEN_MAX_AGE_SECONDS)
        )
    except signing.SignatureExpired:
        return TokenCheck(ok=False, reason="expired")
    except signing.BadSignature:
        return TokenCheck(ok=False, reason="invalid")
    if (
        not isinstance(payload, dict)
        or not isinstance(payload.get("t"), int)
        or not isinstance(payload.get("n"), str)
    ):
        return TokenCheck(ok=False, reason="invalid")
    if time.time() - payload["t"] < int(settings.TIPS_MIN_FILL_SECONDS):
        return TokenCheck(ok=False, reason="too_fast")
    with _cache_guard():
        used = cache.get(f"tips:tok:{payload['n']}") is not None
    if used:
        return TokenCheck(ok=False, reason="used")
    return TokenCheck(ok=True, nonce=payload["n"])


def spend_token(nonce: str) -> bool:
    """Mark a token used; False when another request spent it first. Raises
    LimiterUnavailable when the cache cannot be reached."""
    with _cache_guard():
        return bool(
            cache.add(
                f"tips:tok:{nonce}", 1, timeout=int(settings.TIPS_TOKEN_MAX_AGE_SECONDS) + 60
            )
        )
