"""Login throttling (django-axes): lockout per (username, address) with a cool-off, so
an attacker can neither guess on forever nor lock a named user out."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.utils import timezone

from tests.accounts.conftest import events, fresh_code
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/konto/logga-in/"
ATTACKER = "203.0.113.66"
VICTIM_HOME = "198.51.100.7"


def _attempt(client: Client, username: str, password: str):
    return client.post(LOGIN, {"username": username, "password": password})


def _lock(username: str) -> Client:
    attacker = Client(REMOTE_ADDR=ATTACKER)
    limit = settings.AXES_FAILURE_LIMIT
    for n in range(1, limit + 1):
        response = _attempt(attacker, username, f"guess-{n}-wrong-pw")
        expected = 429 if n == limit else 200
        assert response.status_code == expected, n
    return attacker


def test_settings_lock_per_username_and_address_with_cool_off():
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert 0 < settings.AXES_COOLOFF_TIME <= 1  # hours; never a permanent lock
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


def test_address_is_locked_for_that_username_after_the_limit(user_factory):
    victim = user_factory()
    attacker = _lock(victim.username)
    # Even the right password is refused from that address now.
    response = _attempt(attacker, victim.username, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in attacker.session
    content = attacker.get(LOGIN).content.decode()
    assert "Too many attempts" not in content  # the login page itself still opens
    locked = events("auth.locked_out")
    assert locked.count() == 2
    assert locked.last().subject_id == str(victim.pk)
    assert victim.username not in locked.last().detail
    assert events("auth.login_failed", subject_id=str(victim.pk)).count() >= 5


def test_lockout_page_says_how_long(user_factory):
    victim = user_factory()
    attacker = _lock(victim.username)
    response = attacker.post(
        LOGIN, {"username": victim.username, "password": PASSWORD}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 429
    minutes = round(settings.AXES_COOLOFF_TIME * 60)
    assert f"paused from here for {minutes} minutes" in response.content.decode()


def test_victim_from_another_address_still_gets_in(user_factory):
    victim = user_factory(roles=["caseworker"])
    _lock(victim.username)
    victim_client = Client(REMOTE_ADDR=VICTIM_HOME)
    response = _attempt(victim_client, victim.username, PASSWORD)
    assert response.status_code == 302
    victim_client.post("/konto/tvastegsverifiering/", {"token": fresh_code(victim)})
    assert victim_client.get("/").status_code == 200


def test_other_usernames_from_the_locked_address_are_not_locked(user_factory):
    victim = user_factory()
    colleague = user_factory()
    attacker = _lock(victim.username)
    response = _attempt(attacker, colleague.username, PASSWORD)
    assert response.status_code == 302


def test_forged_forwarded_for_header_does_not_move_the_lock(user_factory):
    """Without a configured proxy the client's X-Forwarded-For is not believed: an
    attacker cannot pin failures on the victim's address."""
    victim = user_factory()
    attacker = Client(REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=VICTIM_HOME)
    for n in range(settings.AXES_FAILURE_LIMIT):
        _attempt(attacker, victim.username, f"guess-{n}-wrong-pw")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}
    victim_client = Client(REMOTE_ADDR=VICTIM_HOME)
    assert _attempt(victim_client, victim.username, PASSWORD).status_code == 302


def test_lock_ends_after_the_cool_off(user_factory):
    victim = user_factory()
    attacker = _lock(victim.username)
    assert _attempt(attacker, victim.username, PASSWORD).status_code == 429
    # Time travel: the failures happened just over the cool-off ago.
    past = timezone.now() - timedelta(hours=settings.AXES_COOLOFF_TIME, minutes=1)
    AccessAttempt.objects.update(attempt_time=past)
    response = _attempt(attacker, victim.username, PASSWORD)
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/tvastegsverifiering/")


def test_lock_still_holds_just_before_the_cool_off(user_factory):
    victim = user_factory()
    attacker = _lock(victim.username)
    almost = timezone.now() - timedelta(hours=settings.AXES_COOLOFF_TIME) + timedelta(minutes=1)
    AccessAttempt.objects.update(attempt_time=almost)
    assert _attempt(attacker, victim.username, PASSWORD).status_code == 429


def test_success_resets_the_failure_count(user_factory):
    user = user_factory()
    client = Client(REMOTE_ADDR=ATTACKER)
    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _attempt(client, user.username, f"typo-{n}-password").status_code == 200
    assert _attempt(client, user.username, PASSWORD).status_code == 302
    client.post("/konto/logga-ut/")
    client = Client(REMOTE_ADDR=ATTACKER)
    # A fresh budget: four more typos do not lock.
    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _attempt(client, user.username, f"typo2-{n}-password").status_code == 200
    assert _attempt(client, user.username, PASSWORD).status_code == 302
