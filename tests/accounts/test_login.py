"""Password login, disabled accounts, hashing, validators, set-password links, audit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.db import IntegrityError, transaction
from django.test import Client, override_settings

from samverkan.accounts.models import Role, User
from samverkan.settings import base as base_settings
from tests.accounts.conftest import events, fresh_code, is_logged_in, login_client
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/konto/logga-in/"


def _post_login(client: Client, username: str, password: str, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def _password_link(admin_client: Client, user) -> str:
    """The set-password link the admin screen shows after issuing one (path only)."""
    response = admin_client.post(f"/konto/anvandare/{user.pk}/losenordslank/")
    assert response.status_code == 302
    page = admin_client.get(f"/konto/anvandare/{user.pk}/")
    link = page.context["password_link"]
    assert link.startswith("http://testserver/konto/valj-losenord/")
    return link.removeprefix("http://testserver")


def _open_link(client: Client, link: str) -> str:
    """Follow a set-password link as a browser does: the token moves into the session and
    the form lives at a URL without it. Returns that URL."""
    response = client.get(link)
    assert response.status_code == 302
    form_url = response["Location"]
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert token not in form_url and form_url.endswith("/valj/")
    return form_url


# --- Roles and organisations ------------------------------------------------------


def test_every_user_has_exactly_one_organisation(user_factory):
    user = user_factory()
    assert user.organisation_id is not None
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="no-org", email="x@test.invalid")


def test_roles_are_data_changing_a_role_row_changes_access(user_factory, client):
    user = user_factory(roles=["caseworker"])
    login_client(client, user)
    assert client.get("/konto/anvandare/").status_code == 403
    from samverkan.access.permissions import Permission

    role = Role.objects.get(code="caseworker")
    role.permissions = [*role.permissions, Permission.ORG_USERS_MANAGE.value]
    role.save()
    assert client.get("/konto/anvandare/").status_code == 200
    # And taking it away again closes the page.
    role.permissions = [p for p in role.permissions if p != Permission.ORG_USERS_MANAGE.value]
    role.save()
    assert client.get("/konto/anvandare/").status_code == 403


def test_all_shipped_roles_are_seeded():
    from samverkan.access.roles import DEFAULT_PERMISSIONS

    codes = set(Role.objects.values_list("code", flat=True))
    assert {c.value for c in DEFAULT_PERMISSIONS} <= codes
    # Each role's permissions are real Permission values.
    from samverkan.access.permissions import Permission

    for role in Role.objects.all():
        for permission in role.permissions:
            Permission(permission)


# --- Hashing and validators ------------------------------------------------------


def test_argon2_is_the_password_hasher_outside_tests():
    assert base_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_argon2_hash_is_stored_and_login_works(client, user_factory):
    with override_settings(PASSWORD_HASHERS=base_settings.PASSWORD_HASHERS):
        user = user_factory(password="argon-horse-battery-1")
        user.refresh_from_db()
        assert identify_hasher(user.password).algorithm == "argon2"
        response = _post_login(client, user.username, "argon-horse-battery-1")
        assert response.status_code == 302


def test_validators_include_common_password_and_length():
    names = [v["NAME"].rsplit(".", 1)[1] for v in base_settings.AUTH_PASSWORD_VALIDATORS]
    assert "CommonPasswordValidator" in names
    assert "MinimumLengthValidator" in names


# --- Login and audit -----------------------------------------------------------------


def test_login_then_verify_reaches_home_and_is_audited(client, user_factory):
    user = user_factory(roles=["caseworker"])
    response = _post_login(client, user.username, PASSWORD)
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/tvastegsverifiering/")
    login_event = events("auth.login").last()
    assert login_event.actor_id == user.pk
    assert login_event.subject_id == str(user.pk)
    assert login_event.subject_organisation_id == user.organisation_id
    client.post("/konto/tvastegsverifiering/", {"token": fresh_code(user)})
    assert client.get("/").status_code == 200
    assert events("2fa.verified", actor_id=user.pk).count() == 1


def test_wrong_password_is_refused_and_audited_by_id_only(client, user_factory):
    user = user_factory()
    response = _post_login(client, user.username, "wrong-password-123")
    assert response.status_code == 200
    assert "Wrong username or password." in response.content.decode()
    assert "_auth_user_id" not in client.session
    event = events("auth.login_failed").last()
    assert event.subject_id == str(user.pk)
    assert event.subject_organisation_id == user.organisation_id
    assert event.actor_id is None
    for personal in (user.username, user.first_name, user.last_name, user.email):
        assert personal not in event.detail


def test_unknown_username_is_audited_without_subject(client):
    response = _post_login(client, "nobody-here", "whatever-password-1")
    assert response.status_code == 200
    event = events("auth.login_failed").last()
    assert event.subject_id == ""
    assert "nobody-here" not in event.detail


def test_open_redirect_in_next_is_ignored(client, user_factory):
    user = user_factory()
    response = client.post(
        LOGIN, {"username": user.username, "password": PASSWORD, "next": "https://evil.example/x"}
    )
    assert "evil.example" not in response["Location"]
    response = client.post(
        "/konto/tvastegsverifiering/?next=https://evil.example/", {"token": fresh_code(user)}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_safe_next_is_followed(client, user_factory):
    user = user_factory()
    response = client.post(
        LOGIN, {"username": user.username, "password": PASSWORD, "next": "/konto/mitt-konto/"}
    )
    response = client.post(response["Location"], {"token": fresh_code(user)})
    assert response["Location"] == "/konto/mitt-konto/"


def test_logout_is_post_only_ends_session_and_is_audited(client, user_factory):
    user = user_factory()
    login_client(client, user)
    assert client.get("/konto/logga-ut/").status_code == 405
    assert is_logged_in(client)
    response = client.post("/konto/logga-ut/")
    assert response.status_code == 302
    assert not is_logged_in(client)
    assert events("auth.logout", actor_id=user.pk).count() == 1


# --- Disabled accounts -----------------------------------------------------------------


def test_disabled_user_cannot_log_in_and_is_told_so(client, user_factory):
    user = user_factory(is_active=False)
    response = _post_login(client, user.username, PASSWORD)
    assert response.status_code == 200
    assert "This account is disabled." in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get("/").status_code == 302
    assert events("auth.login_failed", subject_id=str(user.pk)).exists()
    assert not events("auth.login", subject_id=str(user.pk)).exists()


def test_disabled_message_needs_the_right_password(client, user_factory):
    """Without the password, a disabled account looks like any wrong login."""
    user = user_factory(is_active=False)
    response = _post_login(client, user.username, "not-the-password-1")
    content = response.content.decode()
    assert "disabled" not in content
    assert "Wrong username or password." in content


def test_session_of_disabled_user_stops_on_next_request(client, user_factory):
    user = user_factory(roles=["caseworker"])
    login_client(client, user)
    assert client.get("/").status_code == 200
    User.objects.filter(pk=user.pk).update(is_active=False)  # even without the service
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert "_auth_user_id" not in client.session
    # Re-enabling the account does not revive the old session.
    User.objects.filter(pk=user.pk).update(is_active=True)
    assert client.get("/").status_code == 302


# --- Set-password link -------------------------------------------------------------------


def test_password_link_works_once(client_for, user_factory):
    admin = user_factory(roles=["org_admin"])
    user = user_factory(organisation=admin.organisation)
    admin_client = client_for(admin)
    from tests.accounts.conftest import reauthenticate

    reauthenticate(admin_client, admin)
    link = _password_link(admin_client, user)
    assert events("user.password_set_by_admin", subject_id=str(user.pk)).last().actor_id == admin.pk

    person = Client()
    form_url = _open_link(person, link)
    assert person.get(form_url).status_code == 200
    new_password = "Kvarnholmen-Sparvagn-47"
    response = person.post(form_url, {"new_password1": new_password, "new_password2": new_password})
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert events("user.password_changed", subject_id=str(user.pk)).last().actor_id == user.pk
    # The link is spent: in this session, in a fresh one, and posted to directly.
    assert person.get(form_url).status_code == 404
    assert person.get(link).status_code == 404
    assert Client().get(link).status_code == 404
    again = person.post(
        link, {"new_password1": "Other-Long-Pass-98", "new_password2": "Other-Long-Pass-98"}
    )
    assert again.status_code == 404
    user.refresh_from_db()
    assert user.check_password(new_password)
    # And the new password logs in.
    login_client(Client(), user, password=new_password)


def test_common_password_is_refused_with_clear_error(client_for, user_factory):
    admin = user_factory(roles=["org_admin"])
    user = user_factory(organisation=admin.organisation)
    admin_client = client_for(admin)
    from tests.accounts.conftest import reauthenticate

    reauthenticate(admin_client, admin)
    link = _password_link(admin_client, user)
    person = Client()
    form_url = _open_link(person, link)
    response = person.post(
        form_url,
        {"new_password1": "qwertyuiop123", "new_password2": "qwertyuiop123"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    codes = [e.code for e in response.context["form"].errors.as_data()["new_password2"]]
    assert codes == ["password_too_common"]
    assert "This password is too common." in response.content.decode()
    short = person.post(
        form_url, {"new_password1": "Kort-1", "new_password2": "Kort-1"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "This password is too short." in short.content.decode()
    user.refresh_from_db()
    assert not user.check_password("qwertyuiop123")
    # The link still works after a refused attempt.
    assert person.get(form_url).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/konto/valj-losenord/MQ/bad-token/",
        "/konto/valj-losenord/not-base64!/x-y/",
        "/konto/valj-losenord/OTk5OTk5/abc-def/",
    ],
)
def test_invalid_password_link_is_404(client, user_factory, path):
    user_factory()
    response = client.get(path)
    assert response.status_code == 404
    assert "The link does not work" in response.content.decode()


def test_password_link_of_disabled_user_is_404(client_for, user_factory):
    admin = user_factory(roles=["org_admin"])
    user = user_factory(organisation=admin.organisation)
    admin_client = client_for(admin)
    from tests.accounts.conftest import reauthenticate

    reauthenticate(admin_client, admin)
    link = _password_link(admin_client, user)
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert Client().get(link).status_code == 404


def test_new_password_ends_other_sessions(client_for, user_factory):
    admin = user_factory(roles=["org_admin"])
    user = user_factory(organisation=admin.organisation)
    user_client = client_for(user)
    admin_client = client_for(admin)
    from tests.accounts.conftest import reauthenticate

    reauthenticate(admin_client, admin)
    link = _password_link(admin_client, user)
    pw = "Langholmen-Kanot-2024x"
    person = Client()
    person.post(_open_link(person, link), {"new_password1": pw, "new_password2": pw})
    assert not is_logged_in(user_client)


def _new_user_link(client_for, user_factory, **user_kwargs):
    admin = user_factory(roles=["org_admin"])
    user = user_factory(organisation=admin.organisation, **user_kwargs)
    admin_client = client_for(admin)
    from tests.accounts.conftest import reauthenticate

    reauthenticate(admin_client, admin)
    return user, _password_link(admin_client, user)


def test_opening_the_link_moves_the_token_into_the_session(client_for, user_factory):
    """Django's pattern: after the first request the token is in no URL, so it reaches
    no later access-log line, history entry or Referer."""
    _user, link = _new_user_link(client_for, user_factory)
    token = link.rstrip("/").rsplit("/", 1)[1]
    person = Client()
    form_url = _open_link(person, link)
    page = person.get(form_url)
    assert page.status_code == 200
    assert token not in page.content.decode()
    # The token-free URL means nothing without the session that opened the link.
    stranger = Client().get(form_url)
    assert stranger.status_code == 404
    assert "The link does not work" in stranger.content.decode()


def test_a_link_opened_in_two_sessions_sets_one_password(client_for, user_factory):
    """Whoever read the link (e.g. in a log) and opened it first loses it the moment the
    person sets their password: the token hashes the password."""
    user, link = _new_user_link(client_for, user_factory)
    reader, person = Client(), Client()
    reader_url = _open_link(reader, link)
    person_url = _open_link(person, link)
    pw = "Skeppsholmen-Farja-731"
    assert person.post(person_url, {"new_password1": pw, "new_password2": pw}).status_code == 302
    stolen = "Reader-Chose-This-1234"
    refused = reader.post(reader_url, {"new_password1": stolen, "new_password2": stolen})
    assert refused.status_code == 404
    user.refresh_from_db()
    assert user.check_password(pw) and not user.check_password(stolen)


def test_a_used_link_cannot_be_replayed_to_enrol_an_authenticator(client_for, user_factory):
    """The person sets a password with the link, logs in and enrols; replaying the link
    afterwards (even after an administrator reset two-factor) gives nothing to enrol with."""
    user, link = _new_user_link(client_for, user_factory, totp=False)
    person = Client()
    pw = "Reimersholme-Cykel-58"
    person.post(_open_link(person, link), {"new_password1": pw, "new_password2": pw})
    assert _post_login(person, user.username, pw)["Location"].startswith(
        "/konto/tvastegsverifiering/registrera/"
    )
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=user).delete()  # as after a two-factor reset
    attacker = Client()
    assert attacker.get(link).status_code == 404
    stolen = "Attacker-Password-9911"
    assert attacker.post(link, {"new_password1": stolen, "new_password2": stolen}).status_code == 404
    assert _post_login(attacker, user.username, stolen).status_code == 200  # refused
    assert not is_logged_in(attacker)


def test_a_link_dies_when_the_person_logs_in(client_for, user_factory):
    user, link = _new_user_link(client_for, user_factory)
    login_client(Client(), user)
    assert Client().get(link).status_code == 404


def test_links_work_24_hours_by_default_and_the_setting_is_honoured(
    client_for, user_factory, monkeypatch
):
    assert base_settings.PASSWORD_RESET_TIMEOUT == 24 * 3600
    from django.contrib.auth.tokens import PasswordResetTokenGenerator

    _user, link = _new_user_link(client_for, user_factory)
    real_now = PasswordResetTokenGenerator._now
    monkeypatch.setattr(
        PasswordResetTokenGenerator, "_now", lambda self: real_now(self) + timedelta(hours=23)
    )
    assert Client().get(link).status_code == 302
    monkeypatch.setattr(
        PasswordResetTokenGenerator, "_now", lambda self: real_now(self) + timedelta(hours=25)
    )
    expired = Client().get(link)
    assert expired.status_code == 404
    assert "The link does not work" in expired.content.decode()
    with override_settings(PASSWORD_RESET_TIMEOUT=48 * 3600):
        assert Client().get(link).status_code == 302


def test_the_admin_is_told_how_long_the_link_works(client_for, user_factory, settings):
    settings.PASSWORD_RESET_TIMEOUT = 6 * 3600
    admin = user_factory(roles=["org_admin"])
    user = user_factory(organisation=admin.organisation)
    admin_client = client_for(admin)
    from tests.accounts.conftest import reauthenticate

    reauthenticate(admin_client, admin)
    admin_client.post(f"/konto/anvandare/{user.pk}/losenordslank/")
    page = admin_client.get(f"/konto/anvandare/{user.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "it works once and for 6 hours" in page
    assert "It works once and for 6 hours." in page


def test_createadmin_prints_the_validity_in_hours(db, settings):
    from io import StringIO

    from django.core.management import call_command

    from tests.factories import OrganisationFactory

    OrganisationFactory(short_code="drift")
    out = StringIO()
    call_command("createadmin", username="forsta", email="forsta@test.invalid",
                 organisation="drift", base_url="https://samverkan.test", stdout=out)
    assert "(valid 24 hours, once)" in out.getvalue()


def test_user_factory_default_is_demo_and_fictitious():
    user = UserFactory()
    assert user.is_demo
    assert user.email.endswith(".invalid")
