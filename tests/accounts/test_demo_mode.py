"""Demo mode shows fictitious demo users their current code; never anyone else, and the
production settings refuse to start with it (system check samverkan.E001)."""

from __future__ import annotations

import base64
import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.checks import run_checks
from django.test import override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from samverkan.accounts.checks import demo_mode_active, demo_mode_never_in_production
from tests.accounts.conftest import code_of
from tests.factories import PASSWORD

VERIFY = "/konto/tvastegsverifiering/"
ENROL = "/konto/tvastegsverifiering/registrera/"


def _password_step(client, user) -> None:
    response = client.post("/konto/logga-in/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.django_db
@override_settings(SAMVERKAN_DEMO_MODE=True)
def test_demo_user_sees_current_code_and_can_use_it(client, user_factory):
    user = user_factory(is_demo=True, roles=["caseworker"])
    _password_step(client, user)
    page = client.get(VERIFY)
    assert page.context["demo_code"] == code_of(TOTPDevice.objects.get(user=user))
    assert 'data-testid="demo-code"' in page.content.decode()
    response = client.post(VERIFY, {"token": page.context["demo_code"]})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


@pytest.mark.django_db
@override_settings(SAMVERKAN_DEMO_MODE=True)
def test_demo_user_sees_code_while_enrolling(client, user_factory):
    user = user_factory(is_demo=True, totp=False)
    _password_step(client, user)
    page = client.get(ENROL)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert page.context["demo_code"] == code_of(device)


@pytest.mark.django_db
@override_settings(SAMVERKAN_DEMO_MODE=True)
def test_non_demo_user_never_sees_a_code(client, user_factory):
    user = user_factory(is_demo=False)
    _password_step(client, user)
    page = client.get(VERIFY)
    assert page.context["demo_code"] is None
    content = page.content.decode()
    assert 'data-testid="demo-code"' not in content
    assert code_of(TOTPDevice.objects.get(user=user)) not in content


@pytest.mark.django_db
def test_demo_user_sees_no_code_when_demo_mode_is_off(client, user_factory):
    user = user_factory(is_demo=True)
    _password_step(client, user)
    page = client.get(VERIFY)
    assert page.context["demo_code"] is None
    assert 'data-testid="demo-code"' not in page.content.decode()


@pytest.mark.django_db
@override_settings(SAMVERKAN_DEMO_MODE=True, SETTINGS_MODULE="samverkan.settings.production")
def test_codes_stay_hidden_under_production_settings_even_if_checks_were_skipped(
    client, user_factory
):
    assert not demo_mode_active()
    user = user_factory(is_demo=True)
    _password_step(client, user)
    assert client.get(VERIFY).context["demo_code"] is None


def test_check_function():
    with override_settings(
        SAMVERKAN_DEMO_MODE=True, SETTINGS_MODULE="samverkan.settings.production"
    ):
        errors = demo_mode_never_in_production()
        assert [e.id for e in errors] == ["samverkan.E001"]
        assert "samverkan.E001" in {e.id for e in run_checks()}
    with override_settings(SAMVERKAN_DEMO_MODE=True, SETTINGS_MODULE="samverkan.settings.demo"):
        assert demo_mode_never_in_production() == []
    with override_settings(
        SAMVERKAN_DEMO_MODE=False, SETTINGS_MODULE="samverkan.settings.production"
    ):
        assert demo_mode_never_in_production() == []


def _production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SAMVERKAN_", "OIDC_", "DJANGO_")) and k not in ("DATABASE_URL",)
    }
    alphabet = string.ascii_letters + string.digits
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "samverkan.settings.production",
            "SECRET_KEY": "".join(secrets.choice(alphabet) for _ in range(60)),
            "AUDIT_KEYS": "k1:" + base64.b64encode(secrets.token_bytes(32)).decode(),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
            "ALLOWED_HOSTS": "x",
            "SAMVERKAN_HOME": str(tmp_path),
        }
    )
    env.update(extra)
    return env


def _check(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "samverkan", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.slow
def test_production_refuses_to_start_in_demo_mode(tmp_path):
    result = _check(_production_env(tmp_path, SAMVERKAN_DEMO_MODE="1"))
    assert result.returncode != 0
    assert "samverkan.E001" in result.stdout + result.stderr


@pytest.mark.slow
def test_production_check_passes_without_demo_mode(tmp_path):
    result = _check(_production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "samverkan.E001" not in result.stdout + result.stderr
