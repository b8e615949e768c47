"""The open actions of the weekly meetings: who sees which (the areas in scope), the
filters and the sorting, overdue said in words, who may update an action's status
(its own organisation or a meeting runner), 409 keeping the input, the query count."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from samverkan.audit.models import AuditEvent
from samverkan.picture.models import ActionStatus
from samverkan.picture.selectors.scope import local_access_for
from samverkan.picture.services import meetings as services
from tests.picture.meeting_helpers import add_action, last_week, open_meeting
from tests.picture.world import build_local_world

pytestmark = pytest.mark.django_db

URL = "/trygghet/atgarder/"


@pytest.fixture
def world():
    return build_local_world()


@pytest.fixture
def actions(world):
    """Open actions in Järva (Rinkeby/Tensta: one overdue of the district, one of the
    police; Husby: one of the housing company) and in Skärholmen (Bredäng)."""
    today = timezone.localdate()
    rinkeby = open_meeting(world, "jarva_coord", "rinkeby-tensta", last_week())
    husby = open_meeting(world, "jarva_coord", "husby", last_week())
    bredang = open_meeting(world, "skarholmen_coord", "bredang", last_week())
    return {
        "overdue": add_action(world, "jarva_coord", rinkeby, text="Sanera klottret vid skolan.",
                              due_on=today - timedelta(days=3)),
        "police": add_action(world, "jarva_coord", rinkeby, org="police_rinkeby", text="Öka närvaron kvällstid.",
                             due_on=today + timedelta(days=5)),
        "housing": add_action(world, "jarva_coord", husby, org="housing", text="Laga belysningen i porten.",
                              due_on=today + timedelta(days=10)),
        "bredang": add_action(world, "skarholmen_coord", bredang, org="skarholmen", text="Röj buskaget vid parken.",
                              due_on=today + timedelta(days=2)),
    }


def test_district_staff_see_their_districts_open_actions_only(world, actions, login):
    body = login(world["jarva_staff"]).get(URL).content.decode()
    for key in ("overdue", "police", "housing"):
        assert actions[key].text in body
    assert actions["bredang"].text not in body
    assert AuditEvent.objects.filter(action="picture.meeting_actions_viewed").count() == 1


def test_the_police_see_the_actions_of_the_areas_they_police(world, actions, login):
    body = login(world["police_skarholmen"]).get(URL).content.decode()
    assert actions["bredang"].text in body and actions["police"].text not in body
    region = login(world["police_region"]).get(URL).content.decode()
    assert all(a.text in region for a in actions.values())


@pytest.mark.parametrize("persona", ["housing_a", "shop", "association", "tax"])
def test_someone_who_sees_no_area_finds_no_list(world, actions, login, persona):
    assert login(world[persona]).get(URL).status_code == 404


def test_done_and_cancelled_actions_leave_the_list(world, actions, login):
    staff = world["jarva_staff"]
    services.action_update_status(actor=staff, access=local_access_for(staff), action=actions["overdue"],
                                  status=ActionStatus.DONE, expected_version=1)
    body = login(staff).get(URL).content.decode()
    assert actions["overdue"].text not in body and actions["police"].text in body


def test_the_filters_and_the_order(world, actions, login):
    client = login(world["jarva_staff"])
    husby = client.get(URL, {"area": world.areas["husby"].pk}).content.decode()
    assert actions["housing"].text in husby and actions["police"].text not in husby
    mine = client.get(URL, {"mine": "on"}).content.decode()
    assert actions["overdue"].text in mine and actions["police"].text not in mine
    overdue = client.get(URL, {"overdue": "on"}).content.decode()
    assert actions["overdue"].text in overdue and actions["housing"].text not in overdue
    earliest = client.get(URL).content.decode()
    assert earliest.index(actions["overdue"].text) < earliest.index(actions["police"].text) \
        < earliest.index(actions["housing"].text)
    latest = client.get(URL, {"order": "-due"}).content.decode()
    assert latest.index(actions["housing"].text) < latest.index(actions["overdue"].text)
    # An area outside the scope shows nothing of it (the choice is refused, the list is the scope's).
    other = client.get(URL, {"area": world.areas["bredang"].pk, "overdue": "on"}).content.decode()
    assert actions["bredang"].text not in other
    assert actions["overdue"].text in other and actions["police"].text not in other  # the other filter still applies


def test_overdue_is_said_in_words(world, actions, login):
    body = login(world["jarva_staff"]).get(URL).content.decode()
    assert "Overdue by 3 days" in body
    assert body.count("Overdue by") == 1


def _status_post(action, status, version=None):
    return {f"a{action.pk}-status": status, f"a{action.pk}-version": action.version if version is None else version}


def test_the_responsible_organisation_updates_its_action(world, actions, login):
    action = actions["overdue"]  # the district's own
    client = login(world["jarva_staff"])
    body = client.get(URL).content.decode()
    assert f'action="/trygghet/atgarder/{action.pk}/status/' in body
    assert f'action="/trygghet/atgarder/{actions["police"].pk}/status/' not in body  # not their organisation's
    response = client.post(reverse("picture:action_status", args=[action.pk]), _status_post(action, "done"))
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE and action.version == 2
    assert AuditEvent.objects.filter(action="picture.meeting_action_updated", subject_id=str(action.pk)).exists()


def test_another_organisations_staff_may_not_update_but_a_meeting_runner_may(world, actions, login):
    action = actions["overdue"]  # the district's
    url = reverse("picture:action_status", args=[action.pk])
    assert login(world["police_rinkeby"]).post(url, _status_post(action, "cancelled")).status_code == 403
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN
    with pytest.raises(PermissionDenied):
        services.action_update_status(actor=world["police_rinkeby"], access=local_access_for(world["police_rinkeby"]),
                                      action=action, status="done", expected_version=1)
    assert login(world["police_rinkeby_lead"]).post(url, _status_post(action, "not_done")).status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.NOT_DONE


@pytest.mark.parametrize("persona", ["skarholmen_coord", "housing_a", "tax"])
def test_outside_the_scope_an_action_does_not_exist(world, actions, login, persona):
    action = actions["housing"]  # even the housing company's own action: reporters see no area
    response = login(world[persona]).post(reverse("picture:action_status", args=[action.pk]),
                                          _status_post(action, "done"))
    assert response.status_code == 404
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN


def test_a_concurrent_update_gets_409_and_keeps_the_choice(world, actions, login):
    action = actions["overdue"]
    lead = world["jarva_coord"]
    services.action_update_status(actor=lead, access=local_access_for(lead), action=action,
                                  status=ActionStatus.OPEN, expected_version=1)
    response = login(world["jarva_staff"]).post(reverse("picture:action_status", args=[action.pk]),
                                                _status_post(action, "cancelled", version=1))
    assert response.status_code == 409
    body = response.content.decode()
    assert "Someone else saved this" in body
    assert '<option value="cancelled" selected>' in body
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN and action.version == 2


def test_the_list_reads_a_constant_number_of_queries(world, actions, login, django_assert_max_num_queries):
    client = login(world["jarva_coord"])
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).status_code == 200
    meeting = open_meeting(world, "jarva_coord", "husby", last_week() - timedelta(days=7))
    for i in range(15):
        add_action(world, "jarva_coord", meeting, org=("jarva", "police_rinkeby", "housing")[i % 3],
                   text=f"Fler åtgärder {i}.")
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get(URL).content.decode()
    assert body.count('id="action-') == 18  # the 15 new and the three of Järva's areas


def test_overdue_actions_are_a_task_on_the_home_page_of_the_responsible_organisations_runners(world, actions, login):
    """The reminders app holds only a case's reminders; the overdue EST actions reach the
    responsible organisation's meeting runners as a task on their home page."""
    body = login(world["jarva_coord"]).get("/").content.decode()
    assert "1 action of your organisation from the weekly meetings is overdue." in body
    assert "/trygghet/atgarder/?mine=on&amp;overdue=on" in body
    for persona in ("jarva_staff", "police_rinkeby_lead", "skarholmen_coord"):  # reader; not their organisation's
        assert "from the weekly meetings" not in login(world[persona]).get("/").content.decode()
    staff = world["jarva_staff"]
    services.action_update_status(actor=staff, access=local_access_for(staff), action=actions["overdue"],
                                  status=ActionStatus.DONE, expected_version=1)
    assert "from the weekly meetings" not in login(world["jarva_coord"]).get("/").content.decode()
