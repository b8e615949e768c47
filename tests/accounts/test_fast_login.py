"""The suite's fast login (tests/conftest.py: fast_login, behind the ``logged_in`` and
``login`` fixtures) leaves a user exactly as logged in as the real login and two-factor
pages do: the same session keys, the same audit events, and no more than that."""

from __future__ import annotations

import pytest
from django.test import Client

from samverkan.audit.models import AuditEvent
from tests.conftest import fast_login, login_client

pytestmark = pytest.mark.django_db


def _audit_actions(user) -> list[tuple[str, str]]:
    return list(AuditEvent.objects.filter(actor_id=user.pk).order_by("seq").values_list("action", "subject_type"))


def test_fast_login_leaves_what_the_real_pages_leave(user_factory):
    real_user = user_factory(roles=["caseworker"])
    fast_user = user_factory(roles=["caseworker"])
    real = login_client(Client(), real_user)
    fast = fast_login(fast_user)
    assert set(fast.session.keys()) == set(real.session.keys())
    assert fast.session["_auth_user_backend"] == real.session["_auth_user_backend"]
    assert _audit_actions(fast_user) == _audit_actions(real_user)
    for client in (real, fast):
        assert client.get("/konto/mitt-konto/").status_code == 200


def test_fast_login_is_refused_once_the_device_is_gone(user_factory):
    """The verified device is checked on every request, as for a real login."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = user_factory(roles=["caseworker"])
    client = fast_login(user)
    assert client.get("/konto/mitt-konto/").status_code == 200
    TOTPDevice.objects.filter(user=user).delete()
    assert client.get("/konto/mitt-konto/").status_code == 302
