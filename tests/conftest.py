"""Shared fixtures: personas in several organisations, logged-in clients with 2FA."""

from __future__ import annotations

import pytest
from django.test import Client, TransactionTestCase
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import OrganisationFactory, UserFactory

# Database guards (triggers) that refuse changes to append-only or signed rows. The
# table flush that ends every transactional test (pytest-django runs it through
# TransactionTestCase._fixture_teardown) would trip them; lift them for exactly that
# flush and put them back right after, so every test runs with the guards installed.
_GUARDS = ("samverkan.audit.guard", "samverkan.journal.guard", "samverkan.meetings.guard")


def _guards():
    import importlib

    return [importlib.import_module(name) for name in _GUARDS]


_original_fixture_teardown = TransactionTestCase._fixture_teardown


def _fixture_teardown_with_guards(self):
    from django.db import connections

    aliases = list(self._databases_names(include_mirrors=False))
    for alias in aliases:
        for guard in _guards():
            guard.remove(connections[alias])
    try:
        _original_fixture_teardown(self)
    finally:
        for alias in aliases:
            for guard in _guards():
                guard.install(connections[alias])


TransactionTestCase._fixture_teardown = _fixture_teardown_with_guards


@pytest.fixture(scope="session")
def _checkpoint_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("audit-checkpoints")


@pytest.fixture(autouse=True)
def _audit_checkpoint_file(_checkpoint_dir, request):
    """A checkpoint file of the test's own: checkpoints of one test's chain must not be
    held against the next test's (rolled back or flushed) database."""
    from django.conf import settings

    name = f"{abs(hash(request.node.nodeid)):x}-{id(request)}.log"
    original = getattr(settings, "AUDIT_CHECKPOINT_FILE", "")
    settings.AUDIT_CHECKPOINT_FILE = str(_checkpoint_dir / name)
    yield
    settings.AUDIT_CHECKPOINT_FILE = original


@pytest.fixture(autouse=True)
def _seeded_rows_after_flush(request):
    """The flush after a transactional test also empties rows that data migrations seed
    (roles); put them back before a transactional test starts."""
    marker = request.node.get_closest_marker("django_db")
    transactional = bool({"transactional_db", "live_server"} & set(request.fixturenames)) or bool(
        marker and marker.kwargs.get("transaction")
    )
    if transactional:
        request.getfixturevalue("_django_db_helper")
        from samverkan.accounts.roles import ensure_default_roles

        ensure_default_roles()
    yield


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
