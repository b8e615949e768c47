"""An outage of Redis does not take the site down (issue 9 §5).

The production configuration (settings/production.py: the Redis cache from
``caches_for("redis", ...)`` and cached_db sessions) pointed at a closed port, where
nothing listens: staff log in through the real login and two-factor pages and work,
the public area pages open, /halsa/ reports the degraded dependency (200, so a load
balancer keeps the server), the failure is logged once and names no session key, and
login throttling (django-axes, in the database) still locks out. The test marked
``redis`` does the same against a redis-server of its own that it stops and starts: a
session ended during the outage does not come back with Redis.
"""

from __future__ import annotations

import json
import logging

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client, override_settings

from samverkan.lib import cache as resilient
from samverkan.settings.base import caches_for
from tests.accounts.conftest import is_logged_in, login_client
from tests.factories import PASSWORD
from tests.public.conftest import make_public_area

pytestmark = pytest.mark.django_db

DEAD_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def production_cache(url: str):
    """The cache and session settings production derives from REDIS_URL = ``url``."""
    return override_settings(
        CACHES=caches_for("redis", url),
        SESSION_ENGINE="django.contrib.sessions.backends.cached_db",
    )


@pytest.fixture(autouse=True)
def _fresh_circuits():
    from samverkan.public import cache as public_cache

    resilient.reset_circuits()
    public_cache.early_clear()
    yield
    resilient.reset_circuits()
    public_cache.early_clear()


def health(client: Client | None = None) -> tuple[int, dict[str, object]]:
    response = (client or Client()).get("/halsa/")
    return response.status_code, json.loads(response.content)


def test_with_redis_down_staff_and_public_pages_work(user_factory, caplog):
    user = user_factory(roles=["caseworker"])
    area = make_public_area()
    with production_cache(DEAD_URL), caplog.at_level(logging.DEBUG):
        staff = login_client(Client(), user)  # the real login and two-factor pages
        key = staff.cookies[settings.SESSION_COOKIE_NAME].value
        assert staff.get("/arenden/").status_code == 200
        assert staff.get("/").status_code == 200
        assert staff.get("/konto/mitt-konto/").status_code == 200
        for _ in range(2):
            assert Client().get(f"/omraden/{area.code}/").status_code == 200
            assert Client().get("/omraden/").status_code == 200
        assert health() == (200, {"status": "degraded", "degraded": ["cache"]})
        # Logging out still ends the session.
        assert staff.post("/konto/logga-ut/").status_code == 302
        replay = Client()
        replay.cookies[settings.SESSION_COOKIE_NAME] = key
        assert not is_logged_in(replay)
    warnings = [r for r in caplog.records if r.name == "samverkan.cache"]
    assert len(warnings) == 1, [r.getMessage() for r in warnings]
    for record in caplog.records:
        assert key not in record.getMessage()


def test_login_throttling_still_locks_out_with_redis_down(user_factory):
    """django-axes keeps its failure counts in the database (AxesDatabaseHandler), so an
    outage of Redis neither lets guessing through nor breaks the login page."""
    assert settings.AXES_HANDLER == "axes.handlers.database.AxesDatabaseHandler"
    victim = user_factory()
    attacker = Client(REMOTE_ADDR="203.0.113.66")
    with production_cache(DEAD_URL):
        for n in range(1, settings.AXES_FAILURE_LIMIT + 1):
            response = attacker.post(
                "/konto/logga-in/", {"username": victim.username, "password": f"wrong-{n}"}
            )
            assert response.status_code == (429 if n == settings.AXES_FAILURE_LIMIT else 200)
        response = attacker.post(
            "/konto/logga-in/", {"username": victim.username, "password": PASSWORD}
        )
        assert response.status_code == 429
        assert "_auth_user_id" not in attacker.session


# --- /halsa/ -------------------------------------------------------------------------------------


def test_health_is_ok_and_says_nothing_else_when_all_is_well(db):
    assert health() == (200, {"status": "ok"})


def test_health_reports_an_unreachable_job_queue(db):
    with override_settings(SAMVERKAN_JOBS_BACKEND="rq", REDIS_URL=DEAD_URL):
        assert health() == (200, {"status": "degraded", "degraded": ["job_queue"]})
    with production_cache(DEAD_URL), override_settings(SAMVERKAN_JOBS_BACKEND="rq", REDIS_URL=DEAD_URL):
        assert health() == (200, {"status": "degraded", "degraded": ["cache", "job_queue"]})


def test_health_answers_503_only_when_the_database_is_unreachable(db, monkeypatch):
    from django.db import OperationalError

    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    assert health() == (503, {"status": "unavailable"})


def test_health_does_not_wait_for_a_dead_cache(db, clock, monkeypatch):
    """After one failed attempt the cache is not tried again for CACHE_RETRY_SECONDS."""
    attempts = []
    real_ping = resilient.ResilientRedisCache.reachable

    def counting(self):
        attempts.append(self.available())
        return real_ping(self)

    monkeypatch.setattr(resilient.ResilientRedisCache, "reachable", counting)
    with production_cache(DEAD_URL):
        for _ in range(5):
            assert health()[1]["status"] == "degraded"
    assert attempts == [True, False, False, False, False]


# --- A real outage -------------------------------------------------------------------------------


@pytest.mark.redis
def test_an_outage_of_a_real_redis(user_factory, throwaway_redis, clock, caplog):
    user = user_factory(roles=["caseworker"])
    raw = throwaway_redis.client()
    with production_cache(throwaway_redis.url), caplog.at_level(logging.DEBUG):
        staff = login_client(Client(), user)
        key = staff.cookies[settings.SESSION_COOKIE_NAME].value
        assert raw.exists(f"samverkan:1:django.contrib.sessions.cached_db{key}")
        assert health() == (200, {"status": "ok"})

        throwaway_redis.stop()
        assert staff.get("/arenden/").status_code == 200
        assert health() == (200, {"status": "degraded", "degraded": ["cache"]})
        # Log out while Redis is away: its copy of the session cannot be deleted now.
        assert staff.post("/konto/logga-ut/").status_code == 302

        throwaway_redis.start()  # back, with the stale copy of the ended session
        assert raw.exists(f"samverkan:1:django.contrib.sessions.cached_db{key}")
        clock.now += settings.CACHE_RETRY_SECONDS
        replay = Client()
        replay.cookies[settings.SESSION_COOKIE_NAME] = key
        assert not is_logged_in(replay)  # the ended session did not come back
        assert not raw.exists(f"samverkan:1:django.contrib.sessions.cached_db{key}")
        assert health() == (200, {"status": "ok"})
        # And logging in works with the cache again.
        again = login_client(Client(), user)
        assert again.get("/arenden/").status_code == 200
    messages = [r.getMessage() for r in caplog.records if r.name == "samverkan.cache"]
    assert len(messages) == 2 and "answers again" in messages[1], messages
    assert all(key not in r.getMessage() for r in caplog.records)
