"""Forum administration: system administrators set up forums, member organisations and
named members (with clear refusals), optimistic locking, audit; nobody else gets in,
and the pages show the set-up only — never the list or anyone it names."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from samverkan.audit.models import AuditEvent
from samverkan.directory.models import District
from samverkan.trefas.models import Forum, ForumMember, ForumOrganisation, ForumRole, MemberKind
from samverkan.trefas.selectors.forums import forum_access
from samverkan.trefas.services import admin as services
from tests.conftest import fast_login
from tests.factories import UserFactory
from tests.trefas.world import list_person, trefas_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    w = trefas_world()
    w.users["admin"] = UserFactory(organisation=w.orgs["city"], roles=["system_admin"])
    return w


def forum_post(**overrides):
    data = {"name": "Trefas Enskede-Årsta-Vantör", "code": "eav", "cadence_days": "21",
            "release_reminder_weeks": "4, 1", "active": "on"}
    data.update(overrides)
    return data


def test_admin_creates_a_forum_and_it_is_audited(world):
    client = fast_login(world.users["admin"])
    assert client.get(reverse("trefas:admin_forum_new")).status_code == 200
    district = District.objects.first()
    response = client.post(reverse("trefas:admin_forum_new"),
                           forum_post(districts=[district.pk], release_reminder_weeks="1; 4 ,8"))
    forum = Forum.objects.get(code="eav")
    assert response.status_code == 302 and response["Location"] == reverse("trefas:admin_forum", args=[forum.pk])
    assert forum.release_reminder_weeks == [8, 4, 1] and list(forum.districts.all()) == [district]
    event = AuditEvent.objects.filter(action="trefas.forum_created").get()
    assert event.subject_id == str(forum.pk) and event.actor_id == world.users["admin"].pk


@pytest.mark.parametrize(("field", "value"), [
    ("cadence_days", "6"), ("cadence_days", "61"), ("release_reminder_weeks", "0"),
    ("release_reminder_weeks", "13"), ("release_reminder_weeks", "4, 4"), ("release_reminder_weeks", "fyra"),
    ("release_reminder_weeks", ""),
])
def test_bad_settings_get_a_clear_error_and_keep_the_input(world, field, value):
    client = fast_login(world.users["admin"])
    response = client.post(reverse("trefas:admin_forum_new"), forum_post(**{field: value}))
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert response.context["form"]["name"].value() == "Trefas Enskede-Årsta-Vantör"
    assert not Forum.objects.filter(code="eav").exists()


def test_service_validates_reminder_weeks_too(world):
    forum = world.forum
    forum.release_reminder_weeks = [4, 20]
    with pytest.raises(ValidationError):
        services.forum_save(actor=world.users["admin"], forum=forum, districts=[], areas=[],
                            expected_version=forum.version)


def test_a_stale_edit_is_refused_and_keeps_the_input(world):
    client = fast_login(world.users["admin"])
    url = reverse("trefas:admin_forum_edit", args=[world.forum.pk])
    loaded = world.forum.version
    Forum.objects.filter(pk=world.forum.pk).update(version=loaded + 1, name="Changed meanwhile")
    response = client.post(url, forum_post(code=world.forum.code, name="My edit", version=str(loaded)))
    assert response.status_code == 409
    assert Forum.objects.get(pk=world.forum.pk).name == "Changed meanwhile"
    assert response.context["form"]["name"].value() == "My edit"
    # Saving again (the form now carries the stored version) is a deliberate replace.
    again = client.post(url, forum_post(code=world.forum.code, name="My edit", version=str(loaded + 1)))
    assert again.status_code == 302 and Forum.objects.get(pk=world.forum.pk).name == "My edit"
    assert AuditEvent.objects.filter(action="trefas.forum_updated").count() == 1


def test_admin_pages_show_the_set_up_but_never_the_list(world, django_assert_max_num_queries):
    listing = list_person(world, by="police", rating="red", first_name="Hemligsson")
    client = fast_login(world.users["admin"])
    with django_assert_max_num_queries(12):
        page = client.get(reverse("trefas:admin_forums"))
    assert page.status_code == 200 and world.forum.name in page.content.decode()
    detail = client.get(reverse("trefas:admin_forum", args=[world.forum.pk])).content.decode()
    assert world.orgs["police"].name in detail
    assert "Hemligsson" not in detail and listing.person.last_name not in detail
    assert listing.nomination_reason not in detail and "TEST-REF-1" not in detail
    # The administrator is no member: the forum itself stays closed to them.
    assert forum_access(world.users["admin"], world.forum.pk) is None
    assert client.get(reverse("trefas:forum", args=[world.forum.pk])).status_code in (403, 404)


def test_list_query_count_does_not_grow_with_forums(world, django_assert_max_num_queries):
    for i in range(5):
        f = Forum.objects.create(name=f"F{i}", code=f"f-{i}")
        ForumOrganisation.objects.create(forum=f, organisation=world.orgs["soc"], kind=MemberKind.SOCIAL_SERVICES,
                                         joined_on="2025-01-01")
    client = fast_login(world.users["admin"])
    with django_assert_max_num_queries(12):
        assert client.get(reverse("trefas:admin_forums")).status_code == 200


@pytest.mark.parametrize("persona", ["city_coord", "soc", "police_jurist", "sig_coord", "skarholmen", "tax"])
def test_everyone_else_is_refused(world, persona):
    client = fast_login(world.users[persona])
    fid = world.forum.pk
    member = ForumMember.objects.filter(forum=world.forum).first()
    urls = [reverse("trefas:admin_forums"), reverse("trefas:admin_forum_new"),
            reverse("trefas:admin_forum", args=[fid]), reverse("trefas:admin_forum_edit", args=[fid]),
            reverse("trefas:admin_member_new", args=[fid]),
            reverse("trefas:admin_member_deactivate", args=[fid, member.pk])]
    for url in urls:
        assert client.get(url).status_code in (403, 404), url
    assert client.post(reverse("trefas:admin_member_deactivate", args=[fid, member.pk]),
                       {"confirm": "on"}).status_code in (403, 404)
    assert ForumMember.objects.get(pk=member.pk).active


def test_a_missing_forum_is_404_for_the_admin(world):
    client = fast_login(world.users["admin"])
    assert client.get(reverse("trefas:admin_forum", args=[987654])).status_code == 404


def test_member_organisations_with_kind_and_active_flag(world):
    client = fast_login(world.users["admin"])
    sk = world.orgs["skarholmen"]
    url = reverse("trefas:admin_organisation_new", args=[world.forum.pk])
    assert client.post(url, {"organisation": sk.pk, "kind": MemberKind.SOCIAL_SERVICES, "active": "on"}
                       ).status_code == 302
    row = ForumOrganisation.objects.get(forum=world.forum, organisation=sk)
    assert row.kind == MemberKind.SOCIAL_SERVICES and row.active
    # Leaving needs a confirmation; then the organisation's members are out at once.
    school = ForumOrganisation.objects.get(forum=world.forum, organisation=world.orgs["school"])
    edit = reverse("trefas:admin_organisation", args=[world.forum.pk, school.pk])
    refused = client.post(edit, {"kind": MemberKind.SCHOOL})
    assert refused.status_code == 400 and refused.context["form"].errors["confirm"]
    assert ForumOrganisation.objects.get(pk=school.pk).active
    assert client.post(edit, {"kind": MemberKind.SCHOOL, "confirm": "on"}).status_code == 302
    assert not ForumOrganisation.objects.get(pk=school.pk).active
    assert forum_access(world.users["school"], world.forum.pk) is None
    assert AuditEvent.objects.filter(action="trefas.membership_changed").count() == 2


def test_naming_members_checks_organisation_and_roles(world):
    admin = world.users["admin"]
    client = fast_login(admin)
    url = reverse("trefas:admin_member_new", args=[world.forum.pk])
    police_org = world.orgs["police"]
    newcomer = UserFactory(organisation=police_org, roles=["caseworker"])
    assert client.post(url, {"user": newcomer.pk, "role": ForumRole.MEMBER}).status_code == 302
    assert forum_access(newcomer, world.forum.pk) is not None
    # A jurist must hold the jurist role.
    response = client.post(url, {"user": UserFactory(organisation=police_org, roles=["caseworker"]).pk,
                                 "role": ForumRole.JURIST})
    assert response.status_code == 400 and "jurist role" in str(response.context["form"].errors)
    # A member needs a role that lets them see Trefas.
    no_trefas = UserFactory(organisation=police_org, roles=["log_reviewer"])
    with pytest.raises(ValidationError) as exc:
        services.member_save(actor=admin, forum=world.forum, user=no_trefas, role=ForumRole.MEMBER)
    assert "trefas:forum:view" in str(exc.value)
    # Only staff of member organisations (the form does not even offer others).
    outsider = world.users["tax"]
    response = client.post(url, {"user": outsider.pk, "role": ForumRole.MEMBER})
    assert response.status_code == 400
    with pytest.raises(ValidationError):
        services.member_save(actor=admin, forum=world.forum, user=outsider, role=ForumRole.MEMBER)
    assert not ForumMember.objects.filter(user=outsider).exists()


def test_deactivating_a_member_asks_first(world):
    client = fast_login(world.users["admin"])
    member = ForumMember.objects.get(forum=world.forum, user=world.users["police"])
    url = reverse("trefas:admin_member_deactivate", args=[world.forum.pk, member.pk])
    page = client.get(url)
    assert page.status_code == 200 and "confirm" in page.content.decode()
    assert client.post(url, {}).status_code == 400
    assert ForumMember.objects.get(pk=member.pk).active
    assert client.post(url, {"confirm": "on"}).status_code == 302
    assert not ForumMember.objects.get(pk=member.pk).active
    assert forum_access(world.users["police"], world.forum.pk) is None
    event = AuditEvent.objects.filter(action="trefas.membership_changed").get()
    assert '"active":false' in event.detail
