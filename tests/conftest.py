"""Shared fixtures: personas in several organisations, logged-in clients with 2FA."""

from __future__ import annotations

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import OrganisationFactory, UserFactory


@pytest.fixture(autouse=True)
def _audit_guard_around_flush(request):
    """Transactional tests end with a table flush, which the append-only triggers
    refuse; lift them just for that flush and put them back for the next test."""
    marker_fixtures = {"transactional_db", "live_server"}
    if not marker_fixtures & set(request.fixturenames):
        yield
        return
    from django.db import connection

    from samverkan.audit import guard
    from samverkan.journal import guard as journal_guard

    request.getfixturevalue("transactional_db")
    guard.install(connection)
    journal_guard.install(connection)
    # The flush after the previous transactional test also emptied the rows that
    # data migrations seed (roles); put them back.
    from samverkan.accounts.roles import ensure_default_roles

    ensure_default_roles()
    yield
    guard.remove(connection)
    journal_guard.remove(connection)


def current_code(user) -> str:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def login_client(client: Client, user, password: str = "pw-correct-horse-9") -> Client:
    """Log ``user`` in through the real login and two-factor pages."""
    response = client.post("/konto/logga-in/", {"username": user.username, "password": password})
    assert response.status_code == 302, response.content[:500]
    response = client.post("/konto/tvastegsverifiering/", {"token": current_code(user)})
    assert response.status_code == 302, response.content[:500]
    return client


@pytest.fixture
def org_factory(db):
    return OrganisationFactory


@pytest.fixture
def user_factory(db):
    return UserFactory


@pytest.fixture
def logged_in(db):
    """Return a function: logged_in(user) -> Client with password + TOTP done."""

    def make(user) -> Client:
        return login_client(Client(), user)

    return make
