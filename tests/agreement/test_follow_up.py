"""Follow-up meetings and the follow-up report: each meeting records every commitment's
status (the history), moves the current status, closes read only after a confirmation;
the report (HTML and PDF) shows the statuses over the meetings per problem and party, the
promises with their latest progress, the presence and the forums' decisions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from samverkan.agreement.models import (
    CitizenPromise,
    CollaborationForum,
    CommitmentReview,
    FollowUpMeeting,
    ForumDecision,
    ForumSession,
    PromiseProgress,
)
from samverkan.agreement.services import follow_up as services
from samverkan.audit.actions import Action
from samverkan.audit.models import AuditEvent
from tests.agreement.agreement_world import add_commitment, build_agreement_world, sign_directly
from tests.documents import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    w = build_agreement_world()
    sign_directly(w, w.jarva)
    return w


def _record(client, agreement, meeting, statuses, *, notes="", participants=(), evidence=None):
    meeting.refresh_from_db()
    data = {"version": meeting.version, "notes": notes, "participants": list(participants)}
    for commitment, status in statuses.items():
        data[f"status_{commitment.pk}"] = status
        data[f"evidence_{commitment.pk}"] = (evidence or {}).get(commitment, "")
    return client.post(reverse("agreement:follow_up", args=[agreement.pk, meeting.pk]), data)


def test_meetings_record_each_commitments_status_over_time(world, login):
    jarva = world.jarva
    walks = add_commitment(world, jarva, "jarva", "Trygghetsvandringar", problem=world.jarva_problem)
    patrol = add_commitment(world, jarva, "police_rinkeby", "Fotpatrull vid torget", problem=world.jarva_problem)
    client = login(world["jarva_coord"])
    first_day = timezone.localdate() - timedelta(days=60)
    response = client.post(reverse("agreement:follow_up_new", args=[jarva.pk]), {"held_on": first_day.isoformat()})
    assert response.status_code == 302
    first = FollowUpMeeting.objects.get(agreement=jarva)
    response = _record(client, jarva, first, {walks: "ongoing", patrol: "delayed"}, notes="Första uppföljningen",
                       participants=[world.local.orgs["jarva"].pk, world.local.orgs["police_rinkeby"].pk],
                       evidence={walks: "Två vandringar"})
    assert response.status_code == 302
    assert set(first.participants.values_list("pk", flat=True)) == {world.local.orgs["jarva"].pk,
                                                                     world.local.orgs["police_rinkeby"].pk}
    client.post(reverse("agreement:follow_up_new", args=[jarva.pk]), {"held_on": timezone.localdate().isoformat()})
    second = FollowUpMeeting.objects.filter(agreement=jarva).latest("held_on")
    assert _record(client, jarva, second, {walks: "done", patrol: "ongoing"}).status_code == 302
    walks.refresh_from_db()
    patrol.refresh_from_db()
    assert (walks.status, patrol.status) == ("done", "ongoing")
    # Correcting the older meeting keeps the history and does not move the current status back.
    assert _record(client, jarva, first, {walks: "not_started", patrol: "delayed"}).status_code == 302
    walks.refresh_from_db()
    assert walks.status == "done"
    history = list(CommitmentReview.objects.filter(commitment=walks).order_by("meeting__held_on")
                   .values_list("status", flat=True))
    assert history == ["not_started", "done"]
    assert AuditEvent.objects.filter(action=Action.AGREEMENT_FOLLOW_UP_RECORDED).count() >= 5


def test_closing_the_record_makes_it_read_only(world, login):
    jarva = world.jarva
    walks = add_commitment(world, jarva, "jarva")
    meeting = services.meeting_create(actor=world["jarva_coord"], access=world.access("jarva_coord"),
                                      agreement=jarva, held_on=timezone.localdate())
    client = login(world["jarva_coord"])
    _record(client, jarva, meeting, {walks: "ongoing"})
    close = reverse("agreement:follow_up_close", args=[jarva.pk, meeting.pk])
    assert "can never be changed" in client.get(close).content.decode()
    meeting.refresh_from_db()
    assert client.post(close, {"version": meeting.version}).status_code == 302
    meeting.refresh_from_db()
    assert meeting.closed
    page = client.get(reverse("agreement:follow_up", args=[jarva.pk, meeting.pk])).content.decode()
    assert 'name="notes"' not in page and "Ongoing" in page
    _record(client, jarva, meeting, {walks: "done"})
    assert CommitmentReview.objects.get(meeting=meeting).status == "ongoing"
    with pytest.raises(ValidationError):
        services.meeting_record(actor=world["jarva_coord"], access=world.access("jarva_coord"), agreement=jarva,
                                meeting=meeting, reviews={walks.pk: services.ReviewInput("done", "")}, notes="",
                                participants=[], expected_version=meeting.version)
    assert AuditEvent.objects.filter(action=Action.AGREEMENT_FOLLOW_UP_CLOSED, subject_id=str(jarva.pk)).exists()


def test_follow_up_needs_a_signed_agreement_and_a_manager(world, login):
    with pytest.raises(ValidationError):
        services.meeting_create(actor=world["city_coord"], access=world.access("city_coord"), agreement=world.city,
                                held_on=timezone.localdate())  # the city-wide one is still a draft
    url = reverse("agreement:follow_up_new", args=[world.jarva.pk])
    assert login(world["jarva_staff"]).get(url).status_code == 403
    assert login(world["police_skarholmen"]).get(url).status_code == 404
    meeting = services.meeting_create(actor=world["jarva_coord"], access=world.access("jarva_coord"),
                                      agreement=world.jarva, held_on=timezone.localdate())
    # A reader sees the record but cannot post to it.
    staff = login(world["jarva_staff"])
    page = reverse("agreement:follow_up", args=[world.jarva.pk, meeting.pk])
    assert staff.get(page).status_code == 200
    assert staff.post(page, {"version": meeting.version, "notes": "x"}).status_code == 403


def test_a_concurrent_record_answers_409_and_keeps_the_input(world, login):
    jarva = world.jarva
    walks = add_commitment(world, jarva, "jarva")
    meeting = services.meeting_create(actor=world["jarva_coord"], access=world.access("jarva_coord"),
                                      agreement=jarva, held_on=timezone.localdate())
    url = reverse("agreement:follow_up", args=[jarva.pk, meeting.pk])
    stale = {"version": meeting.version, "notes": "Mina anteckningar", f"status_{walks.pk}": "done",
             f"evidence_{walks.pk}": ""}
    assert _record(login(world["city_coord"]), jarva, meeting, {walks: "ongoing"}).status_code == 302
    response = login(world["jarva_coord"]).post(url, stale)
    assert response.status_code == 409
    assert "Mina anteckningar" in response.content.decode()


def _fill(world):
    jarva = world.jarva
    walks = add_commitment(world, jarva, "jarva", "Trygghetsvandringar", problem=world.jarva_problem)
    add_commitment(world, jarva, "police_rinkeby", "Samverkan med skolor")
    meeting = services.meeting_create(actor=world["jarva_coord"], access=world.access("jarva_coord"),
                                      agreement=jarva, held_on=timezone.localdate())
    services.meeting_record(actor=world["jarva_coord"], access=world.access("jarva_coord"), agreement=jarva,
                            meeting=meeting, reviews={walks.pk: services.ReviewInput("delayed", "Väntar på budget")},
                            notes="", participants=[], expected_version=meeting.version)
    promise = CitizenPromise.objects.create(area=world.local.areas["husby"], agreement=jarva, title="Tryggare torg",
                                            text="Vi lovar…", period="2026")
    PromiseProgress.objects.create(promise=promise, recorded_on=timezone.localdate() - timedelta(days=30),
                                   state="behind", public_text="Senare än planerat")
    PromiseProgress.objects.create(promise=promise, recorded_on=timezone.localdate(), state="on_track",
                                   public_text="Går enligt plan nu")
    forum = CollaborationForum.objects.create(agreement=jarva, name="Näringslivsforum Järva", purpose="Trygg handel")
    session = ForumSession.objects.create(forum=forum, held_on=timezone.localdate())
    ForumDecision.objects.create(session=session, text="Bättre belysning vid torget",
                                 organisation=world.local.orgs["shop"])


def test_the_report_renders_as_a_page_and_a_pdf(world, login):
    _fill(world)
    client = login(world["jarva_staff"])
    response = client.get(reverse("agreement:report", args=[world.jarva.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    for text in ("Otrygghet vid torget", "Trygghetsvandringar", "Delayed", "Not tied to a prioritised problem",
                 "Samverkan med skolor", "Going as planned", "Går enligt plan nu", "Bättre belysning vid torget",
                 "Näringslivsforum Järva"):
        assert text in page, text
    assert "Senare än planerat" not in page  # only the latest progress
    assert AuditEvent.objects.filter(action=Action.AGREEMENT_REPORT_VIEWED, subject_id=str(world.jarva.pk)).exists()
    response = client.get(reverse("agreement:report_pdf", args=[world.jarva.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    for printed in ("Otrygghet vid torget", "Trygghetsvandringar", "Väntar på budget", "Går enligt plan nu",
                    "Bättre belysning vid torget"):
        assert printed in text, printed
    assert str(world.jarva.pk) in response["Content-Disposition"]
    assert AuditEvent.objects.filter(action=Action.AGREEMENT_REPORT_EXPORTED, subject_id=str(world.jarva.pk)).exists()
    assert login(world["police_skarholmen"]).get(reverse("agreement:report_pdf", args=[world.jarva.pk])
                                                 ).status_code == 404


def test_the_report_costs_the_same_at_any_size(world, login, django_assert_max_num_queries):
    client = login(world["jarva_coord"])
    url = reverse("agreement:report", args=[world.jarva.pk])
    _fill(world)
    client.get(url)
    with django_assert_max_num_queries(40) as small:
        client.get(url)
    _fill(world)  # twice the meetings, commitments, promises, forums and decisions
    for i in range(4):
        add_commitment(world, world.jarva, "jarva", f"Åtagande {i}", problem=world.city_problem)
    with django_assert_max_num_queries(40) as large:
        client.get(url)
    assert len(small.captured_queries) == len(large.captured_queries)


def test_an_invalid_record_is_shown_again_with_the_problem(world, login):
    walks = add_commitment(world, world.jarva, "jarva")
    meeting = services.meeting_create(actor=world["jarva_coord"], access=world.access("jarva_coord"),
                                      agreement=world.jarva, held_on=timezone.localdate())
    response = login(world["jarva_coord"]).post(reverse("agreement:follow_up", args=[world.jarva.pk, meeting.pk]), {
        "version": meeting.version, "notes": "Kvar", f"status_{walks.pk}": "no-such-status"})
    page = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in page and "Kvar" in page
    assert not CommitmentReview.objects.filter(meeting=meeting).exists()


def test_a_meeting_of_another_agreement_is_not_found_under_this_one(world, login):
    sign_directly(world, world.city)
    other = services.meeting_create(actor=world["city_coord"], access=world.access("city_coord"),
                                    agreement=world.city, held_on=timezone.localdate())
    client = login(world["city_coord"])
    assert client.get(reverse("agreement:follow_up", args=[world.jarva.pk, other.pk])).status_code == 404
    assert client.get(reverse("agreement:follow_up_close", args=[world.jarva.pk, other.pk])).status_code == 404
    assert client.get(reverse("agreement:follow_up", args=[world.city.pk, other.pk])).status_code == 200


def test_those_present_are_among_the_agreements_parties(world):
    meeting = services.meeting_create(actor=world["jarva_coord"], access=world.access("jarva_coord"),
                                      agreement=world.jarva, held_on=timezone.localdate())
    with pytest.raises(ValidationError):
        services.meeting_record(actor=world["jarva_coord"], access=world.access("jarva_coord"), agreement=world.jarva,
                                meeting=meeting, reviews={}, notes="", participants=[world.local.orgs["tax"]],
                                expected_version=meeting.version)
    assert not meeting.participants.exists()
