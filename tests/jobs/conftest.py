from __future__ import annotations

import os
import signal
import uuid

import pytest

import tests.jobs.handlers  # noqa: F401  (registers the test job kinds)


def _redis_url() -> str | None:
    url = os.environ.get("REDIS_URL")
    if url:
        return url
    if os.environ.get("REQUIRE_REDIS") == "1":
        return "redis://127.0.0.1:6379/0"
    return None


@pytest.fixture
def redis_url() -> str:
    """The real Redis from REDIS_URL. Skipped only when REDIS_URL is unset and CI does
    not demand Redis (REQUIRE_REDIS=1); an unreachable Redis is a failure, not a skip."""
    url = _redis_url()
    if url is None:
        pytest.skip("REDIS_URL is not set (set it, or REQUIRE_REDIS=1 in CI, to run the RQ tests)")
    from redis import Redis

    Redis.from_url(url, socket_connect_timeout=3).ping()  # raises -> the test fails
    return url


@pytest.fixture
def rq_queue_name(redis_url):
    """A queue of our own, removed afterwards, so parallel runs never share jobs."""
    name = f"samverkan-test-{uuid.uuid4().hex}"
    yield name
    from redis import Redis
    from rq import Queue

    connection = Redis.from_url(redis_url)
    Queue(name, connection=connection).delete(delete_jobs=True)
    for key in connection.scan_iter(f"rq:*{name}*"):
        connection.delete(key)


@pytest.fixture
def keep_signal_handlers():
    """RQ workers install SIGINT/SIGTERM handlers; give pytest its own back."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)
