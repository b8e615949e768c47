"""Session lifetime (idle 30 min, absolute 12 h), re-authentication before sensitive
operations, and "log out everywhere"."""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.test import Client, override_settings

from samverkan.accounts.reauth import REAUTH_MAX_FAILURES, SESSION_REAUTH_AT
from tests.accounts.conftest import (
    events,
    fresh_code,
    is_logged_in,
    login_client,
    make_reauth_stale,
    reauthenticate,
    shift_session,
)
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

MIN = 60


def test_default_lifetimes():
    assert settings.SESSION_IDLE_TIMEOUT_MINUTES == 30
    assert settings.SESSION_ABSOLUTE_TIMEOUT_MINUTES == 12 * 60


# --- Idle timeout --------------------------------------------------------------------


def test_idle_session_ends_after_30_minutes(client, user_factory):
    user = user_factory(roles=["caseworker"])
    login_client(client, user)
    shift_session(client, seen_ago_s=31 * MIN)
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/logga-in/")
    assert "_auth_user_id" not in client.session
    assert events("auth.session_expired", subject_id=str(user.pk)).count() == 1
    # The login page tells the person why.
    page = client.get("/konto/logga-in/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Your session has ended" in page.content.decode()
    assert not is_logged_in(client)


def test_session_within_idle_limit_continues_and_is_touched(client, user_factory):
    user = user_factory(roles=["caseworker"])
    login_client(client, user)
    shift_session(client, seen_ago_s=29 * MIN)
    assert client.get("/").status_code == 200
    # The visit counted as activity: another 29 minutes later it is still alive.
    last_seen = client.session["samverkan_last_seen"]
    assert time.time() - last_seen < 5
    shift_session(client, seen_ago_s=29 * MIN)
    assert client.get("/").status_code == 200


@override_settings(SESSION_IDLE_TIMEOUT_MINUTES=5)
def test_idle_timeout_is_configurable(client, user_factory):
    user = user_factory()
    login_client(client, user)
    shift_session(client, seen_ago_s=6 * MIN)
    assert client.get("/").status_code == 302
    assert not is_logged_in(client)


# --- Absolute lifetime ------------------------------------------------------------------


def test_session_ends_12_hours_after_login_even_when_active(client, user_factory):
    user = user_factory(roles=["caseworker"])
    login_client(client, user)
    shift_session(client, login_ago_s=12 * 60 * MIN + MIN, seen_ago_s=10)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/logga-in/")
    assert not is_logged_in(client)
    assert events("auth.session_expired", subject_id=str(user.pk)).count() == 1


def test_session_just_under_12_hours_continues(client, user_factory):
    user = user_factory(roles=["caseworker"])
    login_client(client, user)
    shift_session(client, login_ago_s=12 * 60 * MIN - MIN, seen_ago_s=10)
    assert client.get("/").status_code == 200


@override_settings(SESSION_ABSOLUTE_TIMEOUT_MINUTES=60)
def test_absolute_lifetime_is_configurable(client, user_factory):
    user = user_factory()
    login_client(client, user)
    shift_session(client, login_ago_s=61 * MIN, seen_ago_s=10)
    assert client.get("/").status_code == 302


def test_session_without_login_time_is_refused(client, user_factory):
    """A session that was not made by the login pages (no timestamps) is not trusted."""
    user = user_factory()
    login_client(client, user)
    session = client.session
    del session["samverkan_login_at"]
    session.save()
    assert client.get("/").status_code == 302
    assert not is_logged_in(client)


def test_expired_session_half_way_through_login_must_start_over(client, user_factory):
    user = user_factory()
    client.post("/konto/logga-in/", {"username": user.username, "password": PASSWORD})
    shift_session(client, seen_ago_s=31 * MIN)
    response = client.post("/konto/tvastegsverifiering/", {"token": fresh_code(user)})
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/logga-in/")
    assert client.get("/").status_code == 302


# --- Re-authentication ---------------------------------------------------------------------


def test_user_creation_needs_recent_authentication(client_for, user_factory):
    admin = user_factory(roles=["org_admin"])
    admin_client = client_for(admin)
    # Logging in counts as authentication for a while.
    assert admin_client.get("/konto/anvandare/ny/").status_code == 200
    make_reauth_stale(admin_client)
    response = admin_client.get("/konto/anvandare/ny/")
    assert response.status_code == 302
    assert response["Location"] == "/konto/bekrafta/?next=/konto/anvandare/ny/"
    # A POST while stale changes nothing.
    data = {
        "username": "ny.person",
        "first_name": "Ny",
        "last_name": "Person",
        "email": "ny@test.invalid",
    }
    response = admin_client.post("/konto/anvandare/ny/", data)
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/bekrafta/")
    from samverkan.accounts.models import User

    assert not User.objects.filter(username="ny.person").exists()

    response = reauthenticate(admin_client, admin, next_url="/konto/anvandare/ny/")
    assert response["Location"] == "/konto/anvandare/ny/"
    assert events("auth.reauthenticated", actor_id=admin.pk).count() == 1
    response = admin_client.post("/konto/anvandare/ny/", data)
    assert response.status_code == 302
    assert User.objects.filter(username="ny.person", organisation=admin.organisation).exists()


def test_reauth_needs_both_password_and_code(client_for, user_factory):
    admin = user_factory(roles=["org_admin"])
    admin_client = client_for(admin)
    make_reauth_stale(admin_client)
    wrong_password = admin_client.post(
        "/konto/bekrafta/", {"password": "not-my-password-1", "token": fresh_code(admin)}
    )
    assert wrong_password.status_code == 200
    wrong_code = admin_client.post("/konto/bekrafta/", {"password": PASSWORD, "token": "12345"})
    assert wrong_code.status_code == 200
    assert admin_client.get("/konto/anvandare/ny/").status_code == 302
    assert events("auth.reauth_failed", actor_id=admin.pk).count() == 1  # short code: form error


def test_reauth_max_age_is_honoured(client_for, user_factory):
    admin = user_factory(roles=["org_admin"])
    admin_client = client_for(admin)
    session = admin_client.session
    age = settings.SAMVERKAN_REAUTH_MAX_AGE_MINUTES * MIN
    session[SESSION_REAUTH_AT] = time.time() - age + 30
    session.save()
    assert admin_client.get("/konto/anvandare/ny/").status_code == 200
    session = admin_client.session
    session[SESSION_REAUTH_AT] = time.time() - age - 30
    session.save()
    assert admin_client.get("/konto/anvandare/ny/").status_code == 302


def test_too_many_failed_reauths_end_the_session(client_for, user_factory):
    user = user_factory(roles=["org_admin"])
    user_client = client_for(user)
    make_reauth_stale(user_client)
    for n in range(REAUTH_MAX_FAILURES):
        response = user_client.post(
            "/konto/bekrafta/", {"password": f"guess-{n}-password", "token": "123456"}
        )
    assert response.status_code == 302
    assert response["Location"] == "/konto/logga-in/"
    assert not is_logged_in(user_client)
    assert events("auth.reauth_failed", actor_id=user.pk).count() == REAUTH_MAX_FAILURES


def test_reauth_next_is_not_an_open_redirect(client_for, user_factory):
    user = user_factory()
    user_client = client_for(user)
    response = user_client.post(
        "/konto/bekrafta/",
        {"password": PASSWORD, "token": fresh_code(user), "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


# --- Log out everywhere -------------------------------------------------------------------


def test_log_out_everywhere_ends_every_session(client_for, user_factory):
    user = user_factory(roles=["caseworker"])
    laptop = client_for(user)
    phone = client_for(user)
    assert is_logged_in(laptop) and is_logged_in(phone)
    bystander_user = user_factory(organisation=user.organisation)
    bystander = client_for(bystander_user)

    assert laptop.get("/konto/logga-ut-overallt/").status_code == 405
    response = laptop.post("/konto/logga-ut-overallt/")
    assert response.status_code == 302
    assert not is_logged_in(laptop)
    assert not is_logged_in(phone)
    assert is_logged_in(bystander)
    assert events("auth.logout_everywhere", actor_id=user.pk).count() == 1
    # Logging in again works.
    again = login_client(Client(), user)
    assert is_logged_in(again)


# --- The same with sessions read from the cache (production with Redis) ----------------------

CACHED_SESSIONS = override_settings(
    SESSION_ENGINE="django.contrib.sessions.backends.cached_db",
    CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "sessions-test"}},
)


@CACHED_SESSIONS
def test_cached_sessions_log_out_everywhere(client_for, user_factory):
    test_log_out_everywhere_ends_every_session(client_for, user_factory)


@CACHED_SESSIONS
def test_cached_sessions_idle_timeout(client, user_factory):
    test_idle_session_ends_after_30_minutes(client, user_factory)


@CACHED_SESSIONS
def test_cached_sessions_logout_ends_the_session(client, user_factory):
    user = user_factory(roles=["caseworker"])
    login_client(client, user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.post("/konto/logga-ut/").status_code == 302
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = cookie
    assert not is_logged_in(replay)


# --- A new session key at every step up in assurance -------------------------------------


def _session_key(client: Client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _replay(key: str) -> Client:
    """A second browser holding ``key`` (e.g. one that planted or read it)."""
    other = Client()
    other.cookies[settings.SESSION_COOKIE_NAME] = key
    return other


def test_the_second_factor_gives_a_new_session_key(client, user_factory):
    user = user_factory(roles=["caseworker"])
    assert client.post(
        "/konto/logga-in/", {"username": user.username, "password": PASSWORD}
    ).status_code == 302
    half_way = _session_key(client)
    assert client.post("/konto/tvastegsverifiering/", {"token": fresh_code(user)}).status_code == 302
    assert _session_key(client) != half_way
    assert is_logged_in(client)
    # The key from before the second factor opens nothing, not even the verify page.
    assert not is_logged_in(_replay(half_way))
    assert _replay(half_way).get("/konto/tvastegsverifiering/").status_code == 302


def test_enrolling_the_authenticator_gives_a_new_session_key(client, user_factory):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.accounts.conftest import code_of

    user = user_factory(roles=["caseworker"], totp=False)
    client.post("/konto/logga-in/", {"username": user.username, "password": PASSWORD})
    assert client.get("/konto/tvastegsverifiering/registrera/").status_code == 200
    half_way = _session_key(client)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert client.post("/konto/tvastegsverifiering/registrera/", {"token": code_of(device)}).status_code == 200
    assert _session_key(client) != half_way
    assert is_logged_in(client)
    assert not is_logged_in(_replay(half_way))


def test_reauthentication_gives_a_new_session_key(client_for, user_factory):
    user = user_factory(roles=["caseworker"])
    client = client_for(user)
    before = _session_key(client)
    reauthenticate(client, user)
    assert _session_key(client) != before
    assert is_logged_in(client)
    assert not is_logged_in(_replay(before))


@CACHED_SESSIONS
def test_cached_sessions_second_factor_gives_a_new_session_key(client, user_factory):
    test_the_second_factor_gives_a_new_session_key(client, user_factory)


@CACHED_SESSIONS
def test_cached_sessions_reauthentication_gives_a_new_session_key(client_for, user_factory):
    test_reauthentication_gives_a_new_session_key(client_for, user_factory)
