from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from samverkan.audit.models import AuditEvent
from samverkan.cases import services as case_services
from samverkan.cases.models import TeamMember
from samverkan.meetings import services
from samverkan.meetings.models import Meeting, Minutes
from samverkan.plans.models import Commitment
from tests.factories import UserFactory
from tests.world import give_consent, withdraw

pytestmark = pytest.mark.django_db

SECRET = "MOTESHEMLIS"


def _url(world, suffix=""):
    return f"/arenden/{world.case.public_id}/moten/{suffix}"


def _team(world, *users):
    return list(TeamMember.objects.filter(case=world.case, active=True, user__in=users))


def _meeting(world, user=None, days=-1, agenda="Dagordning"):
    user = user or world.lead
    return services.meeting_create(
        actor=user,
        case=world.case,
        access=world.access(user),
        starts_at=timezone.now() + timedelta(days=days),
        place="Kontoret",
        attendees=_team(world, world.lead, world.users["police"]),
        agenda=agenda,
    )


def _form_data(form, **overrides):
    """The form's initial values as POST data (model choices as primary keys)."""
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if isinstance(value, list):
            data[name] = [getattr(v, "pk", v) for v in value]
        elif hasattr(value, "strftime") and hasattr(value, "hour"):
            data[name] = timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")
        elif value is None:
            data[name] = ""
        else:
            data[name] = getattr(value, "pk", value)
    data.update(overrides)
    return data


PERSONAS = [
    ("jarva_coord", 200),
    ("police", 200),
    ("probation", 200),
    ("school", 200),
    ("jarva_observer", 200),
    ("jarva_outsider", 404),
    ("tax", 404),
    ("skarholmen", 404),
]


@pytest.mark.parametrize(("persona", "expected"), PERSONAS)
def test_meeting_pages_by_persona(world, logged_in, persona, expected):
    give_consent(world)
    meeting = _meeting(world)
    client = logged_in(world.users[persona])
    assert client.get(_url(world)).status_code == expected
    assert client.get(_url(world, f"{meeting.public_id}/")).status_code == expected
    if expected == 404:
        assert client.get(_url(world, "nytt/")).status_code == 404
        assert (
            client.post(
                _url(world, f"{meeting.public_id}/protokoll/nytt/"), {"text": "x"}
            ).status_code
            == 404
        )
        assert (
            client.post(_url(world, f"{meeting.public_id}/stall-in/"), {"version": 1}).status_code
            == 404
        )
        assert not Minutes.objects.exists()


def test_meeting_of_another_org_is_404_without_consent(world, logged_in):
    meeting = _meeting(world, agenda=SECRET)
    police = logged_in(world.users["police"])
    assert police.get(_url(world, f"{meeting.public_id}/")).status_code == 404
    assert SECRET not in police.get(_url(world)).content.decode()
    consent = give_consent(world, categories=["meeting"])
    assert SECRET in police.get(_url(world, f"{meeting.public_id}/")).content.decode()
    withdraw(world, consent)
    assert police.get(_url(world, f"{meeting.public_id}/")).status_code == 404


def test_observer_reads_but_cannot_write(world, logged_in):
    meeting = _meeting(world)
    observer = logged_in(world.users["jarva_observer"])
    assert observer.get(_url(world, f"{meeting.public_id}/")).status_code == 200
    assert (
        observer.post(
            _url(world, f"{meeting.public_id}/protokoll/nytt/"), {"text": "x"}
        ).status_code
        == 403
    )
    assert (
        observer.post(_url(world, f"{meeting.public_id}/stall-in/"), {"version": 1}).status_code
        == 403
    )


def test_book_the_suggested_follow_up(world, logged_in):
    _meeting(world, days=-30)
    client = logged_in(world.lead)
    listing = client.get(_url(world))
    assert listing.context["follow_up"].overdue
    assert (
        "Book the next follow-up" in listing.content.decode()
        or "uppföljning" in listing.content.decode()
    )
    form = client.get(_url(world, "nytt/")).context["form"]
    assert form.initial["place"] == "Kontoret"
    response = client.post(_url(world, "nytt/"), _form_data(form))
    assert response.status_code == 302, response.content.decode()[:3000]
    booked = Meeting.objects.order_by("-pk").first()
    assert booked.starts_at > timezone.now() and booked.kind == "follow_up"
    assert client.get(_url(world)).context["follow_up"].planned == booked


def test_two_people_edit_the_same_meeting(world, logged_in):
    colleague = UserFactory(organisation=world.orgs["jarva"], roles=["coordinator"])
    case_services.team_add(
        actor=world.lead,
        case=world.case,
        access=world.access(world.lead),
        user=colleague,
        team_role="caseworker",
    )
    meeting = _meeting(world, days=5)
    first, second = logged_in(world.lead), logged_in(colleague)
    url = _url(world, f"{meeting.public_id}/andra/")
    data_first = _form_data(first.get(url).context["form"])
    data_second = _form_data(second.get(url).context["form"])
    assert first.post(url, {**data_first, "place": "Husby"}).status_code == 302
    response = second.post(url, {**data_second, "place": "Tensta", "agenda": "Min dagordning"})
    assert response.status_code == 409
    html = response.content.decode()
    assert 'value="Tensta"' in html and "Min dagordning" in html and "Husby" in html
    meeting.refresh_from_db()
    assert meeting.place == "Husby"


def test_minutes_decision_and_commitment_through_the_web(world, logged_in):
    meeting = _meeting(world)
    client = logged_in(world.lead)
    base = _url(world, f"{meeting.public_id}/")
    assert (
        client.post(base + "protokoll/nytt/", {"text": "Vi gick igenom skolan."}).status_code == 302
    )
    minutes = Minutes.objects.get()
    assert minutes.signed_at is None
    page = client.get(base + f"protokoll/{minutes.public_id}/beslut/")
    member = page.context["form"].fields["responsible"].queryset.get(user=world.users["police"])
    due = (timezone.localdate() + timedelta(days=9)).isoformat()
    assert (
        client.post(
            base + f"protokoll/{minutes.public_id}/beslut/",
            {"text": "Polisen bjuder in till samtal", "responsible": member.pk, "due_on": due},
        ).status_code
        == 302
    )
    minutes.refresh_from_db()
    assert (
        client.post(
            base + f"protokoll/{minutes.public_id}/signera/",
            {"version": minutes.version, "confirmed": "1"},
        ).status_code
        == 302
    )
    minutes.refresh_from_db()
    assert minutes.signed_at is not None
    # Signed: the draft pages are closed.
    assert (
        client.post(
            base + f"protokoll/{minutes.public_id}/", {"version": minutes.version, "text": "Ändrat"}
        ).status_code
        == 200
    )
    assert Minutes.objects.get(pk=minutes.pk).text == "Vi gick igenom skolan."
    decision = minutes.decisions.get()
    form = client.get(base + f"beslut/{decision.public_id}/atagande/").context["form"]
    assert form.initial["description"] == "Polisen bjuder in till samtal"
    assert form.initial["responsible"].user_id == world.users["police"].pk
    response = client.post(
        base + f"beslut/{decision.public_id}/atagande/",
        _form_data(form, category="plan", status="planned"),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    commitment = Commitment.objects.get()
    assert (commitment.organisation_id, commitment.due_on.isoformat()) == (world.orgs["police"].pk, due)
    detail = client.get(base).content.decode()
    assert "Make it a commitment" not in detail
    # Again: refused, nothing duplicated.
    client.post(
        base + f"beslut/{decision.public_id}/atagande/",
        _form_data(form, category="plan", status="planned"),
    )
    assert Commitment.objects.count() == 1
    assert AuditEvent.objects.filter(action="meeting.decision_committed").count() == 1


def test_record_attendance_through_the_web(world, logged_in):
    meeting = _meeting(world)
    client = logged_in(world.lead)
    url = _url(world, f"{meeting.public_id}/narvaro/")
    form = client.get(url).context["form"]
    attendee = form.fields["attended"].queryset.get(user=world.users["police"])
    response = client.post(
        url,
        {"version": meeting.version, "attended": [attendee.pk], "participant_attendance": "absent"},
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.status, meeting.participant_attendance) == ("held", "absent")
    police = logged_in(world.users["police"])
    assert police.get(url).status_code == 404  # not shared with the police
    give_consent(world)
    assert police.get(url).status_code == 403  # shared, but the lead's meeting


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_meeting_pages_query_count_does_not_grow_with_rows(world, logged_in):
    give_consent(world)
    client = logged_in(world.lead)
    first = _meeting(world)

    def add(n):
        access = world.access(world.lead)
        for i in range(n):
            _meeting(world, days=-(i + 2))
            minutes = services.minutes_create(
                actor=world.lead,
                case=world.case,
                access=access,
                meeting=first,
                text=f"Protokoll {i}",
            )
            services.decision_add(
                actor=world.lead,
                case=world.case,
                access=access,
                minutes=minutes,
                text=f"Beslut {i}",
                responsible=world.users["police"],
            )
            services.minutes_create(
                actor=world.users["police"],
                case=world.case,
                access=world.access(world.users["police"]),
                meeting=first,
                text=f"Polis {i}",
                sign=True,
            )

    add(2)
    small_list = _queries(client, _url(world))
    small_detail = _queries(client, _url(world, f"{first.public_id}/"))
    add(10)
    assert _queries(client, _url(world)) == small_list
    assert _queries(client, _url(world, f"{first.public_id}/")) == small_detail


def test_signing_minutes_asks_first_then_signs(world, logged_in):
    meeting = _meeting(world)
    client = logged_in(world.lead)
    base = _url(world, f"{meeting.public_id}/")
    assert client.post(base + "protokoll/nytt/", {"text": "Vi gick igenom skolan."}).status_code == 302
    minutes = Minutes.objects.get()
    url = base + f"protokoll/{minutes.public_id}/signera/"
    first = client.post(url, {"version": minutes.version})
    assert first.status_code == 200
    body = first.content.decode()
    assert "Sign the minutes?" in body and "Vi gick igenom skolan." in body
    assert "Signed minutes cannot be changed or removed." in body and "Yes, sign the minutes" in body
    minutes.refresh_from_db()
    assert minutes.signed_at is None
    assert not AuditEvent.objects.filter(action="meeting.minutes_signed").exists()

    assert client.post(url, {"version": minutes.version, "confirmed": "1"}).status_code == 302
    minutes.refresh_from_db()
    assert minutes.signed_at is not None
    assert AuditEvent.objects.filter(action="meeting.minutes_signed").count() == 1
    # Someone else on the team gets no confirmation page for minutes that are not theirs
    # (the police do not even see the lead's minutes without consent).
    assert logged_in(world.users["police"]).post(url, {"version": minutes.version}).status_code == 404


def test_new_minutes_signed_at_once_ask_first(world, logged_in):
    meeting = _meeting(world)
    client = logged_in(world.lead)
    url = _url(world, f"{meeting.public_id}/protokoll/nytt/")
    data = {"text": "Protokoll som signeras direkt", "sign": "on"}
    first = client.post(url, data)
    assert first.status_code == 200
    body = first.content.decode()
    assert "Sign the minutes?" in body and "No, go back and change it" in body
    assert not Minutes.objects.exists()
    back = client.post(url, {**data, "confirmed": "1", "back": "1"})
    assert back.status_code == 200 and back.context["form"].data["text"] == data["text"]
    assert not Minutes.objects.exists()
    assert client.post(url, {**data, "confirmed": "1"}).status_code == 302
    assert Minutes.objects.get().signed_at is not None


def test_cancelling_a_meeting_asks_first_then_cancels(world, logged_in):
    meeting = _meeting(world, days=3)
    client = logged_in(world.lead)
    url = _url(world, f"{meeting.public_id}/stall-in/")
    first = client.post(url, {"version": meeting.version})
    assert first.status_code == 200
    body = first.content.decode()
    assert "Cancel the meeting?" in body and "A cancelled meeting cannot be planned again" in body
    assert "Yes, cancel the meeting" in body and "No, keep the meeting" in body
    meeting.refresh_from_db()
    assert meeting.status == "planned"
    assert not AuditEvent.objects.filter(action="meeting.cancelled").exists()

    assert client.post(url, {"version": meeting.version, "confirmed": "1"}).status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == "cancelled"
    assert AuditEvent.objects.filter(action="meeting.cancelled").count() == 1


def test_suggested_meeting_avoids_christmas_and_weekends(world):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from samverkan.lib.workdays import is_working_day
    from samverkan.meetings import selectors

    access = world.access(world.lead)
    tz = ZoneInfo("Europe/Stockholm")
    # Due long before: the first day after "now" (23 Dec 2027) is Christmas Eve, a Friday.
    late_evening = Meeting.objects.create(
        case=world.case, starts_at=datetime(2027, 10, 1, 19, 30, tzinfo=tz), place="Kontoret",
        recorded_by_organisation=world.orgs["jarva"], created_by=world.lead)
    suggestion = selectors.meeting_suggestion(
        case=world.case, access=access, now=datetime(2027, 12, 23, 14, 0, tzinfo=tz))
    starts = timezone.localtime(suggestion["starts_at"])
    assert starts.date() == datetime(2027, 12, 27).date()  # Monday after Christmas
    assert is_working_day(starts.date())
    assert starts.hour == 16 and starts.minute == 0  # the last meeting's 19:30 moved into office hours
    assert late_evening.place == suggestion["place"]


def test_booking_the_same_time_twice_warns(world, logged_in):
    booked = _meeting(world, days=5)
    client = logged_in(world.lead)
    form = client.get(_url(world, "nytt/")).context["form"]
    same_time = timezone.localtime(booked.starts_at + timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M")
    data = _form_data(form, starts_at=same_time, place="Kontoret")
    response = client.post(_url(world, "nytt/"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "already has a meeting booked" in html and "Yes, book it anyway" in html
    assert Meeting.objects.filter(case=world.case).count() == 1
    response = client.post(_url(world, "nytt/"), {**data, "clash_ok": "on"})
    assert response.status_code == 302
    assert Meeting.objects.filter(case=world.case).count() == 2
    # Another time: no warning. Changing only the place of a clashing meeting: no warning.
    other = timezone.localtime(booked.starts_at + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
    assert client.post(_url(world, "nytt/"), {**data, "starts_at": other}).status_code == 302
    edit_url = _url(world, f"{booked.public_id}/andra/")
    edit = _form_data(client.get(edit_url).context["form"], place="Husby")
    assert client.post(edit_url, edit).status_code == 302
