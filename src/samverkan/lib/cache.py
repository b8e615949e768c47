"""A Redis cache an outage of Redis cannot take the site down with.

``ResilientRedisCache`` is Django's RedisCache whose operations, when Redis cannot be
reached (connection refused or reset, a timeout, Redis still loading its data), behave
as the cache would if it were empty and refused to keep anything:

* ``get`` gives the default, ``get_many`` nothing, ``has_key``/``add``/``touch``/
  ``delete`` False, ``set`` keeps nothing, ``set_many`` names every key as not kept.
  What is cached is only ever a copy: sessions (``cached_db``) are then read from and
  written to the database, public pages are rendered anew.
* ``incr``/``decr`` raise ``CacheUnavailable``: a counter has no "empty" answer that is
  safe. A missing count would read as zero and let a rate limit through, so the caller
  must decide, explicitly, to refuse.

Any other Redis error (a bad command, a wrong password) still raises: that is a fault
to fix, not an outage to ride out.

After a failure the process leaves Redis alone for ``retry_after`` seconds (every
operation answers at once as above), so a dead Redis costs each request nothing, and a
slow one at most one connect or read timeout per ``retry_after``. The failure is logged
as one warning per ``warn_every`` seconds and process, and recovery as one line; the
log names only the kind of error, never a key (keys carry session ids) or a value.

A write that could not reach Redis can leave an older copy behind there: a session
ended (logout, key rotation) while Redis was away would otherwise come back from the
cache when Redis does. So every key whose ``set``/``delete``/``touch`` failed is
remembered (per process, up to MAX_PENDING keys) and deleted before this process uses
Redis again; until then the process does not read from it. Another process that can
still reach Redis during a partial outage does not know about those keys; a process
that cannot reach Redis deletes them as soon as it can.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger("samverkan.cache")

T = TypeVar("T")

# Errors that mean "Redis is not there right now" (BusyLoadingError, Redis loading its
# data after a restart, is a ConnectionError). Nothing else is ridden out.
OUTAGE_ERRORS: tuple[type[Exception], ...] = (RedisConnectionError, RedisTimeoutError)

DEFAULT_SOCKET_TIMEOUT_S = 0.5
DEFAULT_RETRY_AFTER_S = 10.0
DEFAULT_WARN_EVERY_S = 60.0
# Keys to delete once Redis answers again; beyond this many the oldest are forgotten
# (their entries still expire with their own timeout).
MAX_PENDING = 50_000
_DELETE_CHUNK = 500


class CacheUnavailable(RedisConnectionError):
    """The cache cannot be reached, and the operation (a counter) has no safe answer.

    A subclass of redis' ConnectionError, so code that already treats a Redis
    connection failure as an outage treats this one the same way."""


class _Circuit:
    """What one process knows about one Redis server: whether to leave it alone for now,
    when it last warned, and which keys must go before it is read again."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.open_until = 0.0
        self.warned_at = float("-inf")
        self.failing = False
        self.pending: dict[str, None] = {}  # insertion-ordered set of full keys


_circuits: dict[str, _Circuit] = {}
_circuits_lock = threading.Lock()


def _circuit_for(location: str) -> _Circuit:
    with _circuits_lock:
        return _circuits.setdefault(location, _Circuit())


def reset_circuits() -> None:
    """Forget every failure and pending key (tests, and a deliberate operator reset)."""
    with _circuits_lock:
        _circuits.clear()


class ResilientRedisCache(RedisCache):
    """RedisCache that degrades to "empty and not keeping anything" while Redis is
    unreachable (see the module docstring). OPTIONS as for RedisCache, plus
    ``retry_after`` and ``warn_every`` (seconds). The socket timeouts default to
    DEFAULT_SOCKET_TIMEOUT_S unless OPTIONS set ``socket_connect_timeout`` and
    ``socket_timeout``."""

    # Set by RedisCache (the client is a cached_property); django-stubs declare neither.
    _cache: Any  # django.core.cache.backends.redis.RedisCacheClient
    _servers: list[str]

    def __init__(self, server: str | list[str], params: dict[str, Any]) -> None:
        options = dict(params.get("OPTIONS") or {})
        self.retry_after = float(options.pop("retry_after", DEFAULT_RETRY_AFTER_S))
        self.warn_every = float(options.pop("warn_every", DEFAULT_WARN_EVERY_S))
        options.setdefault("socket_connect_timeout", DEFAULT_SOCKET_TIMEOUT_S)
        options.setdefault("socket_timeout", DEFAULT_SOCKET_TIMEOUT_S)
        super().__init__(server, {**params, "OPTIONS": options})
        # One circuit per server list and process, shared by every thread's instance.
        self._circuit = _circuit_for(",".join(self._servers))

    # --- the guard ------------------------------------------------------------------

    def available(self) -> bool:
        """True unless this process is leaving Redis alone after a recent failure."""
        return time.monotonic() >= self._circuit.open_until

    def reachable(self) -> bool:
        """Whether Redis answers a PING now (for the health check). Honours the pause
        after a failure, so a dead Redis costs nothing here either."""
        return self._guarded(lambda: bool(self._cache.get_client(None).ping()), False, ())

    def _guarded(self, operation: Callable[[], T], fallback: T, written: Iterable[str]) -> T:
        circuit = self._circuit
        if not self.available():
            self._remember(written)
            return fallback
        try:
            if circuit.pending:
                self._delete_pending()
            result = operation()
        except OUTAGE_ERRORS as exc:
            self._failed(exc)
            self._remember(written)
            return fallback
        if circuit.failing:
            with circuit.lock:
                was_failing, circuit.failing = circuit.failing, False
            if was_failing:
                log.warning("The Redis cache answers again.")
        return result

    def _counter(self, operation: Callable[[], int]) -> int:
        if not self.available():
            raise CacheUnavailable("the cache is unavailable")
        try:
            if self._circuit.pending:
                self._delete_pending()
            return operation()
        except OUTAGE_ERRORS as exc:
            self._failed(exc)
            raise CacheUnavailable("the cache is unavailable") from None

    def _failed(self, exc: Exception) -> None:
        circuit = self._circuit
        now = time.monotonic()
        with circuit.lock:
            circuit.open_until = now + self.retry_after
            circuit.failing = True
            warn = now - circuit.warned_at >= self.warn_every
            if warn:
                circuit.warned_at = now
        if warn:
            # The kind of error only: its message names the server, and keys (which
            # carry session ids) or values never belong in a log.
            log.warning(
                "The Redis cache is unreachable (%s); going on without it "
                "(sessions from the database, pages rendered anew). Next attempt in %g s.",
                type(exc).__name__,
                self.retry_after,
            )

    def _remember(self, keys: Iterable[str]) -> None:
        circuit = self._circuit
        with circuit.lock:
            for key in keys:
                circuit.pending[key] = None
            while len(circuit.pending) > MAX_PENDING:
                del circuit.pending[next(iter(circuit.pending))]

    def _delete_pending(self) -> None:
        """Delete the keys whose writes failed, before anything else is read; raises
        an outage error (and keeps the rest) if Redis goes away meanwhile."""
        circuit = self._circuit
        with circuit.lock:
            keys = list(circuit.pending)
        for start in range(0, len(keys), _DELETE_CHUNK):
            chunk = keys[start : start + _DELETE_CHUNK]
            self._cache.delete_many(chunk)
            with circuit.lock:
                for key in chunk:
                    circuit.pending.pop(key, None)

    # --- the cache API ----------------------------------------------------------------

    def add(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        full = self.make_and_validate_key(key, version=version)
        return self._guarded(
            lambda: bool(self._cache.add(full, value, self.get_backend_timeout(timeout))), False, ()
        )

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        full = self.make_and_validate_key(key, version=version)
        return self._guarded(lambda: self._cache.get(full, default), default, ())

    def set(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        full = self.make_and_validate_key(key, version=version)
        self._guarded(
            lambda: self._cache.set(full, value, self.get_backend_timeout(timeout)), None, (full,)
        )

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        full = self.make_and_validate_key(key, version=version)
        return self._guarded(
            lambda: bool(self._cache.touch(full, self.get_backend_timeout(timeout))), False, (full,)
        )

    def delete(self, key: Any, version: int | None = None) -> bool:
        full = self.make_and_validate_key(key, version=version)
        return self._guarded(lambda: bool(self._cache.delete(full)), False, (full,))

    def get_many(self, keys: Iterable[Any], version: int | None = None) -> dict[Any, Any]:
        key_map = {self.make_and_validate_key(key, version=version): key for key in keys}

        def read() -> dict[Any, Any]:
            found = self._cache.get_many(key_map.keys())
            return {key_map[k]: v for k, v in found.items()}

        return self._guarded(read, {}, ())

    def has_key(self, key: Any, version: int | None = None) -> bool:
        full = self.make_and_validate_key(key, version=version)
        return self._guarded(lambda: bool(self._cache.has_key(full)), False, ())

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        full = self.make_and_validate_key(key, version=version)
        return self._counter(lambda: int(self._cache.incr(full, delta)))

    def set_many(
        self, data: dict[Any, Any], timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> list[Any]:
        if not data:
            return []
        safe = {self.make_and_validate_key(key, version=version): value for key, value in data.items()}

        def write() -> list[Any]:
            self._cache.set_many(safe, self.get_backend_timeout(timeout))
            return []

        return self._guarded(write, list(data), safe.keys())

    def delete_many(self, keys: Iterable[Any], version: int | None = None) -> None:
        safe = [self.make_and_validate_key(key, version=version) for key in keys]
        if safe:
            self._guarded(lambda: self._cache.delete_many(safe), None, safe)

    def clear(self) -> None:
        self._guarded(self._cache.clear, False, ())
