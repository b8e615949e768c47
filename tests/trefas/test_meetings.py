"""The forum's meetings: the list with the next meeting due by the cadence, planning and
cancelling (coordinators only), attendance, who was discussed (and the review flags it
drives), the minutes with optimistic locking, signing, and signed minutes refused by the
services."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from samverkan.audit.actions import Action
from samverkan.audit.models import AuditEvent
from samverkan.lib.concurrency import StaleEdit
from samverkan.trefas.models import (
    ForumMeeting,
    ForumMember,
    ForumRole,
    Listing,
    MeetingAttendance,
    MeetingDiscussion,
    MeetingStatus,
)
from samverkan.trefas.selectors.meetings import meetings_overview
from samverkan.trefas.services import meetings as services
from tests.conftest import fast_login
from tests.trefas.meeting_rows import access, action, last_event, meeting
from tests.trefas.world import list_person, trefas_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return trefas_world()


def _fresh(m):
    return ForumMeeting.objects.get(pk=m.pk)


def test_the_next_meeting_is_due_one_cycle_after_the_last_held(world):
    overview = meetings_overview(forum=world.forum, access=access(world, "soc"))
    assert overview.next_due_on == timezone.localdate() and overview.last_held is None
    held = meeting(world, days=-30, status=MeetingStatus.HELD)
    meeting(world, days=-40, status=MeetingStatus.HELD)
    cancelled = meeting(world, days=-3, status=MeetingStatus.CANCELLED)
    overview = meetings_overview(forum=world.forum, access=access(world, "soc"))
    assert overview.last_held == held
    assert overview.next_due_on == timezone.localdate(held.scheduled_for) + timedelta(days=21)
    assert overview.overdue  # 30 days since the last one, nothing planned
    assert overview.cancelled == [cancelled]
    planned = meeting(world, days=2)
    overview = meetings_overview(forum=world.forum, access=access(world, "soc"))
    assert overview.planned == [planned]


def test_the_meetings_page_for_members_and_jurists(world):
    planned = meeting(world, days=5, place="Tensta träff")
    url = reverse("trefas:meetings", args=[world.forum.pk])
    for name in ("soc", "police", "soc_jurist", "city_coord"):
        response = fast_login(world.users[name]).get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Tensta träff" in html
        plan_link = reverse("trefas:meeting_new", args=[world.forum.pk])
        assert (plan_link in html) is (name == "city_coord"), name
        cancel_link = reverse("trefas:meeting_cancel", args=[world.forum.pk, planned.pk])
        assert (cancel_link in html) is (name == "city_coord"), name


def test_the_coordinator_plans_a_meeting_others_may_not(world):
    url = reverse("trefas:meeting_new", args=[world.forum.pk])
    when = (timezone.localtime() + timedelta(days=7)).strftime("%Y-%m-%dT10:00")
    for name in ("police", "soc", "soc_jurist"):
        client = fast_login(world.users[name])
        assert client.get(url).status_code == 403, name
        assert client.post(url, {"scheduled_for": when, "place": "X"}).status_code == 403, name
    assert not ForumMeeting.objects.exists()
    client = fast_login(world.users["city_coord"])
    assert client.get(url).status_code == 200
    response = client.post(url, {"scheduled_for": when, "place": "Husby träff"})
    planned = ForumMeeting.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "trefas:meeting", args=[world.forum.pk, planned.pk])
    assert planned.place == "Husby träff" and planned.status == MeetingStatus.PLANNED
    event, detail = last_event(Action.TREFAS_MEETING_CREATED)
    assert event.subject_id == str(planned.pk) and detail == {"forum": world.forum.pk}
    # Bad input: a clear error, nothing written.
    response = client.post(url, {"scheduled_for": "inte ett datum", "place": ""})
    assert response.status_code == 200 and ForumMeeting.objects.count() == 1


def test_cancelling_asks_first_and_only_the_coordinator_may(world):
    planned = meeting(world, days=3)
    url = reverse("trefas:meeting_cancel", args=[world.forum.pk, planned.pk])
    assert fast_login(world.users["police"]).post(url, {"version": planned.version}).status_code == 403
    client = fast_login(world.users["city_coord"])
    page = client.get(url)
    assert page.status_code == 200 and f'value="{planned.version}"' in page.content.decode()
    assert _fresh(planned).status == MeetingStatus.PLANNED  # the GET changed nothing
    response = client.post(url, {"version": planned.version})
    assert response.status_code == 302
    assert _fresh(planned).status == MeetingStatus.CANCELLED
    _event, detail = last_event(Action.TREFAS_MEETING_UPDATED)
    assert detail["change"] == "cancelled"
    # A cancelled meeting is not cancelled again, nor recorded.
    with pytest.raises(ValidationError):
        services.meeting_cancel(actor=world.users["city_coord"], access=access(world, "city_coord"),
                                meeting=_fresh(planned), expected_version=_fresh(planned).version)
    with pytest.raises(ValidationError):
        services.minutes_save(actor=world.users["city_coord"], access=access(world, "city_coord"),
                              meeting=_fresh(planned), text="x", expected_version=_fresh(planned).version)


def test_attendance_per_organisation(world):
    m = meeting(world, days=0)
    coord = world.users["city_coord"]
    url = reverse("trefas:meeting_attendance", args=[world.forum.pk, m.pk])
    assert fast_login(world.users["soc"]).get(url).status_code == 403
    client = fast_login(coord)
    assert client.get(url).status_code == 200
    present = [world.users["soc"].pk, world.users["police"].pk, coord.pk]
    response = client.post(url, {"version": m.version, "present": present})
    assert response.status_code == 302
    rows = {r.user_id: r for r in MeetingAttendance.objects.filter(meeting=m)}
    assert {pk for pk, r in rows.items() if r.present} == set(present)
    assert rows[world.users["probation"].pk].present is False
    assert rows[world.users["soc"].pk].organisation_id == world.orgs["soc"].pk
    assert world.users["sig_coord"].pk not in rows  # not a member of the forum
    assert _fresh(m).status == MeetingStatus.HELD
    html = client.get(reverse("trefas:meeting", args=[world.forum.pk, m.pk])).content.decode()
    assert world.orgs["police"].name in html and world.users["police"].get_full_name() in html
    # Someone outside the forum cannot be recorded as present.
    with pytest.raises(ValidationError):
        services.attendance_record(actor=coord, access=access(world, "city_coord"), meeting=_fresh(m),
                                   present_user_ids=[world.users["tax"].pk], expected_version=_fresh(m).version)


def test_a_meeting_in_the_future_is_not_recorded_yet(world):
    m = meeting(world, days=3)
    with pytest.raises(ValidationError):
        services.minutes_save(actor=world.users["city_coord"], access=access(world, "city_coord"), meeting=m,
                              text="För tidigt", expected_version=m.version)


def test_discussed_people_get_the_meeting_date_and_lose_a_reviewed_request(world):
    reviewed = list_person(world, first_name="Granskad")
    not_reviewed = list_person(world, first_name="Inte")
    other = list_person(world, first_name="Annan")
    now = timezone.now()
    # Requested yesterday; the first was reviewed since, the second not.
    Listing.objects.filter(pk=reviewed.pk).update(review_requested_at=now - timedelta(days=1),
                                                  review_request_reason="incident", rating_reviewed_at=now)
    Listing.objects.filter(pk=not_reviewed.pk).update(review_requested_at=now - timedelta(days=1),
                                                      rating_reviewed_at=now - timedelta(days=5))
    earlier = meeting(world, days=-21, status=MeetingStatus.HELD)
    MeetingDiscussion.objects.create(meeting=earlier, listing=other)
    m = meeting(world, days=0)
    client = fast_login(world.users["city_coord"])
    url = reverse("trefas:meeting_discussed", args=[world.forum.pk, m.pk])
    assert fast_login(world.users["police"]).post(url, {"version": m.version}).status_code == 403
    assert client.get(url).status_code == 200
    response = client.post(url, {"version": m.version, "listings": [reviewed.pk, not_reviewed.pk, other.pk]})
    assert response.status_code == 302
    rows = {row.pk: row for row in Listing.objects.filter(pk__in=[reviewed.pk, not_reviewed.pk, other.pk])}
    day = timezone.localdate(m.scheduled_for)
    assert all(row.last_discussed_on == day for row in rows.values())
    assert rows[reviewed.pk].review_requested_at is None and rows[reviewed.pk].review_request_reason == ""
    assert rows[not_reviewed.pk].review_requested_at is not None
    _event, detail = last_event(Action.TREFAS_MEETING_UPDATED)
    assert detail["change"] == "discussed" and sorted(detail["listings"]) == sorted(rows)
    # Taking one off again gives back the date of their latest other discussion.
    m = _fresh(m)
    client.post(url, {"version": m.version, "listings": [reviewed.pk, not_reviewed.pk]})
    assert Listing.objects.get(pk=other.pk).last_discussed_on == timezone.localdate(earlier.scheduled_for)
    assert set(MeetingDiscussion.objects.filter(meeting=m).values_list("listing_id", flat=True)) == {
        reviewed.pk, not_reviewed.pk}


def test_minutes_are_written_then_signed_and_then_refused(world):
    m = meeting(world, days=0)
    coord, coord_access = world.users["city_coord"], access(world, "city_coord")
    client = fast_login(coord)
    url = reverse("trefas:meeting_minutes", args=[world.forum.pk, m.pk])
    assert fast_login(world.users["soc"]).get(url).status_code == 403
    assert fast_login(world.users["soc_jurist"]).post(url, {"version": m.version, "minutes": "x"}).status_code == 403
    assert client.post(url, {"version": m.version, "minutes": "Genomgång av listan."}).status_code == 302
    m = _fresh(m)
    assert m.minutes == "Genomgång av listan." and m.status == MeetingStatus.HELD
    _event, detail = last_event(Action.TREFAS_MEETING_UPDATED)
    assert detail["change"] == "minutes"
    sign = reverse("trefas:meeting_sign", args=[world.forum.pk, m.pk])
    page = client.get(sign)
    assert page.status_code == 200 and "Genomgång av listan." in page.content.decode()
    assert _fresh(m).signed_at is None  # the confirmation page signs nothing
    assert fast_login(world.users["police"]).post(sign, {"version": m.version}).status_code == 403
    assert client.post(sign, {"version": m.version}).status_code == 302
    m = _fresh(m)
    assert m.signed_at is not None and m.signed_by_id == coord.pk
    event, _detail = last_event(Action.TREFAS_MINUTES_SIGNED)
    assert event.subject_id == str(m.pk)
    # Signed: every service refuses, and the page offers no change.
    for call in (
        lambda: services.minutes_save(actor=coord, access=coord_access, meeting=m, text="Ändrat",
                                      expected_version=m.version),
        lambda: services.minutes_sign(actor=coord, access=coord_access, meeting=m, expected_version=m.version),
        lambda: services.attendance_record(actor=coord, access=coord_access, meeting=m, present_user_ids=[],
                                           expected_version=m.version),
        lambda: services.discussions_record(actor=coord, access=coord_access, meeting=m, listing_ids=[],
                                            expected_version=m.version),
    ):
        with pytest.raises(ValidationError):
            call()
    # The editor no longer opens: a post goes back to the meeting, which says why.
    response = client.post(url, {"version": m.version, "minutes": "Förfalskat"}, follow=True)
    assert "can no longer be changed" in response.content.decode() or "kan inte längre ändras" in response.content.decode()
    assert _fresh(m).minutes == "Genomgång av listan."
    html = client.get(reverse("trefas:meeting", args=[world.forum.pk, m.pk])).content.decode()
    assert url not in html and sign not in html


def test_a_signed_meetings_version_stale_in_the_service_too(world):
    """A stale signature (the minutes changed since they were read) writes nothing."""
    m = meeting(world, days=0)
    coord, coord_access = world.users["city_coord"], access(world, "city_coord")
    m = services.minutes_save(actor=coord, access=coord_access, meeting=m, text="Utkast 1",
                              expected_version=m.version)
    read_version = m.version
    services.minutes_save(actor=coord, access=coord_access, meeting=m, text="Utkast 2", expected_version=m.version)
    with pytest.raises(StaleEdit):
        services.minutes_sign(actor=coord, access=coord_access, meeting=_fresh(m), expected_version=read_version)
    assert _fresh(m).signed_at is None


def test_two_coordinators_editing_the_minutes_at_once_lose_nothing(world):
    second = trefas_world(personas=("city_coord",)).users["city_coord"]
    ForumMember.objects.create(forum=world.forum, user=second, role=ForumRole.COORDINATOR)
    second.organisation = world.users["city_coord"].organisation
    second.save(update_fields=["organisation"])
    m = meeting(world, days=0)
    url = reverse("trefas:meeting_minutes", args=[world.forum.pk, m.pk])
    loaded = m.version
    first = fast_login(world.users["city_coord"]).post(url, {"version": loaded, "minutes": "Först sparat"})
    assert first.status_code == 302
    response = fast_login(second).post(url, {"version": loaded, "minutes": "Andras text"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Andras text" in html  # the editor's input is kept
    assert "Först sparat" in html  # the stored text beside it
    assert _fresh(m).minutes == "Först sparat"
    # Saving again (now with the stored version) is a deliberate replacement.
    again = fast_login(second).post(url, {"version": _fresh(m).version, "minutes": "Andras text"})
    assert again.status_code == 302 and _fresh(m).minutes == "Andras text"


def test_a_member_cannot_use_the_services(world):
    m = meeting(world, days=0)
    for name in ("police", "soc_jurist"):
        with pytest.raises(PermissionDenied):
            services.minutes_save(actor=world.users[name], access=access(world, name), meeting=m, text="x",
                                  expected_version=m.version)
        with pytest.raises(PermissionDenied):
            services.meeting_plan(actor=world.users[name], access=access(world, name), forum=world.forum,
                                  scheduled_for=timezone.now(), place="x")
    assert not AuditEvent.objects.filter(action=Action.TREFAS_MEETING_UPDATED).exists()


def test_the_meeting_page_shows_the_record_to_every_member(world):
    m = meeting(world, days=0)
    coord, coord_access = world.users["city_coord"], access(world, "city_coord")
    m = services.minutes_save(actor=coord, access=coord_access, meeting=m, text="Protokolltext",
                              expected_version=m.version)
    action(world, org="police", title="Beslutad åtgärd", meeting=m)
    for name in ("soc", "police", "kv_jurist", "school"):
        html = fast_login(world.users[name]).get(reverse("trefas:meeting", args=[world.forum.pk, m.pk]))
        assert html.status_code == 200
        text = html.content.decode()
        assert "Protokolltext" in text and "Beslutad åtgärd" in text
        assert (reverse("trefas:meeting_minutes", args=[world.forum.pk, m.pk]) in text) is False
    assert json.loads(AuditEvent.objects.filter(action=Action.TREFAS_MEETING_VIEWED).last().detail)["forum"] == \
        world.forum.pk
