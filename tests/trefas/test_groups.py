"""Groups and conflicts (issue 10 §3): the police record them; another organisation sees a
group only through an approved (or no-review) share about it to that organisation, and a
conflict only when it sees both groups; the page's cost does not grow with invisible groups."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from samverkan.audit.models import AuditEvent
from samverkan.trefas.models import Conflict, ConflictStatus, GroupMembership
from samverkan.trefas.selectors.groups import groups_page
from samverkan.trefas.services import groups as services
from tests.conftest import fast_login
from tests.trefas.test_shares import access, decide, propose
from tests.trefas.world import OUTSIDERS, list_person, trefas_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return trefas_world()


def _group(world, name):
    return services.group_create(actor=world.users["police"], access=access(world, "police"), forum=world.forum,
                                 name=name, description="Testgrupp")


def _seen(world, who):
    page = groups_page(actor=world.users[who], access=access(world, who), forum=world.forum)
    return {row.group.name for row in page.groups}, {c.pk for c in page.conflicts}


@pytest.fixture
def networks(world):
    a, b = _group(world, "GRUPP-A"), _group(world, "GRUPP-B")
    member = list_person(world, by="police", first_name="MEDLEM-A")
    services.membership_add(actor=world.users["police"], access=access(world, "police"), group=a, listing=member,
                            since=timezone.localdate() - timedelta(days=100))
    conflict = services.conflict_record(actor=world.users["police"], access=access(world, "police"), group_a=a,
                                        group_b=b, status=ConflictStatus.ACTIVE,
                                        since=timezone.localdate() - timedelta(days=10), note="")
    return a, b, conflict


def test_visibility_matrix(world, networks):
    a, b, conflict = networks
    everyone = ("police", "police_jurist", "soc", "soc_jurist", "probation", "school", "city_coord", "prison")
    # Before any share: the police see both and the conflict; nobody else sees anything.
    for who in everyone:
        expected = ({"GRUPP-A", "GRUPP-B"}, {conflict.pk}) if who.startswith("police") else (set(), set())
        assert _seen(world, who) == expected, who
    # A proposed share about A to social services shows nothing yet.
    share_a = propose(world, group=a, to=("soc",))
    assert _seen(world, "soc") == (set(), set())
    decide(world, share_a)
    assert _seen(world, "soc") == ({"GRUPP-A"}, set())  # one group: no conflict shown
    assert _seen(world, "soc_jurist") == ({"GRUPP-A"}, set())
    for who in ("probation", "school", "city_coord", "prison"):
        assert _seen(world, who) == (set(), set()), who
    # A refused share about B changes nothing; an approved one shows B and the conflict.
    refused = propose(world, group=b, to=("soc",))
    decide(world, refused, approve=False, reason="Nej (test)")
    assert _seen(world, "soc") == ({"GRUPP-A"}, set())
    decide(world, propose(world, group=b, to=("soc",)))
    assert _seen(world, "soc") == ({"GRUPP-A", "GRUPP-B"}, {conflict.pk})
    # A share withdrawn hides the group again.
    share_a.refresh_from_db()
    from samverkan.trefas.services.shares import share_withdraw

    share_withdraw(actor=world.users["police"], access=access(world, "police"), share=share_a,
                   version=share_a.version)
    assert _seen(world, "soc") == ({"GRUPP-B"}, set())


def test_the_page(world, networks):
    _a, _b, _conflict = networks
    url = reverse("trefas:groups", args=[world.forum.pk])
    police = fast_login(world.users["police"]).get(url)
    assert police.status_code == 200
    body = police.content.decode()
    assert "GRUPP-A" in body and "GRUPP-B" in body and "MEDLEM-A" in body and "govuk-tag--red" in body
    assert "<table" in body  # the relation as a table, no drawing only
    school = fast_login(world.users["school"]).get(url)
    assert school.status_code == 200
    assert "GRUPP-A" not in school.content.decode() and "MEDLEM-A" not in school.content.decode()
    for who in OUTSIDERS:
        assert fast_login(world.users[who]).get(url).status_code == 404, who
    assert AuditEvent.objects.filter(action="trefas.groups_viewed", actor_id=world.users["police"].pk).exists()


def test_only_the_owning_police_manage(world, networks):
    a, _b, conflict = networks
    for who in ("soc", "police_jurist", "school"):
        with pytest.raises(PermissionDenied):
            services.group_create(actor=world.users[who], access=access(world, who), forum=world.forum, name="X")
    decide(world, propose(world, group=a, to=("soc",)))  # soc sees A, may not change it
    with pytest.raises(PermissionDenied):
        services.membership_add(actor=world.users["soc"], access=access(world, "soc"), group=a,
                                listing=list_person(world), since=timezone.localdate())
    response = fast_login(world.users["soc"]).post(
        reverse("trefas:group_member_add", args=[world.forum.pk, a.pk]),
        {"listing": world.listings[0].pk, "since": "2025-01-01"})
    assert response.status_code == 403
    response = fast_login(world.users["school"]).post(
        reverse("trefas:conflict_status", args=[world.forum.pk, conflict.pk]),
        {"status": "dormant", "since": "2025-01-01", "version": conflict.version})
    assert response.status_code in (403, 404)
    conflict.refresh_from_db()
    assert conflict.status == ConflictStatus.ACTIVE


def test_police_change_through_the_pages(world, networks):
    _a, b, _conflict = networks
    client = fast_login(world.users["police"])
    base = [world.forum.pk]
    assert client.post(reverse("trefas:group_new", args=base), {"name": "GRUPP-C", "description": ""}).status_code == 302
    bad = client.post(reverse("trefas:group_new", args=base), {"name": "", "description": "BEHÅLL-MIG"})
    assert bad.status_code == 400 and "BEHÅLL-MIG" in bad.content.decode()
    person = list_person(world, by="soc")
    assert client.post(reverse("trefas:group_member_add", args=[world.forum.pk, b.pk]),
                       {"listing": person.pk, "since": "2025-01-01"}).status_code == 302
    membership = GroupMembership.objects.get(group=b, listing=person)
    assert client.post(reverse("trefas:group_member_end", args=[world.forum.pk, membership.pk]),
                       {"until": "2025-06-01", "confirmed": "1"}).status_code == 302
    membership.refresh_from_db()
    assert str(membership.until) == "2025-06-01"
    assert AuditEvent.objects.filter(action="trefas.group_changed").count() >= 5


def test_ending_a_membership_asks_first_then_ends_it(world, networks):
    _a, b, _conflict = networks
    person = list_person(world, by="soc")
    services.membership_add(actor=world.users["police"], access=access(world, "police"), group=b, listing=person,
                            since=timezone.localdate() - timedelta(days=30), until=None)
    membership = GroupMembership.objects.get(group=b, listing=person)
    url = reverse("trefas:group_member_end", args=[world.forum.pk, membership.pk])
    until = timezone.localdate().isoformat()
    client = fast_login(world.users["police"])
    before = AuditEvent.objects.filter(action="trefas.group_changed").count()
    first = client.post(url, {"until": until})
    assert first.status_code == 200
    body = first.content.decode()
    assert f"End the membership of {person.person.full_name} in {b.name}?" in body
    assert f"until {until}" in body and "An ended membership cannot be reopened" in body
    assert "Yes, end the membership" in body and "govuk-button--warning" in body
    assert f'type="hidden" name="until" value="{until}"' in body
    assert 'type="hidden" name="confirmed" value="1"' in body
    groups_url = reverse("trefas:groups", args=[world.forum.pk])
    assert f'href="{groups_url}"' in body  # Cancel: back to the groups
    membership.refresh_from_db()
    assert membership.until is None
    assert AuditEvent.objects.filter(action="trefas.group_changed").count() == before
    # Showing the person's name is a read of the person, audited as one.
    read = AuditEvent.objects.filter(action="trefas.person_viewed", subject_type="trefas_listing",
                                     subject_id=str(person.pk)).latest("seq")
    assert read.actor_id == world.users["police"].pk and json.loads(read.detail)["membership"] == membership.pk
    # Going back: the groups page still offers to end the membership.
    assert f'action="{url}"' in client.get(groups_url).content.decode()

    assert client.post(url, {"until": until, "confirmed": "1"}).status_code == 302
    membership.refresh_from_db()
    assert membership.until == timezone.localdate()
    assert AuditEvent.objects.filter(action="trefas.group_changed").count() == before + 1


def test_an_end_before_the_start_is_an_error_not_a_confirmation(world, networks):
    _a, b, _conflict = networks
    person = list_person(world, by="soc")
    services.membership_add(actor=world.users["police"], access=access(world, "police"), group=b, listing=person,
                            since=timezone.localdate(), until=None)
    membership = GroupMembership.objects.get(group=b, listing=person)
    url = reverse("trefas:group_member_end", args=[world.forum.pk, membership.pk])
    response = fast_login(world.users["police"]).post(url, {"until": "2020-01-01"})
    assert response.status_code == 400 and "The end date is before the start date." in response.content.decode()
    membership.refresh_from_db()
    assert membership.until is None


def test_conflict_status_with_optimistic_locking(world, networks):
    _a, _b, conflict = networks
    client = fast_login(world.users["police"])
    url = reverse("trefas:conflict_status", args=[world.forum.pk, conflict.pk])
    assert client.post(url, {"status": "dormant", "since": "2025-03-01", "note": "",
                             "version": conflict.version}).status_code == 302
    stale = client.post(url, {"status": "active", "since": "2025-04-01", "note": "MIN-ANTECKNING",
                              "version": conflict.version})
    assert stale.status_code == 409
    assert "MIN-ANTECKNING" in stale.content.decode()
    conflict.refresh_from_db()
    assert conflict.status == ConflictStatus.DORMANT and conflict.version == 2


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("who", ["soc", "police"])
def test_page_cost_does_not_grow_with_invisible_groups(world, who):
    from samverkan.trefas.models import Group

    seen = _group(world, "SYNLIG")
    decide(world, propose(world, group=seen, to=("soc",)))
    url = reverse("trefas:groups", args=[world.forum.pk])
    client = fast_login(world.users[who])
    # Groups of another police organisation the viewer cannot see (written directly).
    other_org = world.orgs["prison"]

    def hidden():
        Group.objects.create(forum=world.forum, owner_organisation=other_org, name="OSYNLIG",
                             created_by=world.users["prison"])

    hidden()
    small = _count(client, url)
    for _i in range(19):
        hidden()
    assert _count(client, url) == small
    assert "OSYNLIG" not in client.get(url).content.decode()
    assert Conflict.objects.count() == 0
