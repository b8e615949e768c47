"""The meeting's agenda: its order and contents, the per-person joint picture (only what
the viewer may see, on the page and in the PDF), the fixed number of queries and the
audit of every read."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from samverkan.audit.actions import Action
from samverkan.trefas.models import MeetingStatus, Rating, RatingChange, Release, ShareState
from samverkan.trefas.selectors.agenda import Reason, build_agenda
from tests.conftest import fast_login
from tests.documents import pdf_text
from tests.trefas.meeting_rows import access, action, last_event, meeting, share
from tests.trefas.world import OUTSIDERS, list_person, trefas_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return trefas_world()


def _agenda_world(world):
    """A previous held meeting a week ago, and one person for every section plus one
    who needs no discussion."""
    meeting(world, days=-7, status=MeetingStatus.HELD)
    people = {
        "red": list_person(world, rating=Rating.RED, first_name="Röd", reviewed_days_ago=10),
        "changed": list_person(world, rating=Rating.YELLOW, first_name="Ändrad", reviewed_days_ago=10),
        "release": list_person(world, rating=Rating.GREEN, first_name="Frigiven", by="probation",
                               reviewed_days_ago=10),
        "overdue": list_person(world, rating=Rating.GREEN, first_name="Försenad", reviewed_days_ago=10),
        "stale": list_person(world, rating=Rating.GREEN, first_name="Ogranskad", reviewed_days_ago=30),
        "requested": list_person(world, rating=Rating.YELLOW, first_name="Begärd", reviewed_days_ago=10),
        "calm": list_person(world, rating=Rating.GREEN, first_name="Lugn", reviewed_days_ago=10),
    }
    police = world.users["police"]
    RatingChange.objects.create(listing=people["changed"], rating=Rating.YELLOW, previous_rating=Rating.GREEN,
                                reason="Ny uppgift (test)", set_by=police, set_by_organisation=police.organisation,
                                set_at=timezone.now() - timedelta(days=2))
    Release.objects.create(forum=world.forum, listing=people["release"], kind="release",
                           date=timezone.localdate() + timedelta(days=10), registered_by=world.users["probation"],
                           registered_by_organisation=world.orgs["probation"])
    # A cancelled release and one after the next cycle do not count.
    Release.objects.create(forum=world.forum, listing=people["calm"], kind="leave",
                           date=timezone.localdate() + timedelta(days=5), registered_by=world.users["probation"],
                           registered_by_organisation=world.orgs["probation"], cancelled_at=timezone.now())
    Release.objects.create(forum=world.forum, listing=people["calm"], kind="release",
                           date=timezone.localdate() + timedelta(days=60), registered_by=world.users["probation"],
                           registered_by_organisation=world.orgs["probation"])
    action(world, org="soc", listing=people["overdue"], days=-1, title="Ring skolan")
    action(world, org="soc", listing=people["calm"], days=5, title="Ej försenad")
    action(world, org="police", days=-2, title="Vapenkontroll utan person")
    people["requested"].review_requested_at = timezone.now() - timedelta(days=1)
    people["requested"].save(update_fields=["review_requested_at"])
    return people, meeting(world, days=0, status=MeetingStatus.PLANNED)


def test_agenda_order_and_contents(world):
    people, upcoming = _agenda_world(world)
    agenda = build_agenda(forum=world.forum, access=access(world, "soc"), meeting=upcoming)
    assert [s.reason for s in agenda.sections] == [Reason.RED, Reason.CHANGED, Reason.RELEASE, Reason.OVERDUE,
                                                   Reason.NOT_REVIEWED]
    by_section = {s.reason: [p.listing_id for p in s.people] for s in agenda.sections}
    assert by_section[Reason.RED] == [people["red"].pk]
    assert by_section[Reason.CHANGED] == [people["changed"].pk]
    assert by_section[Reason.RELEASE] == [people["release"].pk]
    assert by_section[Reason.OVERDUE] == [people["overdue"].pk]
    # Yellow before green inside a section.
    assert by_section[Reason.NOT_REVIEWED] == [people["requested"].pk, people["stale"].pk]
    assert people["calm"].pk not in agenda.listing_ids
    assert [a.title for a in agenda.other_overdue] == ["Vapenkontroll utan person"]
    person = {p.listing_id: p for p in agenda.people}
    assert [a.title for a in person[people["overdue"].pk].overdue_actions] == ["Ring skolan"]
    assert len(person[people["release"].pk].releases) == 1
    assert [c.previous_rating for c in person[people["changed"].pk].changes] == [Rating.GREEN]
    assert agenda.red


def test_a_new_red_person_appears_on_the_agenda_once_with_both_reasons(world):
    meeting(world, days=-7, status=MeetingStatus.HELD)
    listed = list_person(world, rating=Rating.RED, reviewed_days_ago=1)  # newly listed: a change too
    agenda = build_agenda(forum=world.forum, access=access(world, "police"), meeting=meeting(world, days=1))
    assert agenda.listing_ids == [listed.pk]
    assert agenda.people[0].reasons == [Reason.RED, Reason.CHANGED]


def test_the_joint_picture_holds_only_what_the_viewer_may_see(world):
    people, upcoming = _agenda_world(world)
    red = people["red"]
    share(world, red, by="police", state=ShareState.APPROVED, to=("soc",), text="GODKÄNT-TILL-SOC")
    share(world, red, by="police", state=ShareState.PROPOSED, to=("soc", "probation"), text="FÖRESLAGET-HEMLIGT")
    share(world, red, by="police", state=ShareState.REFUSED, to=("soc",), text="VÄGRAT-HEMLIGT")
    share(world, red, by="police", state=ShareState.WITHDRAWN, to=("soc",), text="ÅTERKALLAT-HEMLIGT")
    share(world, red, by="probation", state=ShareState.NO_REVIEW, to=("soc", "police"), text="UTAN-PRÖVNING")
    share(world, red, by="police", state=ShareState.APPROVED, to=("soc",), text="FÖRE-FÖRRA-MÖTET", days_ago=20)

    def texts(name):
        agenda = build_agenda(forum=world.forum, access=access(world, name), meeting=upcoming)
        person = next(p for p in agenda.people if p.listing_id == red.pk)
        return {org.organisation_name: [s.text for s in org.shares] for org in person.picture}

    soc = texts("soc")
    assert soc == {world.orgs["police"].name: ["GODKÄNT-TILL-SOC"], world.orgs["probation"].name: ["UTAN-PRÖVNING"]}
    assert texts("soc_jurist") == soc  # the same organisation's jurist
    # Not a recipient: nothing of the police's.
    assert texts("probation") == {world.orgs["probation"].name: ["UTAN-PRÖVNING"]}
    assert texts("school") == {}
    # The police see all their own (with the state), and what was shared with them.
    police = texts("police")
    assert set(police[world.orgs["police"].name]) == {"GODKÄNT-TILL-SOC", "FÖRESLAGET-HEMLIGT", "VÄGRAT-HEMLIGT",
                                                      "ÅTERKALLAT-HEMLIGT"}
    assert police[world.orgs["probation"].name] == ["UTAN-PRÖVNING"]


def test_a_proposed_or_refused_share_never_reaches_another_organisations_page_or_pdf(world):
    people, upcoming = _agenda_world(world)
    red = people["red"]
    share(world, red, by="police", state=ShareState.APPROVED, to=("soc",), text="GODKANTTILLSOC")
    share(world, red, by="police", state=ShareState.PROPOSED, to=("soc",), text="FORESLAGETHEMLIGT")
    share(world, red, by="police", state=ShareState.REFUSED, to=("soc",), text="VAGRATHEMLIGT")
    page = reverse("trefas:meeting", args=[world.forum.pk, upcoming.pk])
    pdf = reverse("trefas:meeting_pdf", args=[world.forum.pk, upcoming.pk])
    for name in ("soc", "soc_jurist", "probation", "school", "city_coord", "kv_jurist"):
        client = fast_login(world.users[name])
        html = client.get(page).content.decode()
        response = client.get(pdf)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        text = pdf_text(response.content)
        assert "Röd" in text  # the agenda is in the PDF
        for secret in ("FORESLAGETHEMLIGT", "VAGRATHEMLIGT"):
            assert secret not in html, name
            assert secret not in text, name
        shown = name in ("soc", "soc_jurist")
        assert ("GODKANTTILLSOC" in html) is shown, name
        assert ("GODKANTTILLSOC" in text) is shown, name
    police = fast_login(world.users["police"]).get(pdf)
    assert "FORESLAGETHEMLIGT" in pdf_text(police.content)  # its own, marked with its state


def test_a_protected_identity_is_named_only_to_its_organisation(world):
    listed = list_person(world, rating=Rating.RED, first_name="Skyddad", protected=True)
    upcoming = meeting(world, days=0)
    for name, named in (("police", True), ("soc", False), ("city_coord", False)):
        agenda = build_agenda(forum=world.forum, access=access(world, name), meeting=upcoming)
        assert (agenda.people[0].name.startswith("Skyddad")) is named, name
    text = pdf_text(fast_login(world.users["soc"]).get(
        reverse("trefas:meeting_pdf", args=[world.forum.pk, upcoming.pk])).content)
    assert "Skyddad" not in text and f"#{listed.pk}" in text


def test_reading_the_agenda_and_its_pdf_is_audited_with_red(world):
    people, upcoming = _agenda_world(world)
    approved = share(world, people["red"], by="police", state=ShareState.APPROVED, to=("soc",), text="Godkänt")
    client = fast_login(world.users["soc"])
    assert client.get(reverse("trefas:meeting", args=[world.forum.pk, upcoming.pk])).status_code == 200
    event, detail = last_event(Action.TREFAS_MEETING_VIEWED)
    assert event.actor_id == world.users["soc"].pk and event.subject_id == str(upcoming.pk)
    assert detail["red"] is True and people["red"].pk in detail["listings"]
    assert detail["share_ids"] == [approved.pk]
    client.get(reverse("trefas:meeting_pdf", args=[world.forum.pk, upcoming.pk]))
    event, detail = last_event(Action.TREFAS_EXPORTED)
    assert detail["kind"] == "agenda_pdf" and detail["red"] is True


def test_an_agenda_without_red_people_is_not_flagged(world):
    list_person(world, rating=Rating.GREEN, reviewed_days_ago=40)
    upcoming = meeting(world, days=0)
    fast_login(world.users["soc"]).get(reverse("trefas:meeting", args=[world.forum.pk, upcoming.pk]))
    _event, detail = last_event(Action.TREFAS_MEETING_VIEWED)
    assert "red" not in detail and detail["people"] == 1


def _grow(world, n, *, seed):
    for i in range(n):
        listed = list_person(world, rating=[Rating.RED, Rating.YELLOW, Rating.GREEN][i % 3],
                             first_name=f"P{seed}x{i}", by=["police", "soc", "probation"][i % 3],
                             reviewed_days_ago=30)
        share(world, listed, by="police", state=ShareState.APPROVED, to=("soc", "probation"), text=f"S{seed}{i}a")
        share(world, listed, by="soc", state=ShareState.PROPOSED, to=("police",), text=f"S{seed}{i}b")
        share(world, listed, by="probation", state=ShareState.NO_REVIEW, to=("soc",), text=f"S{seed}{i}c")
        action(world, org="soc", listing=listed, days=-1, title=f"Åtgärd {i}")
        Release.objects.create(forum=world.forum, listing=listed, kind="leave",
                               date=timezone.localdate() + timedelta(days=3), registered_by=world.users["probation"],
                               registered_by_organisation=world.orgs["probation"])


def test_the_agenda_costs_the_same_number_of_queries_at_any_size(world):
    meeting(world, days=-7, status=MeetingStatus.HELD)
    upcoming = meeting(world, days=0)
    client = fast_login(world.users["soc"])
    url = reverse("trefas:meeting", args=[world.forum.pk, upcoming.pk])
    pdf = reverse("trefas:meeting_pdf", args=[world.forum.pk, upcoming.pk])
    client.get(url)  # warm up (session, caches)

    def count(target):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(target)
        assert response.status_code == 200
        return len(ctx.captured_queries)

    _grow(world, 2, seed="a")
    small, small_pdf = count(url), count(pdf)
    _grow(world, 15, seed="b")
    large, large_pdf = count(url), count(pdf)
    assert "Sb14a" in client.get(url).content.decode()
    assert small == large <= 25
    assert small_pdf == large_pdf


def test_every_meeting_page_is_404_for_outsiders(world):
    upcoming = meeting(world, days=0)
    args = [world.forum.pk, upcoming.pk]
    urls = [reverse(name, args=args) for name in (
        "trefas:meeting", "trefas:meeting_pdf", "trefas:meeting_cancel", "trefas:meeting_attendance",
        "trefas:meeting_discussed", "trefas:meeting_minutes", "trefas:meeting_sign", "trefas:meeting_action_new")]
    urls += [reverse("trefas:meetings", args=[world.forum.pk]), reverse("trefas:meeting_new", args=[world.forum.pk]),
             reverse("trefas:actions", args=[world.forum.pk])]
    for name in OUTSIDERS:
        client = fast_login(world.users[name])
        for url in urls:
            assert client.get(url).status_code == 404, (name, url)
            assert client.post(url, {"version": 1}).status_code in (404, 405), (name, url)


def test_another_forums_meeting_is_404(world):
    other = trefas_world(personas=("city_coord",))
    theirs = meeting(other, days=0)
    client = fast_login(world.users["soc"])
    assert client.get(reverse("trefas:meeting", args=[world.forum.pk, theirs.pk])).status_code == 404
    assert client.get(reverse("trefas:meeting", args=[other.forum.pk, theirs.pk])).status_code == 404


def test_an_old_meetings_agenda_shows_its_own_window_not_everything_since(world):
    """The joint picture and the rating changes of a held meeting end at that meeting:
    what was shared after it belongs to the next one (and three years of shares never
    land on one old agenda)."""
    meeting(world, days=-30, status=MeetingStatus.HELD)
    old = meeting(world, days=-10, status=MeetingStatus.HELD)
    red = list_person(world, rating=Rating.RED, reviewed_days_ago=40)
    share(world, red, by="police", state=ShareState.APPROVED, to=("soc",), text="INOM-FÖNSTRET", days_ago=20)
    share(world, red, by="police", state=ShareState.APPROVED, to=("soc",), text="EFTER-MÖTET", days_ago=2)

    def texts(meeting_row):
        agenda = build_agenda(forum=world.forum, access=access(world, "soc"), meeting=meeting_row)
        person = next(p for p in agenda.people if p.listing_id == red.pk)
        return [s.text for org in person.picture for s in org.shares]

    assert texts(old) == ["INOM-FÖNSTRET"]
    assert texts(meeting(world, days=1)) == ["EFTER-MÖTET"]
