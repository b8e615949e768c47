"""The Redis cache backend that rides out an outage (samverkan.lib.cache).

Most tests point it at a closed port (nothing listens on 127.0.0.1:1), so they need no
Redis. Those marked ``redis`` use the real one at REDIS_URL (a bad command must still
raise) or start a throwaway ``redis-server`` of their own, stop it and start it again:
a key whose delete failed during the outage is deleted before the cache is read again,
so a session ended meanwhile does not come back from the cache.
"""

from __future__ import annotations

import logging
import os
import time
import uuid

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ResponseError

from samverkan.lib import cache as resilient
from samverkan.lib.cache import CacheUnavailable, ResilientRedisCache

DEAD_URL = "redis://127.0.0.1:1/0"


@pytest.fixture(autouse=True)
def _fresh_circuits():
    resilient.reset_circuits()
    yield
    resilient.reset_circuits()


def make_cache(url: str = DEAD_URL, **options) -> ResilientRedisCache:
    return ResilientRedisCache(url, {"KEY_PREFIX": "samverkan-test", "OPTIONS": options})


def test_every_operation_answers_as_an_empty_cache_that_keeps_nothing(clock):
    cache = make_cache()
    assert cache.get("k") is None
    assert cache.get("k", "fallback") == "fallback"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.set("k", "v") is None
    assert cache.add("k", "v") is False
    assert cache.has_key("k") is False
    assert "k" not in cache
    assert cache.touch("k") is False
    assert cache.delete("k") is False
    assert cache.delete_many(["a", "b"]) is None
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
    assert cache.get_or_set("k", "computed") == "computed"
    assert cache.clear() is None
    assert cache.reachable() is False


def test_counters_refuse_instead_of_counting_from_zero(clock):
    """A rate limit reads a missing count as "nothing yet": a counter must fail loudly
    so its caller refuses (fail safe), never let everything through."""
    cache = make_cache()
    for operation in (lambda: cache.incr("n"), lambda: cache.decr("n")):
        with pytest.raises(CacheUnavailable):
            operation()
    # Code that already treats a Redis connection failure as an outage still does.
    assert issubclass(CacheUnavailable, RedisConnectionError)


def test_after_a_failure_redis_is_left_alone_for_retry_after(clock, monkeypatch):
    cache = make_cache(retry_after=10)
    attempts = []
    real = cache._cache.get_client

    def counting(*args, **kwargs):
        attempts.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(cache._cache, "get_client", counting)
    cache.get("k")
    assert len(attempts) == 1 and not cache.available()
    for _ in range(50):
        cache.get("k")
        cache.set("k", 1)
        with pytest.raises(CacheUnavailable):
            cache.incr("k")
    assert len(attempts) == 1  # nothing was tried while the circuit is open
    clock.now += 10
    assert cache.available()
    cache.get("k")
    assert len(attempts) == 2


def test_the_pause_is_shared_by_every_thread_of_the_process(clock):
    """Django makes one cache object per thread; they share what is known of Redis."""
    first, second = make_cache(), make_cache()
    first.get("k")
    assert not second.available()


def test_a_dead_redis_costs_milliseconds():
    cache = make_cache()
    started = time.perf_counter()
    for _ in range(200):
        cache.get("k")
    assert time.perf_counter() - started < 0.5


def test_the_failure_is_logged_once_per_interval_without_keys(clock, caplog):
    cache = make_cache(retry_after=1, warn_every=60)
    secret_key = "django.contrib.sessions.cached_db" + "s3cr3tsessionkey"
    with caplog.at_level(logging.DEBUG):
        for _ in range(30):
            cache.get(secret_key)
            cache.set(secret_key, {"_auth_user_id": "42"})
            clock.now += 1  # each attempt fails again after the pause
    warnings = [r for r in caplog.records if r.name == "samverkan.cache"]
    assert len(warnings) == 1
    assert warnings[0].levelno == logging.WARNING
    assert "ConnectionError" in warnings[0].getMessage()
    for record in caplog.records:
        text = record.getMessage()
        assert "s3cr3tsessionkey" not in text and "_auth_user_id" not in text
        assert "127.0.0.1:1" not in text  # the server (a URL may carry a password)
    clock.now += 60
    with caplog.at_level(logging.DEBUG):
        cache.get(secret_key)
    assert len([r for r in caplog.records if r.name == "samverkan.cache"]) == 2


def test_failed_writes_are_remembered_for_deletion_and_bounded(clock, monkeypatch):
    monkeypatch.setattr(resilient, "MAX_PENDING", 3)
    cache = make_cache()
    cache.get("read-only")  # reads are not remembered
    for key in ("a", "b", "c", "d"):
        cache.set(key, 1)
    cache.delete("e")
    pending = list(cache._circuit.pending)
    assert pending == [cache.make_key(k) for k in ("c", "d", "e")]


def test_socket_timeouts_are_short_by_default():
    cache = make_cache()
    pool = cache._cache._get_connection_pool(write=True)
    assert pool.connection_kwargs["socket_connect_timeout"] == resilient.DEFAULT_SOCKET_TIMEOUT_S
    assert pool.connection_kwargs["socket_timeout"] == resilient.DEFAULT_SOCKET_TIMEOUT_S
    assert "retry_after" not in pool.connection_kwargs


def test_caches_for_gives_the_resilient_backend_with_the_configured_timeouts():
    from samverkan.settings.base import caches_for

    config = caches_for("redis", "redis://cache.example:6379/0", timeout_s=0.2, retry_after_s=5)
    assert config["default"]["BACKEND"] == "samverkan.lib.cache.ResilientRedisCache"
    assert config["default"]["OPTIONS"] == {
        "socket_connect_timeout": 0.2, "socket_timeout": 0.2, "retry_after": 5,
    }


# --- Against a real Redis --------------------------------------------------------------------


def _redis_url() -> str:
    url = os.environ.get("REDIS_URL") or (
        "redis://127.0.0.1:6379/0" if os.environ.get("REQUIRE_REDIS") == "1" else None
    )
    if url is None:
        pytest.skip("REDIS_URL is not set")
    return url


@pytest.mark.redis
def test_with_redis_up_it_is_an_ordinary_cache_and_faults_still_raise():
    cache = make_cache(_redis_url())
    cache.key_prefix = f"samverkan-test-{uuid.uuid4().hex}"
    try:
        cache.set("k", {"v": 1})
        assert cache.get("k") == {"v": 1}
        assert cache.add("n", 1) is True
        assert cache.incr("n") == 2
        assert cache.reachable() is True
        # A fault that is not an outage is not hidden: INCR of a value that is no number.
        cache.set("text", "not a number")
        with pytest.raises(ResponseError):
            cache.incr("text")
        assert cache.available()
    finally:
        cache.delete_many(["k", "n", "text"])


@pytest.mark.redis
def test_a_key_deleted_during_an_outage_is_gone_when_redis_returns(throwaway_redis, clock):
    cache = make_cache(throwaway_redis.url, retry_after=5)
    cache.set("session", {"_auth_user_id": "1"})
    throwaway_redis.stop()
    assert cache.delete("session") is False  # the outage: Redis keeps its copy
    assert cache.get("session") is None
    throwaway_redis.start()  # back, with what it held
    raw = throwaway_redis.client()
    assert raw.exists(cache.make_key("session"))
    clock.now += 5
    assert cache.get("session") is None  # the delete was made before the read
    assert not raw.exists(cache.make_key("session"))
    assert not cache._circuit.pending
