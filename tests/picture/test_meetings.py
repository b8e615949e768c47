"""The weekly EST meeting record: who runs it, who reads it, who gets a 404; the record's
details, the actions decided, the follow-up of earlier weeks' actions, closing (read-only
afterwards), optimistic locking (409 keeping the input), the identity-number refusal and
the name warning, the audit trail and the query count."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from samverkan.audit.models import AuditEvent
from samverkan.picture.models import ActionFollowUp, ActionStatus, WeekAction, WeekMeeting
from samverkan.picture.selectors.scope import local_access_for
from samverkan.picture.selectors.week import parse_week, week_code
from samverkan.picture.services import meetings as services
from tests.picture.meeting_helpers import add_action, close_meeting, last_week, meeting_url, open_meeting, this_week
from tests.picture.world import build_local_world

pytestmark = pytest.mark.django_db

PNR = "Såg 19121212-1212 vid torget."


@pytest.fixture
def world():
    return build_local_world()


def _record_post(world, meeting, **changes):
    data = {
        "version": meeting.version, "held_on": meeting.week_start.isoformat(),
        "participants": [world.orgs["jarva"].pk, world.orgs["police_rinkeby"].pk],
        "seen": "Mer klotter vid tunnelbanans uppgång.",
    }
    data.update(changes)
    return data


# --- who ---------------------------------------------------------------------------


def test_the_district_coordinator_opens_and_runs_the_meeting(world, login):
    client = login(world["jarva_coord"])
    response = client.post(meeting_url("rinkeby-tensta", this_week(), "meeting_open"))
    assert response.status_code == 302
    meeting = WeekMeeting.objects.get(area=world.areas["rinkeby-tensta"], week_start=this_week())
    assert meeting.created_by == world["jarva_coord"]
    assert AuditEvent.objects.filter(action="picture.meeting_opened", subject_id=str(meeting.pk)).count() == 1
    page = client.get(meeting_url("rinkeby-tensta", this_week()))
    assert page.status_code == 200
    assert b'name="seen"' in page.content and b"Fiktiva Bost" in page.content  # the parties as checkboxes
    assert "Fiktiva Butiken" not in page.content.decode()  # reports in Husby only: not a party in Rinkeby
    assert AuditEvent.objects.filter(action="picture.meeting_viewed", subject_id=str(meeting.pk)).count() == 1


def test_opening_twice_gives_the_same_record(world):
    first = open_meeting(world, "jarva_coord", "husby", this_week())
    again = open_meeting(world, "police_rinkeby_lead", "husby", this_week())
    assert first.pk == again.pk
    assert WeekMeeting.objects.count() == 1


def test_district_staff_read_the_record_but_cannot_run_the_meeting(world, login):
    meeting = open_meeting(world, "jarva_coord", "rinkeby-tensta", this_week())
    client = login(world["jarva_staff"])
    page = client.get(meeting_url("rinkeby-tensta", this_week()))
    assert page.status_code == 200
    assert b'name="seen"' not in page.content  # read-only
    assert client.post(meeting_url("rinkeby-tensta", this_week(), "meeting_record"),
                       _record_post(world, meeting)).status_code == 403
    assert client.post(meeting_url("rinkeby-tensta", this_week(), "meeting_action_add"),
                       {"text": "x", "organisation": world.orgs["jarva"].pk, "due_on": "2030-01-01"}).status_code == 403
    assert client.get(meeting_url("rinkeby-tensta", this_week(), "meeting_close")).status_code == 403
    assert client.post(meeting_url("rinkeby-tensta", last_week(), "meeting_open")).status_code == 403
    meeting.refresh_from_db()
    assert meeting.seen == "" and meeting.version == 1
    with pytest.raises(PermissionDenied):
        services.meeting_update(actor=world["jarva_staff"], access=local_access_for(world["jarva_staff"]),
                                meeting=meeting, held_on=None, participant_ids=[], seen="x", expected_version=1)


@pytest.mark.parametrize("persona", ["skarholmen_coord", "housing_a", "shop", "tax", "police_skarholmen"])
def test_outside_the_scope_the_meeting_does_not_exist(world, login, persona):
    open_meeting(world, "jarva_coord", "rinkeby-tensta", this_week())
    client = login(world[persona])
    for name in ("meeting", "meeting_close"):
        assert client.get(meeting_url("rinkeby-tensta", this_week(), name)).status_code == 404
    for name in ("meeting_open", "meeting_record", "meeting_action_add"):
        assert client.post(meeting_url("rinkeby-tensta", this_week(), name), {}).status_code == 404


def test_the_local_police_lead_runs_the_meetings_of_the_areas_they_police(world, login):
    """Documented rule (LocalAction.RUN_MEETING): the meeting permission and the area in
    scope. The police area's coordinator runs Rinkeby/Tensta's and Husby's meetings too;
    Skärholmen's areas are outside their scope (404)."""
    client = login(world["police_rinkeby_lead"])
    assert client.post(meeting_url("husby", this_week(), "meeting_open")).status_code == 302
    assert WeekMeeting.objects.filter(area=world.areas["husby"]).exists()
    assert client.post(meeting_url("bredang", this_week(), "meeting_open")).status_code == 404
    police_staff = login(world["police_rinkeby"])
    assert police_staff.get(meeting_url("husby", this_week())).status_code == 200
    assert police_staff.post(meeting_url("husby", this_week(), "meeting_record"), {}).status_code == 403


@pytest.mark.parametrize("week", ["2026-W60", "2026-49", "vecka-49", "2026-W00"])
def test_a_week_that_does_not_exist_is_not_found(world, login, week):
    client = login(world["jarva_coord"])
    assert client.get(reverse("picture:meeting", kwargs={"area": "husby", "week": week})).status_code == 404


def test_iso_weeks_round_trip():
    monday = parse_week("2026-W49")
    assert monday.isoformat() == "2026-11-30" and week_code(monday) == "2026-W49"
    assert week_code(monday + timedelta(days=6)) == "2026-W49"


def test_a_week_that_has_not_begun_has_no_meeting(world, login):
    client = login(world["jarva_coord"])
    response = client.post(meeting_url("husby", this_week() + timedelta(days=7), "meeting_open"), follow=True)
    assert "The week has not begun yet." in response.content.decode()
    assert not WeekMeeting.objects.exists()


# --- the record ----------------------------------------------------------------------


def test_the_runner_records_date_organisations_and_what_was_seen(world, login):
    meeting = open_meeting(world, "jarva_coord", "rinkeby-tensta", this_week())
    client = login(world["jarva_coord"])
    housing = world.orgs["housing"].pk
    response = client.post(meeting_url("rinkeby-tensta", this_week(), "meeting_record"),
                           _record_post(world, meeting, participants=[world.orgs["jarva"].pk, housing]))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.held_on == this_week() and meeting.version == 2
    assert meeting.seen == "Mer klotter vid tunnelbanans uppgång."
    assert {o.pk for o in meeting.participants.all()} == {world.orgs["jarva"].pk, housing}
    assert AuditEvent.objects.filter(action="picture.meeting_updated").count() == 1


def test_only_the_areas_parties_can_be_present(world, login):
    meeting = open_meeting(world, "jarva_coord", "rinkeby-tensta", this_week())
    client = login(world["jarva_coord"])
    response = client.post(meeting_url("rinkeby-tensta", this_week(), "meeting_record"),
                           _record_post(world, meeting, participants=[world.orgs["association"].pk]))
    assert response.status_code == 200
    meeting.refresh_from_db()
    assert meeting.version == 1 and not meeting.participants.exists()
    with pytest.raises(ValidationError):
        services.meeting_update(actor=world["jarva_coord"], access=local_access_for(world["jarva_coord"]),
                                meeting=meeting, held_on=None, participant_ids=[world.orgs["tax"].pk], seen="",
                                expected_version=1)


def test_an_identity_number_in_what_we_saw_is_refused(world, login):
    meeting = open_meeting(world, "jarva_coord", "rinkeby-tensta", this_week())
    client = login(world["jarva_coord"])
    response = client.post(meeting_url("rinkeby-tensta", this_week(), "meeting_record"),
                           _record_post(world, meeting, seen=PNR))
    assert response.status_code == 200
    assert "Remove the identity number" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.seen == "" and meeting.version == 1
    with pytest.raises(ValidationError) as caught:  # the service refuses it too, whatever the form does
        services.meeting_update(actor=world["jarva_coord"], access=local_access_for(world["jarva_coord"]),
                                meeting=meeting, held_on=None, participant_ids=[], seen="121212-1212",
                                expected_version=1)
    assert "seen" in caught.value.message_dict


def test_names_in_what_we_saw_need_a_confirmation(world, login):
    meeting = open_meeting(world, "jarva_coord", "rinkeby-tensta", this_week())
    client = login(world["jarva_coord"])
    url = meeting_url("rinkeby-tensta", this_week(), "meeting_record")
    text = "Anna Svensson syntes vid Rinkeby Centrum."
    response = client.post(url, _record_post(world, meeting, seen=text))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Anna Svensson" in body and 'type="checkbox" name="names_checked"' in body
    meeting.refresh_from_db()
    assert meeting.seen == ""
    response = client.post(url, _record_post(world, meeting, seen=text, names_checked="on"))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.seen == text


def test_a_concurrent_edit_gets_409_and_keeps_the_input(world, login):
    meeting = open_meeting(world, "jarva_coord", "rinkeby-tensta", this_week())
    stale = meeting.version
    lead = world["police_rinkeby_lead"]
    services.meeting_update(actor=lead, access=local_access_for(lead), meeting=meeting, held_on=None,
                            participant_ids=[], seen="Polisens text.", expected_version=stale)
    client = login(world["jarva_coord"])
    mine = "Stadsdelens text om trasig belysning."
    response = client.post(meeting_url("rinkeby-tensta", this_week(), "meeting_record"),
                           _record_post(world, meeting, seen=mine, version=stale))
    assert response.status_code == 409
    body = response.content.decode()
    assert mine in body and "Someone else saved this" in body
    assert f'name="version" value="{stale + 1}"' in body  # saving again knowingly replaces theirs
    meeting.refresh_from_db()
    assert meeting.seen == "Polisens text."


# --- actions and their follow-up ------------------------------------------------------


def test_the_meeting_decides_several_actions(world, login):
    meeting = open_meeting(world, "jarva_coord", "rinkeby-tensta", this_week())
    client = login(world["jarva_coord"])
    url = meeting_url("rinkeby-tensta", this_week(), "meeting_action_add")
    due = (this_week() + timedelta(days=14)).isoformat()
    for org, text in (("jarva", "Sanera klottret vid skolan."), ("housing", "Laga belysningen i porten.")):
        response = client.post(url, {"text": text, "organisation": world.orgs[org].pk, "due_on": due})
        assert response.status_code == 302
    assert list(meeting.actions.values_list("text", flat=True).order_by("pk")) == [
        "Sanera klottret vid skolan.", "Laga belysningen i porten."]
    assert AuditEvent.objects.filter(action="picture.meeting_action_added").count() == 2
    page = client.get(meeting_url("rinkeby-tensta", this_week())).content.decode()
    assert "Sanera klottret vid skolan." in page and "Laga belysningen i porten." in page


@pytest.mark.parametrize("field,value,message", [
    ("organisation", "tax", "Select a valid choice"),
    ("text", PNR, "Remove the identity number"),
])
def test_an_action_outside_the_rules_is_refused(world, login, field, value, message):
    open_meeting(world, "jarva_coord", "rinkeby-tensta", this_week())
    client = login(world["jarva_coord"])
    data = {"text": "Sanera klottret.", "organisation": world.orgs["jarva"].pk,
            "due_on": (this_week() + timedelta(days=7)).isoformat()}
    data[field] = world.orgs[value].pk if field == "organisation" else value
    response = client.post(meeting_url("rinkeby-tensta", this_week(), "meeting_action_add"), data)
    assert response.status_code == 200 and message in response.content.decode()
    assert not WeekAction.objects.exists()


def test_the_service_refuses_a_responsible_organisation_that_is_not_a_party(world):
    meeting = open_meeting(world, "jarva_coord", "rinkeby-tensta", this_week())
    with pytest.raises(ValidationError):
        add_action(world, "jarva_coord", meeting, org="association")


def test_last_weeks_action_is_followed_up_at_this_weeks_meeting(world, login):
    earlier = open_meeting(world, "jarva_coord", "rinkeby-tensta", last_week())
    action = add_action(world, "jarva_coord", earlier, org="police_rinkeby", text="Öka närvaron vid torget.")
    close_meeting(world, "jarva_coord", earlier)
    meeting = open_meeting(world, "jarva_coord", "rinkeby-tensta", this_week())
    client = login(world["jarva_coord"])
    page = client.get(meeting_url("rinkeby-tensta", this_week())).content.decode()
    assert "Öka närvaron vid torget." in page and f'name="f{action.pk}-status"' in page
    response = client.post(
        meeting_url("rinkeby-tensta", this_week(), "meeting_follow_up", action_id=action.pk),
        {f"f{action.pk}-version": action.version, f"f{action.pk}-status": "done",
         f"f{action.pk}-note": "Polisen har varit på plats varje kväll."},
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE and action.followed_up_at == meeting
    assert action.follow_up == "Polisen har varit på plats varje kväll."
    assert ActionFollowUp.objects.get(action=action).meeting == meeting
    assert AuditEvent.objects.filter(action="picture.meeting_action_followed_up").count() == 1


def test_still_open_comes_back_next_week_and_each_closed_record_keeps_its_own_follow_up(world):
    first = open_meeting(world, "jarva_coord", "husby", this_week() - timedelta(days=14))
    action = add_action(world, "jarva_coord", first)
    close_meeting(world, "jarva_coord", first)
    coord = world["jarva_coord"]
    second = open_meeting(world, "jarva_coord", "husby", last_week())
    services.action_follow_up(actor=coord, access=local_access_for(coord), meeting=second, action=action,
                              status=ActionStatus.OPEN, note="Beställt, inte utfört.", expected_version=1)
    close_meeting(world, "jarva_coord", second)
    third = open_meeting(world, "jarva_coord", "husby", this_week())
    action.refresh_from_db()
    services.action_follow_up(actor=coord, access=local_access_for(coord), meeting=third, action=action,
                              status=ActionStatus.DONE, note="Utfört.", expected_version=action.version)
    assert ActionFollowUp.objects.get(meeting=second).status == ActionStatus.OPEN
    assert ActionFollowUp.objects.get(meeting=third).status == ActionStatus.DONE
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE and action.followed_up_at == third


def test_an_overdue_action_says_so_in_words_at_the_follow_up(world, login):
    earlier = open_meeting(world, "jarva_coord", "husby", this_week() - timedelta(days=14))
    add_action(world, "jarva_coord", earlier, due_on=this_week() - timedelta(days=7))
    body = login(world["jarva_staff"]).get(meeting_url("husby", this_week())).content.decode()
    days = (timezone.localdate() - (this_week() - timedelta(days=7))).days
    assert f"Overdue by {days} days" in body


def test_a_concurrent_follow_up_gets_409_and_keeps_the_note(world, login):
    earlier = open_meeting(world, "jarva_coord", "rinkeby-tensta", last_week())
    action = add_action(world, "jarva_coord", earlier)
    meeting = open_meeting(world, "jarva_coord", "rinkeby-tensta", this_week())
    staff = world["jarva_staff"]
    services.action_update_status(actor=staff, access=local_access_for(staff), action=action,
                                  status=ActionStatus.DONE, expected_version=1)
    client = login(world["jarva_coord"])
    note = "Enligt fastighetsägaren är det åtgärdat."
    response = client.post(
        meeting_url("rinkeby-tensta", this_week(), "meeting_follow_up", action_id=action.pk),
        {f"f{action.pk}-version": 1, f"f{action.pk}-status": "not_done", f"f{action.pk}-note": note},
    )
    assert response.status_code == 409 and note in response.content.decode()
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE and action.followed_up_at is None
    assert not ActionFollowUp.objects.filter(meeting=meeting).exists()


def test_an_action_of_another_area_or_a_later_week_is_not_followed_up_here(world, login):
    other = open_meeting(world, "jarva_coord", "husby", last_week())
    foreign = add_action(world, "jarva_coord", other)
    open_meeting(world, "jarva_coord", "rinkeby-tensta", this_week())
    client = login(world["jarva_coord"])
    response = client.post(meeting_url("rinkeby-tensta", this_week(), "meeting_follow_up", action_id=foreign.pk),
                           {f"f{foreign.pk}-version": 1, f"f{foreign.pk}-status": "done"})
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == ActionStatus.OPEN


# --- closing -------------------------------------------------------------------------


def test_closing_asks_first_then_the_record_is_read_only(world, login):
    earlier = open_meeting(world, "jarva_coord", "rinkeby-tensta", last_week())
    old_action = add_action(world, "jarva_coord", earlier)
    meeting = open_meeting(world, "jarva_coord", "rinkeby-tensta", this_week())
    add_action(world, "jarva_coord", meeting, text="Sanera klottret.")
    client = login(world["jarva_coord"])
    url = meeting_url("rinkeby-tensta", this_week(), "meeting_close")
    confirm = client.get(url)
    assert confirm.status_code == 200 and "can never be changed" in confirm.content.decode()
    # Without the date held the record is not closed.
    response = client.post(url, {"version": meeting.version})
    assert response.status_code == 200 and "Enter the date the meeting was held" in response.content.decode()
    client.post(meeting_url("rinkeby-tensta", this_week(), "meeting_record"), _record_post(world, meeting))
    meeting.refresh_from_db()
    assert client.post(url, {"version": meeting.version}).status_code == 302
    meeting.refresh_from_db()
    assert meeting.closed
    assert AuditEvent.objects.filter(action="picture.meeting_closed").count() == 1
    page = client.get(meeting_url("rinkeby-tensta", this_week())).content.decode()
    assert 'name="seen"' not in page and "Sanera klottret." in page and "Close the record" not in page
    # Every edit is refused now, through the pages and the services.
    client.post(meeting_url("rinkeby-tensta", this_week(), "meeting_record"),
                _record_post(world, meeting, seen="Ändrat i efterhand."))
    client.post(meeting_url("rinkeby-tensta", this_week(), "meeting_action_add"),
                {"text": "Ny", "organisation": world.orgs["jarva"].pk, "due_on": "2030-01-01"})
    client.post(meeting_url("rinkeby-tensta", this_week(), "meeting_follow_up", action_id=old_action.pk),
                {f"f{old_action.pk}-version": 1, f"f{old_action.pk}-status": "done"})
    meeting.refresh_from_db()
    assert meeting.seen != "Ändrat i efterhand." and meeting.actions.count() == 1
    old_action.refresh_from_db()
    assert old_action.status == ActionStatus.OPEN
    coord = world["jarva_coord"]
    with pytest.raises(ValidationError):
        services.action_add(actor=coord, access=local_access_for(coord), meeting=meeting, text="Ny",
                            organisation_id=world.orgs["jarva"].pk, due_on=this_week())
    with pytest.raises(ValidationError):
        services.action_follow_up(actor=coord, access=local_access_for(coord), meeting=meeting, action=old_action,
                                  status="done", note="", expected_version=old_action.version)


def test_closing_a_record_someone_changed_meanwhile_gets_409(world, login):
    meeting = open_meeting(world, "jarva_coord", "rinkeby-tensta", this_week())
    lead = world["police_rinkeby_lead"]
    services.meeting_update(actor=lead, access=local_access_for(lead), meeting=meeting, held_on=this_week(),
                            participant_ids=[], seen="Senaste ändringen.", expected_version=1)
    client = login(world["jarva_coord"])
    response = client.post(meeting_url("rinkeby-tensta", this_week(), "meeting_close"), {"version": 1})
    assert response.status_code == 409
    meeting.refresh_from_db()
    assert not meeting.closed


def test_the_meeting_page_links_to_the_weeks_picture_when_that_page_exists(world, login):
    open_meeting(world, "jarva_coord", "husby", this_week())
    body = login(world["jarva_staff"]).get(meeting_url("husby", this_week())).content.decode()
    try:
        week_url = reverse("picture:area_week", kwargs={"area": "husby", "week": week_code(this_week())})
    except NoReverseMatch:  # the week page is another topic's; without it there is no link
        assert "The week&#x27;s joint picture" not in body and "joint picture" not in body
    else:
        assert f'href="{week_url}"' in body


# --- query counts --------------------------------------------------------------------


def _fill(world, meeting, earlier, n):
    for i in range(n):
        add_action(world, "jarva_coord", meeting, text=f"Åtgärd {i} vid torget.")
        add_action(world, "jarva_coord", earlier, org="police_rinkeby", text=f"Tidigare åtgärd {i}.")


def test_the_meeting_page_reads_a_constant_number_of_queries(world, login, django_assert_max_num_queries):
    earlier = open_meeting(world, "jarva_coord", "rinkeby-tensta", last_week())
    meeting = open_meeting(world, "jarva_coord", "rinkeby-tensta", this_week())
    client = login(world["jarva_coord"])
    url = meeting_url("rinkeby-tensta", this_week())
    _fill(world, meeting, earlier, 2)
    client.get(url)  # warm the session and caches
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _fill(world, meeting, earlier, 10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get(url).content.decode()
    assert body.count("vid torget.") >= 12 and body.count("Tidigare åtgärd") >= 12
