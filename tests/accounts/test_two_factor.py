"""Mandatory TOTP: enrolment with QR code, recovery codes, verification, throttling,
and reset by an organisation administrator."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.conftest import (
    code_of,
    events,
    fresh_code,
    is_logged_in,
    login_client,
    make_reauth_stale,
    reauthenticate,
)
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

VERIFY = "/konto/tvastegsverifiering/"
ENROL = "/konto/tvastegsverifiering/registrera/"


def _password_step(client: Client, user) -> None:
    response = client.post("/konto/logga-in/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302


def _enrol(client: Client, user) -> list[str]:
    """Enrol through the page; returns the recovery codes shown."""
    page = client.get(ENROL)
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(ENROL, {"token": code_of(device)})
    assert response.status_code == 200
    return response.context["codes"]


def _recovery_codes(client: Client, user) -> list[str]:
    """Log in and replace the recovery codes through the account page."""
    reauthenticate(client, user, next_url="/konto/mitt-konto/reservkoder/")
    response = client.post("/konto/mitt-konto/reservkoder/")
    assert response.status_code == 200
    return response.context["codes"]


# --- Second factor is mandatory ---------------------------------------------------------


@pytest.mark.parametrize(
    "role",
    [
        "caseworker",
        "coordinator",
        "manager",
        "log_reviewer",
        "dpo",
        "org_admin",
        "system_admin",
        "system_auditor",
    ],
)
def test_every_role_needs_the_second_factor(client, user_factory, role):
    user = user_factory(roles=[role])
    _password_step(client, user)
    for path in ("/", "/konto/mitt-konto/", "/konto/anvandare/", "/logg/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(VERIFY), path


def test_user_without_authenticator_must_enrol(client, user_factory):
    user = user_factory(roles=["caseworker"], totp=False)
    response = client.post("/konto/logga-in/", {"username": user.username, "password": PASSWORD})
    assert response["Location"].startswith(ENROL)
    home = client.get("/")
    assert home.status_code == 302
    assert home["Location"].startswith(ENROL)
    # The verify page sends them to enrolment too; no code can be "verified" yet.
    assert client.get(VERIFY)["Location"].startswith(ENROL)


# --- Enrolment -------------------------------------------------------------------------


def test_enrolment_shows_svg_qr_and_secret(client, user_factory):
    user = user_factory(totp=False)
    _password_step(client, user)
    page = client.get(ENROL)
    content = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in content
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert "otpauth://" in device.config_url
    assert "issuer=Samverkan" in device.config_url
    # The key to type by hand is shown in groups of four.
    assert page.context["secret"].replace(" ", "")
    # Reloading the page keeps the same pending device (the QR code stays valid).
    client.get(ENROL)
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_enrolment_wrong_code_is_refused_and_audited(client, user_factory):
    user = user_factory(totp=False)
    _password_step(client, user)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    wrong = f"{(int(code_of(device)) + 1) % 1_000_000:06d}"
    response = client.post(ENROL, {"token": wrong})
    assert response.status_code == 200
    assert response.context["form"].errors["token"]
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    failed = events("2fa.failed", subject_id=str(user.pk)).last()
    assert failed is not None
    assert '"stage":"enrol"' in failed.detail
    assert client.get("/").status_code == 302


def test_enrolment_confirms_shows_recovery_codes_once(client, user_factory):
    user = user_factory(roles=["caseworker"], totp=False)
    _password_step(client, user)
    codes = _enrol(client, user)
    assert len(codes) == 10
    assert len(set(codes)) == 10
    assert all(re.fullmatch(r"\d{5}-\d{5}", c) for c in codes)
    assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1
    assert events("2fa.enrolled", subject_id=str(user.pk)).count() == 1
    # Now verified: the home page opens.
    assert client.get("/").status_code == 200
    # The codes are never shown again: not on the account page, not on the enrol page.
    account = client.get("/konto/mitt-konto/").content.decode()
    assert all(c not in account for c in codes)
    assert client.get(ENROL).status_code == 302
    # Ten codes, tied to the user's own recovery device.
    assert StaticToken.objects.filter(device__user=user).count() == 10


# --- Verification -------------------------------------------------------------------------


def test_wrong_code_refused_and_audited(client, user_factory):
    user = user_factory()
    _password_step(client, user)
    device = TOTPDevice.objects.get(user=user)
    wrong = f"{(int(code_of(device)) + 500_000) % 1_000_000:06d}"
    response = client.post(VERIFY, {"token": wrong})
    assert response.status_code == 200
    assert events("2fa.failed", subject_id=str(user.pk)).count() == 1
    assert client.get("/").status_code == 302


def test_repeated_wrong_codes_are_throttled(client, user_factory):
    user = user_factory()
    _password_step(client, user)
    device = TOTPDevice.objects.get(user=user)
    right = code_of(device)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    client.post(VERIFY, {"token": wrong}, HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(VERIFY, {"token": wrong}, HTTP_ACCEPT_LANGUAGE="en")
    device.refresh_from_db()
    assert device.throttling_failure_count >= 1
    # While throttled even the right code is refused, with a clear message.
    response = client.post(VERIFY, {"token": right}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Too many wrong codes" in response.content.decode()
    assert client.get("/").status_code == 302
    assert events("2fa.failed", subject_id=str(user.pk)).count() == 3
    # The delay grows with each failure (factor * 2^(n-1) seconds) but passes.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=device.throttling_failure_timestamp.replace(year=2000)
    )
    response = client.post(VERIFY, {"token": right})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_totp_code_cannot_be_replayed(client, user_factory):
    user = user_factory()
    code = fresh_code(user)
    _password_step(client, user)
    assert client.post(VERIFY, {"token": code}).status_code == 302
    other = Client()
    _password_step(other, user)
    response = other.post(VERIFY, {"token": code})
    assert response.status_code == 200
    assert other.get("/").status_code == 302


def test_recovery_code_works_once(client, user_factory):
    user = user_factory(roles=["caseworker"])
    login_client(client, user)
    codes = _recovery_codes(client, user)
    client.post("/konto/logga-ut/")

    _password_step(client, user)
    response = client.post(VERIFY, {"token": codes[0]})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert events("2fa.recovery_code_used", subject_id=str(user.pk)).count() == 1
    assert StaticToken.objects.filter(device__user=user).count() == 9
    client.post("/konto/logga-ut/")

    _password_step(client, user)
    response = client.post(VERIFY, {"token": codes[0]})
    assert response.status_code == 200
    assert client.get("/").status_code == 302
    assert events("2fa.failed", subject_id=str(user.pk)).count() == 1


def test_recovery_code_accepted_without_hyphen(client, user_factory):
    user = user_factory()
    login_client(client, user)
    codes = _recovery_codes(client, user)
    client.post("/konto/logga-ut/")
    _password_step(client, user)
    response = client.post(VERIFY, {"token": codes[3].replace("-", "")})
    assert response.status_code == 302


def test_regenerating_recovery_codes_needs_reauth_and_voids_old(client, user_factory):
    user = user_factory()
    login_client(client, user)
    first = _recovery_codes(client, user)
    make_reauth_stale(client)
    response = client.post(
        "/konto/mitt-konto/reservkoder/",
        HTTP_REFERER="http://testserver/konto/mitt-konto/reservkoder/",
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/bekrafta/")
    second = _recovery_codes(client, user)
    assert set(first).isdisjoint(second)
    assert events("2fa.recovery_codes_regenerated", subject_id=str(user.pk)).count() == 2
    client.post("/konto/logga-ut/")
    _password_step(client, user)
    assert client.post(VERIFY, {"token": first[0]}).status_code == 200
    # The wrong code throttled the devices for a second; let that second pass.
    StaticDevice.objects.filter(user=user).update(throttling_failure_timestamp=None)
    assert client.post(VERIFY, {"token": second[0]}).status_code == 302


def test_another_users_recovery_code_is_useless(client, user_factory):
    owner = user_factory()
    owner_client = login_client(Client(), owner)
    codes = _recovery_codes(owner_client, owner)
    intruder = user_factory()
    _password_step(client, intruder)
    assert client.post(VERIFY, {"token": codes[0]}).status_code == 200
    assert StaticToken.objects.filter(device__user=owner).count() == 10


# --- Reset by an organisation administrator ---------------------------------------------


def test_admin_reset_requires_reauth_ends_sessions_and_forces_enrolment(client_for, user_factory):
    admin = user_factory(roles=["org_admin"])
    user = user_factory(roles=["caseworker"], organisation=admin.organisation)
    user_client = client_for(user)
    codes = _recovery_codes(user_client, user)
    assert is_logged_in(user_client)

    admin_client = client_for(admin)
    url = f"/konto/anvandare/{user.pk}/nollstall-tvasteg/"
    referer = f"http://testserver/konto/anvandare/{user.pk}/"
    make_reauth_stale(admin_client)
    response = admin_client.post(url, HTTP_REFERER=referer)
    assert response.status_code == 302
    assert response["Location"] == f"/konto/bekrafta/?next=/konto/anvandare/{user.pk}/"
    assert TOTPDevice.objects.filter(user=user).exists()  # nothing happened yet

    # Re-authentication with a wrong code fails and is audited.
    bad = admin_client.post("/konto/bekrafta/", {"password": PASSWORD, "token": "000000"})
    assert bad.status_code == 200
    assert events("auth.reauth_failed", actor_id=admin.pk).count() == 1
    reauthenticate(admin_client, admin, next_url=f"/konto/anvandare/{user.pk}/")
    response = admin_client.post(url, {"confirmed": "1"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticDevice.objects.filter(user=user).exists()
    event = events("2fa.reset_by_admin").last()
    assert (event.actor_id, event.subject_id, event.subject_organisation_id) == (
        admin.pk,
        str(user.pk),
        admin.organisation_id,
    )
    assert user.username not in event.detail

    # The user's session ended; the old recovery codes are gone; they must enrol again.
    assert not is_logged_in(user_client)
    fresh = Client()
    response = fresh.post("/konto/logga-in/", {"username": user.username, "password": PASSWORD})
    assert response["Location"].startswith(ENROL)
    assert fresh.post(VERIFY, {"token": codes[0]})["Location"].startswith(ENROL)
    _enrol(fresh, user)
    assert fresh.get("/").status_code == 200


def test_user_cannot_enrol_a_second_device_while_having_one(client, user_factory):
    user = user_factory()
    login_client(client, user)
    response = client.get(ENROL)
    assert response.status_code == 302
    assert TOTPDevice.objects.filter(user=user).count() == 1


# --- Recovery codes are stored as keyed hashes --------------------------------------------


def test_recovery_codes_are_stored_only_as_keyed_hashes(client, user_factory):
    from samverkan.accounts.services import recovery_code_digests

    user = user_factory()
    login_client(client, user)
    codes = _recovery_codes(client, user)
    stored = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert len(stored) == 10 and all(re.fullmatch(r"[0-9a-f]{16}", t) for t in stored)
    assert stored == {recovery_code_digests(c)[0] for c in codes}
    digits = {c.replace("-", "") for c in codes}
    assert not any(c in t or d in t for t in stored for c in codes for d in digits)


def test_a_recovery_code_survives_a_secret_key_rotation(user_factory, settings):
    from samverkan.accounts import services

    user = user_factory()
    device = StaticDevice.objects.create(user=user, name="recovery")
    services.recovery_codes_store(device=device, codes=["11111-22222", "33333-44444"])
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "rotated-" + "k" * 50, [old_key]
    assert services.second_factor_match(user=user, token="11111 22222") == device
    assert services.second_factor_match(user=user, token="11111-22222") is None  # used up
    settings.SECRET_KEY_FALLBACKS = []  # the old key retired: its codes no longer work
    device.refresh_from_db()
    device.throttle_reset()
    assert services.second_factor_match(user=user, token="33333-44444") is None


def test_migration_hashes_codes_stored_in_clear(user_factory):
    import importlib

    from django.apps import apps

    from samverkan.accounts import services

    migration = importlib.import_module("samverkan.accounts.migrations.0003_hash_recovery_codes")
    user = user_factory()
    device = StaticDevice.objects.create(user=user, name="recovery")
    StaticToken.objects.create(device=device, token="12345-67890")  # as django-otp stored it
    migration.hash_clear_codes(apps, None)
    (stored,) = StaticToken.objects.filter(device=device).values_list("token", flat=True)
    assert stored == services.recovery_code_digests("12345-67890")[0]
    migration.hash_clear_codes(apps, None)  # a digest is never hashed again
    assert StaticToken.objects.get(device=device).token == stored
    assert services.second_factor_match(user=user, token="1234567890") == device
