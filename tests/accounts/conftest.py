"""Helpers for the accounts tests: fresh TOTP codes, re-authentication, audit look-ups,
and five organisations of different kinds for persona tests."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from samverkan.accounts.middleware import SESSION_LAST_SEEN, SESSION_LOGIN_AT
from samverkan.accounts.reauth import SESSION_REAUTH_AT
from samverkan.audit.models import AuditEvent
from tests.factories import PASSWORD, OrganisationFactory, UserFactory

ORG_KINDS = [
    ("police_area", "lpo-test"),
    ("district_administration", "sdf-test"),
    ("school", "skola-test"),
    ("housing", "bostad-test"),
    ("ngo", "ideell-test"),
]


def code_of(device: TOTPDevice, steps_ahead: int = 0) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + steps_ahead):06d}"


def fresh_code(user) -> str:
    """The authenticator's current code, with django-otp's replay guard and throttle
    reset -- as if the next 30-second step had come (each code works only once)."""
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    TOTPDevice.objects.filter(pk=device.pk).update(
        last_t=-1, throttling_failure_count=0, throttling_failure_timestamp=None
    )
    return code_of(device)


def reauthenticate(client: Client, user, next_url: str = "/"):
    response = client.post(
        "/konto/bekrafta/", {"password": PASSWORD, "token": fresh_code(user), "next": next_url}
    )
    assert response.status_code == 302, response.content[:300]
    return response


def log_in(client: Client, user, password: str = PASSWORD) -> Client:
    """Log in through the real login and verify pages (any number of times per user)."""
    response = client.post("/konto/logga-in/", {"username": user.username, "password": password})
    assert response.status_code == 302, response.content[:500]
    response = client.post("/konto/tvastegsverifiering/", {"token": fresh_code(user)})
    assert response.status_code == 302, response.content[:500]
    return client


def make_reauth_stale(client: Client) -> None:
    session = client.session
    session[SESSION_REAUTH_AT] = time.time() - 3600
    session.save()


def shift_session(
    client: Client, *, login_ago_s: float | None = None, seen_ago_s: float | None = None
):
    session = client.session
    now = time.time()
    if login_ago_s is not None:
        session[SESSION_LOGIN_AT] = now - login_ago_s
    if seen_ago_s is not None:
        session[SESSION_LAST_SEEN] = now - seen_ago_s
    session.save()


def events(action: str, **filters):
    return AuditEvent.objects.filter(action=action, **filters).order_by("seq")


def is_logged_in(client: Client) -> bool:
    """True when the client's session still opens an authenticated page."""
    response = client.get("/konto/mitt-konto/")
    return response.status_code == 200


@pytest.fixture
def five_orgs(db):
    return [
        OrganisationFactory(kind=kind, short_code=code, name=f"Organisation {code}")
        for kind, code in ORG_KINDS
    ]


@pytest.fixture
def sysadmin(db):
    return UserFactory(roles=["system_admin"])


@pytest.fixture
def client_for(db):
    """client_for(user) -> a Client logged in through the real password + TOTP pages."""

    def make(user, **client_kwargs) -> Client:
        return log_in(Client(**client_kwargs), user)

    return make


@pytest.fixture
def logged_in(db):
    """The accounts tests log in through the real login and two-factor pages (the
    shared fixture's fast login would skip what they test)."""

    from tests.conftest import login_client

    def make(user) -> Client:
        return login_client(Client(), user)

    return make
