"""Incident response: the shipped checklist, registering an incident (its checklist per
organisation kind with due times, notices to every member), linking people (a sibling
named only to its organisation; listed people's ratings flagged for review), the
timeline with the time from the incident to each action done, marking one's own items
done with an optimistic lock, the checklist administration, and outsiders' 404."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from samverkan.audit.actions import Action
from samverkan.audit.models import AuditEvent
from samverkan.lib.identity_numbers import make_fictitious, parse
from samverkan.people.models import Person
from samverkan.trefas import reference, retention
from samverkan.trefas.models import (
    ActionItem,
    ActionStatus,
    ChecklistTemplate,
    Incident,
    IncidentKind,
    IncidentLink,
    LinkRole,
    MemberKind,
    Notice,
    NoticeKind,
    Rating,
)
from samverkan.trefas.selectors.forums import forum_access
from samverkan.trefas.selectors.incidents import duration_text
from samverkan.trefas.services.incidents import incident_link, incident_register
from tests.conftest import fast_login
from tests.factories import UserFactory
from tests.trefas.world import MEMBERS, OUTSIDERS, list_person, trefas_world

pytestmark = pytest.mark.django_db

# Per member kind in the shipped checklist: (titles, hours) — one organisation of each
# kind is in the test forum.
SHIPPED_HOURS = {
    MemberKind.POLICE: [4, 12],
    MemberKind.SOCIAL_SERVICES: [24, 48],
    MemberKind.PROBATION: [24],
    MemberKind.PRISON: [24],
    MemberKind.SCHOOL: [48],
    MemberKind.CITY_COORDINATOR: [24],
}


@pytest.fixture
def world():
    w = trefas_world()
    reference.load()
    return w


def _access(world, name):
    return forum_access(world.users[name], world.forum.pk)


def _register(world, name="police", *, hours_ago=2, kind=IncidentKind.SHOOTING):
    return incident_register(
        actor=world.users[name], access=_access(world, name), forum=world.forum, kind=kind,
        occurred_at=timezone.now() - timedelta(hours=hours_ago), place="Rinkebytorget", area=None,
        description="Skottlossning, en skadad.",
    )


def _sibling_identity(age=13, serial=77):
    today = timezone.localdate()
    birth = today.replace(year=today.year - age) - timedelta(days=40)
    return parse(make_fictitious(birth, serial), today=today)


# --- Reference data ------------------------------------------------------------------


def test_the_shipped_checklist_is_created_once_and_keeps_admin_edits():
    assert reference.load() == len(reference.DEFAULT_CHECKLIST) + len(retention.DEFAULTS)  # and retention rules
    template = ChecklistTemplate.objects.get(code="police-weapons-search")
    assert template.deadline_hours == 4
    ChecklistTemplate.objects.filter(pk=template.pk).update(title="Vapensök (lokal rutin)", deadline_hours=3)
    ChecklistTemplate.objects.filter(code="school-sibling-safety").update(active=False)
    assert reference.load() == 0
    template.refresh_from_db()
    assert (template.title, template.deadline_hours) == ("Vapensök (lokal rutin)", 3)
    assert not ChecklistTemplate.objects.get(code="school-sibling-safety").active
    protection = ChecklistTemplate.objects.get(code="social-sibling-protection")
    assert "SoL 2025:400 20 kap. 1 §" in protection.title
    assert protection.deadline_hours == 24


# --- Registering -----------------------------------------------------------------------


def test_the_checklist_is_generated_per_organisation_kind_with_due_times(world):
    ChecklistTemplate.objects.create(code="only-explosions", incident_kind=IncidentKind.EXPLOSION,
                                     member_kind=MemberKind.POLICE, title="Bombskydd", deadline_hours=1)
    ChecklistTemplate.objects.filter(code="city-convene-forum").update(active=False)
    incident = _register(world)
    actions = list(ActionItem.objects.filter(incident=incident))
    by_org: dict[int, list[int]] = {}
    for action in actions:
        assert action.template is not None
        assert action.due_at == incident.registered_at + timedelta(hours=action.template.deadline_hours)
        assert action.status == ActionStatus.OPEN and action.forum_id == world.forum.pk
        by_org.setdefault(action.organisation_id, []).append(action.template.deadline_hours)
    expected = {
        world.orgs["police"].pk: SHIPPED_HOURS[MemberKind.POLICE],
        world.orgs["soc"].pk: SHIPPED_HOURS[MemberKind.SOCIAL_SERVICES],
        world.orgs["probation"].pk: SHIPPED_HOURS[MemberKind.PROBATION],
        world.orgs["prison"].pk: SHIPPED_HOURS[MemberKind.PRISON],
        world.orgs["school"].pk: SHIPPED_HOURS[MemberKind.SCHOOL],
        # the city's item is switched off; the explosion item is not for a shooting
    }
    assert {org: sorted(hours) for org, hours in by_org.items()} == expected
    explosion = _register(world, kind=IncidentKind.EXPLOSION)
    assert ActionItem.objects.filter(incident=explosion, title="Bombskydd").count() == 1


def test_registering_on_the_page_notifies_every_member_and_is_audited(world):
    client = fast_login(world.users["police"])
    when = (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(f"/trefas/{world.forum.pk}/handelser/ny/", {
        "kind": IncidentKind.SHOOTING, "occurred_at": when, "place": "Tensta centrum", "description": "",
    })
    incident = Incident.objects.get(forum=world.forum)
    assert response.status_code == 302
    assert response["Location"] == f"/trefas/{world.forum.pk}/handelser/{incident.pk}/"
    notified = set(Notice.objects.filter(kind=NoticeKind.INCIDENT, incident=incident).values_list("user_id", flat=True))
    assert notified == {world.users[name].pk for name in MEMBERS}
    event = AuditEvent.objects.filter(action=Action.TREFAS_INCIDENT_REGISTERED).get()
    assert event.subject_id == str(incident.pk) and json.loads(event.detail)["actions"] == 8


def test_a_time_in_the_future_is_refused_and_nothing_is_saved(world):
    client = fast_login(world.users["soc"])
    when = (timezone.localtime() + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(f"/trefas/{world.forum.pk}/handelser/ny/", {
        "kind": IncidentKind.THREAT, "occurred_at": when, "place": "Husby", "description": "Hot",
    })
    assert response.status_code == 200
    assert "The time is in the future." in response.content.decode()
    assert 'value="Husby"' in response.content.decode()  # the input is kept
    assert not Incident.objects.exists()


def test_a_jurist_may_not_register_and_outsiders_get_404(world):
    incident = _register(world)
    action = ActionItem.objects.filter(incident=incident).first()
    base = f"/trefas/{world.forum.pk}/handelser/"
    assert fast_login(world.users["soc_jurist"]).get(base + "ny/").status_code == 403
    assert fast_login(world.users["soc_jurist"]).get(f"{base}{incident.pk}/").status_code == 200
    for name in OUTSIDERS:
        client = fast_login(world.users[name])
        for url in (base, base + "ny/", f"{base}{incident.pk}/", f"{base}{incident.pk}/koppla/"):
            assert client.get(url).status_code == 404, (name, url)
        assert client.post(f"{base}{incident.pk}/atgarder/{action.pk}/klar/", {"version": 1}).status_code == 404
    # Another forum's incident id is not found inside this forum either.
    other = trefas_world(personas=("police",))
    assert fast_login(other.users["police"]).get(f"/trefas/{other.forum.pk}/handelser/{incident.pk}/").status_code == 404


# --- Linking people ----------------------------------------------------------------------


def test_a_sibling_not_on_the_list_is_named_only_to_its_organisation(world):
    incident = _register(world)
    client = fast_login(world.users["soc"])
    response = client.post(f"/trefas/{world.forum.pk}/handelser/{incident.pk}/koppla/", {
        "role": LinkRole.RELATIVE, "listing": "", "identity": _sibling_identity().digits,
        "first_name": "Lillebror", "last_name": "Fiktivsson",
    })
    assert response.status_code == 302
    link = IncidentLink.objects.get(incident=incident)
    assert link.person is not None and link.person.organisation_id == world.orgs["soc"].pk
    assert link.listing is None
    page = client.get(f"/trefas/{world.forum.pk}/handelser/{incident.pk}/").content.decode()
    assert "Lillebror Fiktivsson" in page
    for name in ("police", "city_coord", "police_jurist", "school"):
        page = fast_login(world.users[name]).get(f"/trefas/{world.forum.pk}/handelser/{incident.pk}/").content.decode()
        assert "Lillebror" not in page and "Fiktivsson" not in page, name
        assert world.orgs["soc"].name in page, name  # "recorded by <org>"


def test_an_existing_record_of_the_organisation_is_reused(world):
    first, second = _register(world), _register(world, hours_ago=1)
    identity = _sibling_identity(serial=12)
    for incident in (first, second):
        incident_link(actor=world.users["soc"], access=_access(world, "soc"), incident=incident,
                      role=LinkRole.RELATIVE, identity=identity, first_name="Syster", last_name="Fiktiv")
    assert Person.objects.filter(identity_number=identity.digits).count() == 1
    with pytest.raises(Exception, match="already linked"):
        incident_link(actor=world.users["soc"], access=_access(world, "soc"), incident=first,
                      role=LinkRole.RELATIVE, identity=identity, first_name="Syster", last_name="Fiktiv")


def test_linking_a_listed_person_flags_the_rating_for_review(world):
    listing = list_person(world, by="police", rating=Rating.RED, first_name="Listad")
    incident = _register(world)
    assert listing.review_requested_at is None
    response = fast_login(world.users["police"]).post(
        f"/trefas/{world.forum.pk}/handelser/{incident.pk}/koppla/",
        {"role": LinkRole.SUSPECT, "listing": str(listing.pk), "identity": "", "first_name": "", "last_name": ""},
    )
    assert response.status_code == 302
    listing.refresh_from_db()
    assert listing.review_requested_at is not None
    assert listing.review_request_reason == "incident"
    review = AuditEvent.objects.get(action=Action.TREFAS_REVIEW_REQUESTED)
    assert review.subject_id == str(listing.pk) and json.loads(review.detail)["red"] is True
    linked = AuditEvent.objects.get(action=Action.TREFAS_INCIDENT_LINKED)
    assert json.loads(linked.detail)["listing"] == listing.pk
    # Every member sees the listed person on the incident (the list is the common picture).
    page = fast_login(world.users["school"]).get(f"/trefas/{world.forum.pk}/handelser/{incident.pk}/")
    assert listing.person.full_name in page.content.decode()
    viewed = AuditEvent.objects.filter(action=Action.TREFAS_INCIDENT_VIEWED, subject_type="trefas_incident").last()
    detail = json.loads(viewed.detail)
    assert detail["red"] is True and detail["listings"] == [listing.pk]


def test_a_listed_persons_own_record_links_the_listing(world):
    listing = list_person(world, by="soc", rating=Rating.YELLOW)
    incident = _register(world)
    link = incident_link(actor=world.users["soc"], access=_access(world, "soc"), incident=incident,
                         role=LinkRole.VICTIM, identity=parse(listing.person.identity_number),
                         first_name="X", last_name="Y")
    assert link.listing_id == listing.pk and link.person_id is None


def test_the_link_form_needs_one_person_and_keeps_the_input(world):
    incident = _register(world)
    response = fast_login(world.users["soc"]).post(
        f"/trefas/{world.forum.pk}/handelser/{incident.pk}/koppla/",
        {"role": LinkRole.RELATIVE, "listing": "", "identity": "19991332-1234", "first_name": "Kvar",
         "last_name": ""},
    )
    assert response.status_code == 200
    assert 'value="Kvar"' in response.content.decode()
    assert not IncidentLink.objects.exists()


# --- The timeline and marking done ---------------------------------------------------------


def test_duration_text():
    start = timezone.now()
    assert duration_text(start, start + timedelta(hours=3, minutes=25, seconds=59)) == "3:25"
    assert duration_text(start, start + timedelta(hours=27, minutes=5)) == "27:05"
    assert duration_text(start, start - timedelta(minutes=5)) == "0:00"


def test_the_timeline_shows_time_from_incident_to_done_and_overdue_items(world):
    incident = _register(world, hours_ago=6)
    police_items = list(ActionItem.objects.filter(incident=incident, organisation=world.orgs["police"]).order_by("due_at"))
    weapons, arrests = police_items
    ActionItem.objects.filter(pk=weapons.pk).update(
        status=ActionStatus.DONE, done_at=incident.occurred_at + timedelta(hours=3, minutes=25))
    ActionItem.objects.filter(pk=arrests.pk).update(due_at=timezone.now() - timedelta(minutes=1))
    response = fast_login(world.users["school"]).get(f"/trefas/{world.forum.pk}/handelser/{incident.pk}/")
    rows = {t.action.pk: t for t in response.context["page"].actions}
    assert rows[weapons.pk].since_incident == "3:25"
    assert not rows[weapons.pk].overdue
    assert rows[arrests.pk].overdue and rows[arrests.pk].since_incident == ""
    assert "3:25" in response.content.decode()
    assert response.context["page"].open_actions == 7


def test_members_mark_only_their_own_organisations_items_done(world):
    incident = _register(world)
    soc_item = ActionItem.objects.filter(incident=incident, organisation=world.orgs["soc"]).first()
    url = f"/trefas/{world.forum.pk}/handelser/{incident.pk}/atgarder/{soc_item.pk}/klar/"
    assert fast_login(world.users["police"]).post(url, {"version": soc_item.version}).status_code == 403
    assert fast_login(world.users["soc_jurist"]).post(url, {"version": soc_item.version}).status_code == 403
    client = fast_login(world.users["soc"])
    assert client.post(url, {"version": soc_item.version}).status_code == 302
    soc_item.refresh_from_db()
    assert soc_item.status == ActionStatus.DONE and soc_item.done_by_id == world.users["soc"].pk
    assert AuditEvent.objects.filter(action=Action.TREFAS_ACTION_UPDATED, subject_id=str(soc_item.pk)).exists()
    # A second click from a page loaded before the first: nothing written, the page says so.
    response = client.post(url, {"version": soc_item.version - 1})
    assert response.status_code == 409
    done_at = soc_item.done_at
    soc_item.refresh_from_db()
    assert soc_item.done_at == done_at


def test_the_incident_list_is_newest_first_with_open_counts_in_fixed_queries(world, django_assert_max_num_queries):
    older = _register(world, hours_ago=30)
    newer = _register(world, hours_ago=1)
    ActionItem.objects.filter(incident=older).update(status=ActionStatus.DONE, done_at=timezone.now())
    client = fast_login(world.users["city_coord"])
    url = f"/trefas/{world.forum.pk}/handelser/"
    client.get(url)  # warm the session and caches
    with django_assert_max_num_queries(22) as few:
        response = client.get(url)
    rows = response.context["rows"]
    assert [r.incident.pk for r in rows] == [newer.pk, older.pk]
    assert [r.open_actions for r in rows] == [8, 0]
    for hours in range(2, 8):
        _register(world, hours_ago=hours)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


# --- Checklist administration -------------------------------------------------------------


def test_system_administrators_edit_the_checklist_members_may_not(world):
    admin = UserFactory(organisation=world.orgs["city"], roles=["system_admin"])
    client = fast_login(admin)
    assert client.get("/trefas/checklista/").status_code == 200
    template = ChecklistTemplate.objects.get(code="police-weapons-search")
    response = client.post(f"/trefas/checklista/{template.pk}/", {
        "title": "Vapensök", "member_kind": MemberKind.POLICE, "incident_kind": "", "deadline_hours": 6,
        "order": 10, "active": "on", "version": template.version,
    })
    assert response.status_code == 302
    template.refresh_from_db()
    assert (template.title, template.deadline_hours, template.version) == ("Vapensök", 6, 2)
    # A stale version: 409, nothing saved, the input kept.
    response = client.post(f"/trefas/checklista/{template.pk}/", {
        "title": "Annat", "member_kind": MemberKind.POLICE, "incident_kind": "", "deadline_hours": 5,
        "order": 10, "active": "on", "version": 1,
    })
    assert response.status_code == 409
    template.refresh_from_db()
    assert template.title == "Vapensök"
    response = client.post("/trefas/checklista/ny/", {
        "title": "Stöd till vittnen", "member_kind": MemberKind.POLICE, "incident_kind": IncidentKind.SHOOTING,
        "deadline_hours": 24, "order": 90, "active": "on",
    })
    assert response.status_code == 302
    assert ChecklistTemplate.objects.filter(title="Stöd till vittnen", active=True).count() == 1
    assert AuditEvent.objects.filter(action=Action.TREFAS_CHECKLIST_CHANGED).count() == 2
    for name in ("city_coord", "police", "soc_jurist", "tax"):
        assert fast_login(world.users[name]).get("/trefas/checklista/").status_code == 403, name
