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
from tests.conftest import fresh_code, login_client
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


def reauthenticate(client: Client, user, next_url: str = "/"):
    response = client.post(
        "/konto/bekrafta/", {"password": PASSWORD, "token": fresh_code(user), "next": next_url}
    )
    assert response.status_code == 302, response.content[:300]
    return response


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
        return login_client(Client(**client_kwargs), user)

    return make


@pytest.fixture
def logged_in(db):
    """The accounts tests log in through the real login and two-factor pages (the
    shared fixture's fast login would skip what they test)."""

    def make(user) -> Client:
        return login_client(Client(), user)

    return make
