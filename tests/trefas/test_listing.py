"""The list: every member sees it, outsiders get 404 everywhere; protected identities and
the nominating organisation's reference; filters and order; a fixed query count;
nominating, rating (optimistic locking, red → notices and an e-mail without personal
data), removing, and the automatic review of anyone not discussed for two cycles."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from samverkan.audit.actions import Action
from samverkan.audit.models import AuditEvent
from samverkan.directory.models import Area
from samverkan.lib.identity_numbers import make_fictitious, parse
from samverkan.people.models import IdentityKind, Person
from samverkan.trefas.models import ForumMember, Listing, Notice, NoticeKind, Rating, RatingChange
from samverkan.trefas.services.listing import request_review, review_due
from tests.conftest import fast_login
from tests.trefas.world import MEMBERS, OUTSIDERS, list_person, trefas_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    w = trefas_world()
    w.forum.areas.add(Area.objects.get(code="husby"))
    return w


def _forum_url(world):
    return reverse("trefas:forum", args=[world.forum.pk])


def _pages(world, listing):
    f, listing_id = world.forum.pk, listing.pk
    return [
        reverse("trefas:forum", args=[f]),
        reverse("trefas:nominate", args=[f]),
        reverse("trefas:person", args=[f, listing_id]),
        reverse("trefas:rate", args=[f, listing_id]),
        reverse("trefas:remove", args=[f, listing_id]),
    ]


def _identity(age=19, serial=500):
    today = timezone.localdate()
    return make_fictitious(today.replace(year=today.year - age) - timedelta(days=40), serial)


def _nominate_data(**overrides):
    data = {
        "identity": _identity(), "first_name": "Nominerad", "last_name": "Fiktivsson",
        "area": Area.objects.get(code="husby").pk, "nomination_reason": "Kartlagd i nätverket",
        "source_reference": "K-2026-1", "rating": Rating.YELLOW, "rating_reason": "Hot i området",
    }
    data.update(overrides)
    return data


# --- Who sees what ---------------------------------------------------------------------


def test_every_member_sees_the_list(world):
    listing = list_person(world, first_name="Synlig")
    for name in MEMBERS:
        response = fast_login(world.users[name]).get(_forum_url(world))
        assert response.status_code == 200, name
        assert "Synlig" in response.content.decode(), name
        assert reverse("trefas:person", args=[world.forum.pk, listing.pk]) in response.content.decode()


def test_outsiders_get_404_on_every_page_and_post(world):
    listing = list_person(world)
    for name in OUTSIDERS:
        client = fast_login(world.users[name])
        for url in _pages(world, listing):
            assert client.get(url).status_code == 404, (name, url)
            assert client.post(url, {"rating": "red", "rating_reason": "x", "version": 1,
                                     "reason": "xxxxx", "confirm": "on"}).status_code in (404, 405), (name, url)
        assert client.post(reverse("trefas:nominate", args=[world.forum.pk]), _nominate_data()).status_code == 404
    listing.refresh_from_db()
    assert listing.rating == Rating.YELLOW and listing.removed_at is None
    assert Listing.objects.count() == 1


def test_a_listing_of_another_forum_is_404(world):
    other = trefas_world(personas=("police",))
    theirs = list_person(other)
    client = fast_login(world.users["police"])
    assert client.get(reverse("trefas:person", args=[world.forum.pk, theirs.pk])).status_code == 404
    assert client.get(reverse("trefas:rate", args=[world.forum.pk, theirs.pk])).status_code == 404


def test_protected_identity_is_named_only_to_its_organisation(world):
    list_person(world, by="police", first_name="Hemlig", protected=True)
    police = fast_login(world.users["police"]).get(_forum_url(world)).content.decode()
    assert "Hemlig" in police
    for name in ("soc", "school", "city_coord", "police_jurist", "soc_jurist"):
        page = fast_login(world.users[name]).get(_forum_url(world)).content.decode()
        if name == "police_jurist":
            assert "Hemlig" in page  # the same organisation's record
            continue
        assert "Hemlig" not in page, name
        assert "Protected identity" in page, name


def test_source_reference_only_to_the_nominating_organisation(world):
    list_person(world, by="police")
    assert "TEST-REF-1" in fast_login(world.users["police"]).get(_forum_url(world)).content.decode()
    for name in ("soc", "probation", "city_coord", "school"):
        assert "TEST-REF-1" not in fast_login(world.users[name]).get(_forum_url(world)).content.decode(), name


def test_red_first_and_flags(world):
    list_person(world, rating=Rating.GREEN, first_name="Gron")
    list_person(world, rating=Rating.RED, first_name="Rod")
    list_person(world, rating=Rating.YELLOW, first_name="Gammal", reviewed_days_ago=30)
    asked = list_person(world, rating=Rating.YELLOW, first_name="Fragad")
    request_review(listing=asked, reason="incident")
    page = fast_login(world.users["soc"]).get(_forum_url(world)).content.decode()
    assert page.index("Rod") < page.index("Gammal") < page.index("Gron")
    assert page.index("Rod") < page.index("Fragad") < page.index("Gron")
    assert "Not reviewed for one cycle" in page
    assert "Linked to an incident" in page  # the reason in words

    client = fast_login(world.users["soc"])

    def names(**params):
        body = client.get(_forum_url(world), params).content.decode()
        return {n for n in ("Gron", "Rod", "Gammal", "Fragad") if n in body}

    assert names(rating="red") == {"Rod"}
    assert names(rating="green") == {"Gron"}
    assert names(flag="not_reviewed") == {"Gammal"}
    assert names(flag="review_requested") == {"Fragad"}
    assert names(rating="purple", flag="x\u00e9") == {"Gron", "Rod", "Gammal", "Fragad"}  # invalid: no filter
    assert client.get(_forum_url(world), {"rating": "9" * 500}).status_code == 200


def test_list_query_count_does_not_grow(world, django_assert_max_num_queries):
    client = fast_login(world.users["soc"])
    for _ in range(3):
        list_person(world, rating=Rating.RED)
    client.get(_forum_url(world))  # warm caches (session, permissions)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(_forum_url(world)).status_code == 200
    for n in range(27):
        list_person(world, rating=Rating.GREEN if n % 2 else Rating.YELLOW, protected=n % 5 == 0)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(_forum_url(world)).status_code == 200
    with CaptureQueriesContext(connection) as large:
        client.get(_forum_url(world))
    assert len(large.captured_queries) == len(small.captured_queries)


def test_list_view_is_audited_with_counts_and_red(world):
    list_person(world, rating=Rating.RED)
    list_person(world, rating=Rating.GREEN)
    fast_login(world.users["probation"]).get(_forum_url(world))
    event = AuditEvent.objects.filter(action=Action.TREFAS_LIST_VIEWED).latest("seq")
    assert event.actor_id == world.users["probation"].pk
    assert event.subject_id == str(world.forum.pk)
    assert json.loads(event.detail)["shown"] == 2 and json.loads(event.detail)["red"] is True
    fast_login(world.users["probation"]).get(_forum_url(world), {"rating": "green"})
    event = AuditEvent.objects.filter(action=Action.TREFAS_LIST_VIEWED).latest("seq")
    assert json.loads(event.detail)["shown"] == 1 and "red" not in json.loads(event.detail)


# --- Nominating ------------------------------------------------------------------------


def test_a_member_nominates_a_person_as_own_record(world):
    client = fast_login(world.users["police"])
    response = client.post(reverse("trefas:nominate", args=[world.forum.pk]), _nominate_data())
    assert response.status_code == 302, response.content.decode()[:3000]
    listing = Listing.objects.get(forum=world.forum)
    assert listing.person.organisation == world.orgs["police"]
    assert listing.nominated_by_organisation == world.orgs["police"]
    assert listing.rating == Rating.YELLOW and listing.source_reference == "K-2026-1"
    assert listing.person.birth_date == parse(_nominate_data()["identity"]).birth_date
    assert RatingChange.objects.filter(listing=listing).count() == 1
    event = AuditEvent.objects.filter(action=Action.TREFAS_LISTED).latest("seq")
    assert event.subject_id == str(listing.pk) and json.loads(event.detail)["forum"] == world.forum.pk
    assert "Nominerad" not in str(event.detail)


def test_nomination_reuses_the_organisations_own_record(world):
    identity = _identity(serial=321)
    existing = Person.objects.create(
        organisation=world.orgs["soc"], identity_number=identity, identity_kind=IdentityKind.PERSONNUMMER,
        first_name="Befintlig", last_name="Post", birth_date=timezone.localdate() - timedelta(days=7000),
        is_fictitious=True,
    )
    other_org = Person.objects.create(
        organisation=world.orgs["police"], identity_number=identity, identity_kind=IdentityKind.PERSONNUMMER,
        first_name="Polisens", last_name="Post", birth_date=existing.birth_date, is_fictitious=True,
    )
    client = fast_login(world.users["soc"])
    response = client.post(reverse("trefas:nominate", args=[world.forum.pk]), _nominate_data(identity=identity))
    assert response.status_code == 302
    listing = Listing.objects.get(forum=world.forum)
    assert listing.person == existing
    assert Person.objects.filter(identity_number=identity).count() == 2
    assert listing.person != other_org


def test_listed_once_per_forum(world):
    client = fast_login(world.users["police"])
    url = reverse("trefas:nominate", args=[world.forum.pk])
    assert client.post(url, _nominate_data()).status_code == 302
    response = client.post(url, _nominate_data(first_name="Igen"))
    assert response.status_code == 400
    assert "already on the forum&#x27;s list" in response.content.decode()
    assert Listing.objects.filter(forum=world.forum).count() == 1


def test_invalid_identity_number_is_a_form_error_and_saves_nothing(world):
    client = fast_login(world.users["police"])
    good = _identity()
    bad = good[:-1] + str((int(good[-1]) + 1) % 10)
    people_before = Person.objects.count()
    response = client.post(reverse("trefas:nominate", args=[world.forum.pk]), _nominate_data(identity=bad))
    assert response.status_code == 400
    body = response.content.decode()
    assert "check digit is wrong" in body
    assert "Hot i området" in body  # what was entered is kept
    assert Person.objects.count() == people_before
    assert not Listing.objects.exists()


def test_birth_date_must_match_the_identity_number(world):
    client = fast_login(world.users["police"])
    response = client.post(reverse("trefas:nominate", args=[world.forum.pk]),
                           _nominate_data(birth_date="2001-01-01"))
    assert response.status_code == 400
    assert "does not match the identity number" in response.content.decode()
    assert not Listing.objects.exists()


def test_area_must_be_one_of_the_forums(world):
    other_area = Area.objects.exclude(code="husby").first()
    client = fast_login(world.users["police"])
    response = client.post(reverse("trefas:nominate", args=[world.forum.pk]), _nominate_data(area=other_area.pk))
    assert response.status_code == 400
    assert not Listing.objects.exists()


def test_jurists_cannot_nominate(world):
    for name in ("soc_jurist", "police_jurist"):
        client = fast_login(world.users[name])
        assert client.get(reverse("trefas:nominate", args=[world.forum.pk])).status_code == 403
        assert client.post(reverse("trefas:nominate", args=[world.forum.pk]), _nominate_data()).status_code == 403
    assert not Listing.objects.exists()


def test_jurists_do_not_see_the_nominate_or_rate_links(world):
    list_person(world)
    page = fast_login(world.users["soc_jurist"]).get(_forum_url(world)).content.decode()
    assert reverse("trefas:nominate", args=[world.forum.pk]) not in page
    assert "/bedom/" not in page


# --- Rating ----------------------------------------------------------------------------


def test_rating_writes_history_and_clears_the_review_request(world):
    listing = list_person(world, rating=Rating.YELLOW, reviewed_days_ago=40)
    request_review(listing=listing, reason="manual")
    client = fast_login(world.users["probation"])
    url = reverse("trefas:rate", args=[world.forum.pk, listing.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"rating": "yellow", "rating_reason": "Bekräftad", "version": listing.version + 0})
    listing.refresh_from_db()
    # request_review does not bump the version: the form's version is still current.
    assert response.status_code == 302, response.content.decode()[:2000]
    assert listing.rating_reason == "Bekräftad"
    assert listing.review_requested_at is None and listing.review_request_reason == ""
    assert listing.rating_reviewed_at > timezone.now() - timedelta(minutes=1)
    changes = list(RatingChange.objects.filter(listing=listing))
    assert len(changes) == 2 and changes[0].previous_rating == "yellow"
    assert AuditEvent.objects.filter(action=Action.TREFAS_RATED, subject_id=str(listing.pk)).exists()


def test_concurrent_rating_is_a_conflict_and_loses_nothing(world):
    listing = list_person(world, rating=Rating.YELLOW)
    url = reverse("trefas:rate", args=[world.forum.pk, listing.pk])
    loaded = listing.version
    first = fast_login(world.users["police"]).post(url, {"rating": "green", "rating_reason": "Lugnare",
                                                          "version": loaded})
    assert first.status_code == 302
    second = fast_login(world.users["soc"]).post(url, {"rating": "red", "rating_reason": "Skott i helgen",
                                                        "version": loaded})
    assert second.status_code == 409
    body = second.content.decode()
    assert "Someone else rated this person" in body
    assert "Skott i helgen" in body  # the second editor's words are kept
    listing.refresh_from_db()
    assert listing.rating == Rating.GREEN and listing.rating_reason == "Lugnare"
    assert RatingChange.objects.filter(listing=listing).count() == 2  # the initial and the first
    assert not Notice.objects.exists()
    # Saving again is a deliberate choice with the stored version.
    third = fast_login(world.users["soc"]).post(url, {"rating": "red", "rating_reason": "Skott i helgen",
                                                       "version": listing.version})
    assert third.status_code == 302
    listing.refresh_from_db()
    assert listing.rating == Rating.RED


def test_red_rating_notifies_every_member_without_personal_data(world, django_capture_on_commit_callbacks):
    for user in world.users.values():
        user.email = f"u{user.pk}@example.org"
        user.save(update_fields=["email"])
    listing = list_person(world, rating=Rating.YELLOW, first_name="Namnet")
    person = listing.person
    ForumMember.objects.filter(user=world.users["prison"]).update(active=False)  # left the forum
    url = reverse("trefas:rate", args=[world.forum.pk, listing.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = fast_login(world.users["police"]).post(
            url, {"rating": "red", "rating_reason": "Hemligt skäl om skjutning", "version": listing.version})
    assert response.status_code == 302
    active_members = {world.users[n].pk for n in MEMBERS if n != "prison"}
    notices = Notice.objects.filter(kind=NoticeKind.RED_RATING, listing=listing)
    assert {n.user_id for n in notices} == active_members
    assert notices.count() == len(active_members)
    assert len(mail.outbox) == len(active_members)
    assert {m.to[0] for m in mail.outbox} == {world.users[n].email for n in MEMBERS if n != "prison"}
    for message in mail.outbox:
        text = message.subject + message.body
        for secret in (person.first_name, person.last_name, person.identity_number, person.identity_number[2:],
                       "Hemligt skäl", "skjutning", str(listing.pk) + "/"):
            assert secret not in text
        assert world.forum.name in text and "/trefas/" in text
    event = AuditEvent.objects.filter(action=Action.TREFAS_NOTIFIED).latest("seq")
    assert json.loads(event.detail)["notices"] == len(active_members) and json.loads(event.detail)["red"] is True
    # Confirming red again sends nothing new.
    listing.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        fast_login(world.users["police"]).post(url, {"rating": "red", "rating_reason": "Kvar",
                                                     "version": listing.version})
    assert len(mail.outbox) == len(active_members)


def test_no_email_when_the_rating_fails(world, django_capture_on_commit_callbacks):
    listing = list_person(world, rating=Rating.YELLOW)
    url = reverse("trefas:rate", args=[world.forum.pk, listing.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = fast_login(world.users["police"]).post(url, {"rating": "red", "rating_reason": "x",
                                                                "version": listing.version + 5})
    assert response.status_code == 409
    assert mail.outbox == [] and not Notice.objects.exists()


def test_jurists_and_schools_rate_per_role(world):
    listing = list_person(world)
    url = reverse("trefas:rate", args=[world.forum.pk, listing.pk])
    assert fast_login(world.users["soc_jurist"]).get(url).status_code == 403
    assert fast_login(world.users["soc_jurist"]).post(
        url, {"rating": "red", "rating_reason": "x", "version": listing.version}).status_code == 403
    listing.refresh_from_db()
    assert listing.rating == Rating.YELLOW


# --- Removing ----------------------------------------------------------------------------


def test_removal_needs_confirmation_and_the_right_organisation(world):
    listing = list_person(world, by="police")
    url = reverse("trefas:remove", args=[world.forum.pk, listing.pk])
    # Another member organisation (not nominating, not a coordinator) may not.
    assert fast_login(world.users["soc"]).get(url).status_code == 403
    police = fast_login(world.users["police"])
    page = police.get(url)
    assert page.status_code == 200 and "cannot be undone" in page.content.decode()
    unconfirmed = police.post(url, {"reason": "Flyttat från området", "version": listing.version})
    assert unconfirmed.status_code == 400
    listing.refresh_from_db()
    assert listing.removed_at is None
    done = police.post(url, {"reason": "Flyttat från området", "confirm": "on", "version": listing.version})
    assert done.status_code == 302
    listing.refresh_from_db()
    assert listing.removed_at is not None and listing.removal_reason == "Flyttat från området"
    assert AuditEvent.objects.filter(action=Action.TREFAS_REMOVED, subject_id=str(listing.pk)).exists()
    # Gone from the list; the person page only for the nominating organisation.
    assert "Testperson" not in fast_login(world.users["soc"]).get(_forum_url(world)).content.decode()
    person_url = reverse("trefas:person", args=[world.forum.pk, listing.pk])
    assert fast_login(world.users["soc"]).get(person_url).status_code == 404
    assert police.get(person_url).status_code == 200
    # and can be nominated anew
    assert police.post(reverse("trefas:nominate", args=[world.forum.pk]), _nominate_data(
        identity=listing.person.identity_number)).status_code == 302


def test_the_coordinator_may_remove(world):
    listing = list_person(world, by="police")
    url = reverse("trefas:remove", args=[world.forum.pk, listing.pk])
    response = fast_login(world.users["city_coord"]).post(
        url, {"reason": "Beslut på mötet", "confirm": "on", "version": listing.version})
    assert response.status_code == 302
    listing.refresh_from_db()
    assert listing.removed_at is not None


# --- The automatic review -------------------------------------------------------------


def test_review_job_marks_exactly_those_not_discussed_for_two_cycles(world):
    today = timezone.localdate()
    cycles = 2 * world.forum.cadence_days
    old_never = list_person(world, first_name="A")
    Listing.objects.filter(pk=old_never.pk).update(listed_at=timezone.now() - timedelta(days=cycles + 1))
    new_never = list_person(world, first_name="B")  # listed today
    discussed_long_ago = list_person(world, first_name="C")
    Listing.objects.filter(pk=discussed_long_ago.pk).update(
        listed_at=timezone.now() - timedelta(days=200), last_discussed_on=today - timedelta(days=cycles + 1))
    discussed_lately = list_person(world, first_name="D")
    Listing.objects.filter(pk=discussed_lately.pk).update(
        listed_at=timezone.now() - timedelta(days=200), last_discussed_on=today - timedelta(days=cycles - 1))
    removed = list_person(world, first_name="E")
    Listing.objects.filter(pk=removed.pk).update(listed_at=timezone.now() - timedelta(days=200),
                                                  removed_at=timezone.now())
    already = list_person(world, first_name="F")
    Listing.objects.filter(pk=already.pk).update(listed_at=timezone.now() - timedelta(days=200))
    request_review(listing=already, reason="incident")
    Notice.objects.all().delete()

    result = review_due()
    marked = set(Listing.objects.filter(review_request_reason="not_discussed").values_list("pk", flat=True))
    assert marked == {old_never.pk, discussed_long_ago.pk}
    assert result["listings"] == 2
    assert Listing.objects.get(pk=already.pk).review_request_reason == "incident"
    for untouched in (new_never, discussed_lately, removed):
        assert Listing.objects.get(pk=untouched.pk).review_requested_at is None
    coordinators = {world.users["city_coord"].pk}
    notices = Notice.objects.filter(kind=NoticeKind.REVIEW_DUE)
    assert {n.user_id for n in notices} == coordinators
    assert {n.listing_id for n in notices} == marked
    # Idempotent: a second run marks and notifies nothing more.
    assert review_due()["listings"] == 0
    assert Notice.objects.filter(kind=NoticeKind.REVIEW_DUE).count() == 2


def test_review_job_is_registered_and_scheduled():
    from samverkan.jobs import registry, schedule

    assert registry.get("trefas.review_due")
    assert any(e.kind == "trefas.review_due" for e in schedule.SCHEDULE)


def test_request_review_is_idempotent_and_tells_coordinators(world):
    listing = list_person(world)
    assert request_review(listing=listing, reason="incident") is True
    assert request_review(listing=listing, reason="incident") is False
    assert Notice.objects.filter(kind=NoticeKind.REVIEW_DUE, user=world.users["city_coord"]).count() == 1
    with pytest.raises(ValueError):
        request_review(listing=listing, reason="no such reason")


def test_nominating_someone_red_notifies_the_members(world, django_capture_on_commit_callbacks):
    world.users["soc"].email = "soc@example.org"
    world.users["soc"].save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        response = fast_login(world.users["police"]).post(
            reverse("trefas:nominate", args=[world.forum.pk]), _nominate_data(rating=Rating.RED))
    assert response.status_code == 302
    listing = Listing.objects.get(forum=world.forum)
    assert Notice.objects.filter(kind=NoticeKind.RED_RATING, listing=listing).count() == len(MEMBERS)
    assert len(mail.outbox) == len(MEMBERS) and ["soc@example.org"] in [m.to for m in mail.outbox]
    for message in mail.outbox:
        assert "Nominerad" not in message.subject + message.body
        assert "Fiktivsson" not in message.subject + message.body
