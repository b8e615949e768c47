"""Organisation administration of staff accounts, with personas from five organisations.

An organisation admin manages only their own organisation's users (others: 404), cannot
grant system roles, cannot disable themself and cannot touch a system administrator;
a system admin manages everyone; a caseworker gets 403. Every change is audited by id."""

from __future__ import annotations

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from samverkan.accounts.models import Role, User
from tests.accounts.conftest import events, is_logged_in, reauthenticate
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

USERS = "/konto/anvandare/"


def role_ids(*codes: str) -> list[int]:
    return list(Role.objects.filter(code__in=codes).values_list("pk", flat=True))


def detail_data(user: User, *, roles: list[str], version: int | None = None, **changes) -> dict:
    data = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "roles": role_ids(*roles),
        "version": user.version if version is None else version,
    }
    data.update(changes)
    return data


def assert_no_personal_data(event, *users: User) -> None:
    text = " ".join([event.detail, event.subject_id, event.purpose])
    for user in users:
        for value in (user.username, user.first_name, user.last_name, user.email):
            assert value not in text


@pytest.fixture
def personas(five_orgs):
    """In each of five organisations: an org admin, a caseworker and a coordinator."""
    people = {}
    for org in five_orgs:
        people[org.short_code] = {
            "org": org,
            "admin": UserFactory(organisation=org, roles=["org_admin"]),
            "caseworker": UserFactory(organisation=org, roles=["caseworker"]),
            "coordinator": UserFactory(organisation=org, roles=["coordinator"]),
        }
    return people


# --- Scope: own organisation only -----------------------------------------------------------


def test_each_org_admin_sees_only_own_organisation(personas, client_for):
    assert len(personas) >= 5
    for code, mine in personas.items():
        admin_client = client_for(mine["admin"])
        response = admin_client.get(USERS)
        assert response.status_code == 200
        listed = {u.pk for u in response.context["users"]}
        expected = set(User.objects.filter(organisation=mine["org"]).values_list("pk", flat=True))
        assert listed == expected, code
        content = response.content.decode()
        for other_code, theirs in personas.items():
            if other_code == code:
                continue
            assert f">{theirs['caseworker'].username}</a>" not in content
            assert theirs["org"].name not in content
            # Filtering by another organisation's id shows nothing of theirs.
            filtered = admin_client.get(f"{USERS}?organisation={theirs['org'].pk}")
            assert not list(filtered.context["users"])


def test_org_admin_gets_404_for_every_other_organisations_user(personas, client_for):
    orgs = list(personas)
    for i, code in enumerate(orgs):
        admin = personas[code]["admin"]
        admin_client = client_for(admin)
        reauthenticate(admin_client, admin)
        target = personas[orgs[(i + 1) % len(orgs)]]["caseworker"]
        before = User.objects.get(pk=target.pk)
        base = f"{USERS}{target.pk}/"
        assert admin_client.get(base).status_code == 404
        posts = {
            base: detail_data(target, roles=["org_admin"]),
            f"{base}aktiv/": {"active": "0"},
            f"{base}nollstall-tvasteg/": {},
            f"{base}losenordslank/": {},
        }
        for url, data in posts.items():
            assert admin_client.post(url, data).status_code == 404, url
        after = User.objects.get(pk=target.pk)
        assert after.is_active
        assert after.version == before.version
        assert after.session_generation == before.session_generation
        assert set(after.role_codes()) == {"caseworker"}
        assert TOTPDevice.objects.filter(user=target).exists()
    # Same answer as for an id that does not exist at all.
    admin_client = client_for(personas[orgs[0]]["admin"])
    assert admin_client.get(f"{USERS}999999/").status_code == 404


def test_org_admin_creates_users_only_in_own_organisation(personas, client_for):
    codes = list(personas)
    mine = personas[codes[0]]
    admin_client = client_for(mine["admin"])
    reauthenticate(admin_client, mine["admin"])
    # There is no organisation field; a forged one is ignored.
    form = admin_client.get(f"{USERS}ny/").context["form"]
    assert "organisation" not in form.fields
    response = admin_client.post(
        f"{USERS}ny/",
        {
            "username": "ny.handlaggare",
            "first_name": "Ny",
            "last_name": "Handläggare",
            "email": "ny.handlaggare@test.invalid",
            "roles": role_ids("caseworker"),
            "organisation": personas[codes[1]]["org"].pk,
        },
    )
    assert response.status_code == 302
    created = User.objects.get(username="ny.handlaggare")
    assert created.organisation_id == mine["org"].pk
    assert created.role_codes() == ["caseworker"]
    assert not created.has_usable_password()
    event = events("user.created", subject_id=str(created.pk)).get()
    assert event.actor_id == mine["admin"].pk
    assert event.subject_organisation_id == mine["org"].pk
    assert '"roles":["caseworker"]' in event.detail
    assert_no_personal_data(event, created)
    # The set-password link is shown once on the next page.
    page = admin_client.get(response["Location"])
    assert page.context["password_link"]
    assert not admin_client.get(response["Location"]).context["password_link"]


def test_duplicate_username_is_a_form_error(personas, client_for):
    mine = next(iter(personas.values()))
    admin_client = client_for(mine["admin"])
    response = admin_client.post(
        f"{USERS}ny/",
        {
            "username": mine["caseworker"].username,
            "first_name": "A",
            "last_name": "B",
            "email": "dup@test.invalid",
            "roles": role_ids("caseworker"),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["username"]


# --- Roles ---------------------------------------------------------------------------------


@pytest.mark.parametrize("system_role", ["system_admin", "system_auditor"])
def test_org_admin_cannot_grant_system_roles(personas, client_for, system_role):
    mine = next(iter(personas.values()))
    admin_client = client_for(mine["admin"])
    reauthenticate(admin_client, mine["admin"])
    target = mine["caseworker"]
    response = admin_client.post(
        f"{USERS}{target.pk}/", detail_data(target, roles=["caseworker", system_role])
    )
    assert response.status_code in (200, 403)
    if response.status_code == 200:
        assert response.context["form"].errors
    assert set(User.objects.get(pk=target.pk).role_codes()) == {"caseworker"}
    offered = {
        r.code
        for r in admin_client.get(f"{USERS}{target.pk}/").context["form"].fields["roles"].queryset
    }
    assert system_role not in offered
    # Nor on creation.
    response = admin_client.post(
        f"{USERS}ny/",
        {
            "username": "sneaky",
            "first_name": "S",
            "last_name": "N",
            "email": "s@test.invalid",
            "roles": role_ids(system_role),
        },
    )
    assert response.status_code in (200, 403)
    assert not User.objects.filter(username="sneaky").exists()
    assert not events("user.roles_changed").exists()


def test_role_change_is_audited_and_ends_the_users_sessions(personas, client_for):
    mine = next(iter(personas.values()))
    target = mine["caseworker"]
    target_client = client_for(target)
    admin_client = client_for(mine["admin"])
    response = admin_client.post(
        f"{USERS}{target.pk}/", detail_data(target, roles=["coordinator", "manager"])
    )
    assert response.status_code == 302
    assert set(User.objects.get(pk=target.pk).role_codes()) == {"coordinator", "manager"}
    event = events("user.roles_changed", subject_id=str(target.pk)).get()
    assert event.actor_id == mine["admin"].pk
    assert event.actor_organisation_id == mine["org"].pk
    assert event.subject_organisation_id == mine["org"].pk
    assert '"added":["coordinator","manager"]' in event.detail
    assert '"removed":["caseworker"]' in event.detail
    assert_no_personal_data(event, target, mine["admin"])
    assert not is_logged_in(target_client)


def test_saving_without_role_change_keeps_sessions(personas, client_for):
    mine = next(iter(personas.values()))
    target = mine["caseworker"]
    target_client = client_for(target)
    admin_client = client_for(mine["admin"])
    response = admin_client.post(
        f"{USERS}{target.pk}/", detail_data(target, roles=["caseworker"], first_name="Nytt")
    )
    assert response.status_code == 302
    assert not events("user.roles_changed").exists()
    assert events("user.updated", subject_id=str(target.pk)).count() == 1
    assert is_logged_in(target_client)


# --- Optimistic locking ----------------------------------------------------------------------


def test_concurrent_edits_second_save_gets_conflict(personas, client_for, sysadmin):
    mine = next(iter(personas.values()))
    target = mine["coordinator"]
    first = client_for(mine["admin"])
    second = client_for(sysadmin)
    version_seen_by_both = first.get(f"{USERS}{target.pk}/").context["form"].initial["version"]
    assert (
        second.get(f"{USERS}{target.pk}/").context["form"].initial["version"]
        == version_seen_by_both
    )

    r1 = first.post(
        f"{USERS}{target.pk}/",
        detail_data(
            target,
            roles=["coordinator", "manager"],
            version=version_seen_by_both,
            email="first@test.invalid",
        ),
    )
    assert r1.status_code == 302
    r2 = second.post(
        f"{USERS}{target.pk}/",
        detail_data(
            target, roles=["caseworker"], version=version_seen_by_both, email="second@test.invalid"
        ),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert r2.status_code == 409
    assert "Someone else saved this" in r2.content.decode()
    saved = User.objects.get(pk=target.pk)
    assert saved.email == "first@test.invalid"
    assert set(saved.role_codes()) == {"coordinator", "manager"}
    assert saved.version == version_seen_by_both + 1
    assert events("user.updated", subject_id=str(target.pk)).count() == 1
    # The second editor's input is kept with the stored version: a deliberate second save.
    kept = r2.context["form"].data
    assert kept["email"] == "second@test.invalid" and kept["version"] == str(saved.version)
    assert second.post(f"{USERS}{target.pk}/", kept).status_code == 302
    assert User.objects.get(pk=target.pk).email == "second@test.invalid"


# --- Disable / enable -------------------------------------------------------------------------


def test_disable_ends_session_blocks_login_and_is_audited(personas, client_for):
    mine = next(iter(personas.values()))
    target = mine["caseworker"]
    target_client = client_for(target)
    admin_client = client_for(mine["admin"])
    response = admin_client.post(f"{USERS}{target.pk}/aktiv/", {"active": "0", "confirmed": "1"})
    assert response.status_code == 302
    assert not User.objects.get(pk=target.pk).is_active
    assert not is_logged_in(target_client)
    event = events("user.disabled", subject_id=str(target.pk)).get()
    assert (event.actor_id, event.subject_organisation_id) == (mine["admin"].pk, mine["org"].pk)
    assert_no_personal_data(event, target)
    login = Client().post(
        "/konto/logga-in/", {"username": target.username, "password": "pw-correct-horse-9"}
    )
    assert login.status_code == 200

    response = admin_client.post(f"{USERS}{target.pk}/aktiv/", {"active": "1"})
    assert User.objects.get(pk=target.pk).is_active
    assert events("user.enabled", subject_id=str(target.pk)).count() == 1
    # The old session stays dead after re-enabling.
    assert not is_logged_in(target_client)


def test_org_admin_cannot_disable_themself(personas, client_for):
    mine = next(iter(personas.values()))
    admin = mine["admin"]
    admin_client = client_for(admin)
    response = admin_client.post(
        f"{USERS}{admin.pk}/aktiv/", {"active": "0"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 302
    assert User.objects.get(pk=admin.pk).is_active
    page = admin_client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")
    assert "You cannot disable your own account." in page.content.decode()
    assert not events("user.disabled").exists()
    assert is_logged_in(admin_client)


# --- System administrators ---------------------------------------------------------------------


def test_system_admin_sees_and_manages_every_organisation(personas, client_for, sysadmin):
    admin_client = client_for(sysadmin)
    listed = {u.pk for u in admin_client.get(USERS).context["users"]}
    for mine in personas.values():
        assert {mine["admin"].pk, mine["caseworker"].pk, mine["coordinator"].pk} <= listed
    reauthenticate(admin_client, sysadmin)
    form = admin_client.get(f"{USERS}ny/").context["form"]
    assert "organisation" in form.fields
    for i, mine in enumerate(personas.values()):
        response = admin_client.post(
            f"{USERS}ny/",
            {
                "username": f"skapad{i}",
                "first_name": "Skapad",
                "last_name": f"Nr{i}",
                "email": f"skapad{i}@test.invalid",
                "organisation": mine["org"].pk,
                "roles": role_ids("caseworker"),
            },
        )
        assert response.status_code == 302, response.content[:300]
        assert User.objects.get(username=f"skapad{i}").organisation_id == mine["org"].pk
        target = mine["coordinator"]
        assert (
            admin_client.post(
                f"{USERS}{target.pk}/aktiv/", {"active": "0", "confirmed": "1"}
            ).status_code
            == 302
        )
        assert not User.objects.get(pk=target.pk).is_active
    # A system admin may grant system roles.
    target = next(iter(personas.values()))["caseworker"]
    response = admin_client.post(
        f"{USERS}{target.pk}/", detail_data(target, roles=["system_auditor"])
    )
    assert response.status_code == 302
    assert User.objects.get(pk=target.pk).role_codes() == ["system_auditor"]


def test_org_admin_cannot_take_over_a_system_admin_of_their_organisation(personas, client_for):
    mine = next(iter(personas.values()))
    sysadmin = UserFactory(organisation=mine["org"], roles=["system_admin"])
    admin_client = client_for(mine["admin"])
    reauthenticate(admin_client, mine["admin"])
    base = f"{USERS}{sysadmin.pk}/"
    assert admin_client.post(f"{base}aktiv/", {"active": "0"}).status_code == 403
    assert admin_client.post(f"{base}nollstall-tvasteg/").status_code == 403
    assert admin_client.post(f"{base}losenordslank/").status_code == 403
    response = admin_client.post(base, detail_data(sysadmin, roles=["caseworker"]))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    fresh = User.objects.get(pk=sysadmin.pk)
    assert fresh.is_active
    assert fresh.role_codes() == ["system_admin"]
    assert TOTPDevice.objects.filter(user=sysadmin).exists()


# --- Too weak a role -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["caseworker", "coordinator", "manager", "log_reviewer", "dpo"])
def test_roles_without_user_management_get_403(personas, client_for, role):
    mine = next(iter(personas.values()))
    person = UserFactory(organisation=mine["org"], roles=[role])
    person_client = client_for(person)
    target = mine["coordinator"]
    assert person_client.get(USERS).status_code == 403
    assert person_client.get(f"{USERS}ny/").status_code == 403
    assert person_client.get(f"{USERS}{target.pk}/").status_code == 403
    assert person_client.post(f"{USERS}{target.pk}/aktiv/", {"active": "0"}).status_code == 403
    assert person_client.post(f"{USERS}{target.pk}/nollstall-tvasteg/").status_code == 403
    assert User.objects.get(pk=target.pk).is_active


def test_anonymous_is_sent_to_login(personas):
    target = next(iter(personas.values()))["caseworker"]
    client = Client()
    for url in (USERS, f"{USERS}{target.pk}/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/konto/logga-in/")
    response = client.post(f"{USERS}{target.pk}/aktiv/", {"active": "0"})
    assert response.status_code == 302
    assert User.objects.get(pk=target.pk).is_active


def test_disabling_asks_first_then_disables(personas, client_for):
    mine = next(iter(personas.values()))
    target = mine["caseworker"]
    target_client = client_for(target)
    admin_client = client_for(mine["admin"])
    first = admin_client.post(f"{USERS}{target.pk}/aktiv/", {"active": "0"})
    assert first.status_code == 200
    body = first.content.decode()
    name = target.get_full_name() or target.username
    assert f"Disable the account of {name}?" in body
    assert "is logged out everywhere at once and can no longer log in" in body
    assert "Sessions ended now cannot be restored" in body and "Yes, disable the account" in body
    assert 'type="hidden" name="active" value="0"' in body
    assert User.objects.get(pk=target.pk).is_active and is_logged_in(target_client)
    assert not events("user.disabled").exists()

    response = admin_client.post(f"{USERS}{target.pk}/aktiv/", {"active": "0", "confirmed": "1"})
    assert response.status_code == 302
    assert not User.objects.get(pk=target.pk).is_active
    assert events("user.disabled", subject_id=str(target.pk)).count() == 1
    # Enabling again needs no confirmation.
    assert admin_client.post(f"{USERS}{target.pk}/aktiv/", {"active": "1"}).status_code == 302
    assert User.objects.get(pk=target.pk).is_active


def test_no_disable_confirmation_for_ones_own_account_or_outside_ones_rights(personas, client_for):
    mine = next(iter(personas.values()))
    admin_client = client_for(mine["admin"])
    own = admin_client.post(f"{USERS}{mine['admin'].pk}/aktiv/", {"active": "0"})
    assert own.status_code == 302  # refused at once, with the reason on the page it goes back to
    sysadmin = UserFactory(organisation=mine["org"], roles=["system_admin"])
    assert admin_client.post(f"{USERS}{sysadmin.pk}/aktiv/", {"active": "0"}).status_code == 403
    assert not events("user.disabled").exists()


def test_resetting_two_factor_asks_first_then_resets(personas, client_for):
    mine = next(iter(personas.values()))
    target = mine["caseworker"]
    admin_client = client_for(mine["admin"])
    reauthenticate(admin_client, mine["admin"])
    url = f"{USERS}{target.pk}/nollstall-tvasteg/"
    first = admin_client.post(url)
    assert first.status_code == 200
    body = first.content.decode()
    assert "Reset the two-factor login of" in body
    assert "The old authenticator and recovery codes cannot be restored." in body
    assert TOTPDevice.objects.filter(user=target).exists()
    assert not events("2fa.reset_by_admin").exists()

    assert admin_client.post(url, {"confirmed": "1"}).status_code == 302
    assert not TOTPDevice.objects.filter(user=target).exists()
    assert events("2fa.reset_by_admin").count() == 1
