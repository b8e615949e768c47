"""The user's notices: unread first, mark as read (one's own only), only in forums the
user still takes part in, the count on the Trefas start page; a notice names only its
kind and forum and links to the record's page (which checks access itself)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from samverkan.trefas.models import ForumMember, Notice, NoticeKind, Rating
from tests.conftest import fast_login
from tests.trefas.world import list_person, trefas_world

pytestmark = pytest.mark.django_db

NOTICES = "/trefas/notiser/"


@pytest.fixture
def world():
    return trefas_world()


def _notice(world, who, listing, *, kind=NoticeKind.RED_RATING, minutes_ago=0, read=False):
    notice = Notice.objects.create(user=world.users[who], forum=world.forum, kind=kind, listing=listing,
                                   read_at=timezone.now() if read else None)
    Notice.objects.filter(pk=notice.pk).update(created_at=timezone.now() - timedelta(minutes=minutes_ago))
    return notice


def test_unread_first_with_kind_forum_and_link_only(world):
    listing = list_person(world, rating=Rating.RED, first_name="Inget")
    _notice(world, "soc", listing, kind=NoticeKind.REVIEW_DUE, minutes_ago=1, read=True)
    _notice(world, "soc", listing, kind=NoticeKind.RED_RATING, minutes_ago=30)
    response = fast_login(world.users["soc"]).get(NOTICES)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.index("A person was rated red") < body.index("A rating is due for review")
    assert world.forum.name in body
    assert reverse("trefas:person", args=[world.forum.pk, listing.pk]) in body
    assert "Inget" not in body and listing.person.last_name not in body


def test_mark_one_and_all_as_read_only_ones_own(world):
    listing = list_person(world)
    mine = _notice(world, "soc", listing)
    mine2 = _notice(world, "soc", listing, kind=NoticeKind.REVIEW_DUE)
    theirs = _notice(world, "police", listing)
    client = fast_login(world.users["soc"])
    assert client.post(reverse("trefas:notices_read"), {"notice": theirs.pk}).status_code == 302
    theirs.refresh_from_db()
    assert theirs.read_at is None  # another user's notice is never touched
    client.post(reverse("trefas:notices_read"), {"notice": mine.pk})
    mine.refresh_from_db()
    mine2.refresh_from_db()
    assert mine.read_at is not None and mine2.read_at is None
    client.post(reverse("trefas:notices_read"), {"notice": "x\u00e9"})  # nonsense marks nothing
    mine2.refresh_from_db()
    assert mine2.read_at is None
    client.post(reverse("trefas:notices_read"), {"all": "1"})
    mine2.refresh_from_db()
    theirs.refresh_from_db()
    assert mine2.read_at is not None and theirs.read_at is None


def test_unread_count_on_the_start_page(world):
    listing = list_person(world)
    _notice(world, "probation", listing)
    _notice(world, "probation", listing, kind=NoticeKind.REVIEW_DUE)
    _notice(world, "probation", listing, read=True)
    body = fast_login(world.users["probation"]).get("/trefas/").content.decode()
    assert "2 unread notices" in body
    assert "unread notice" not in fast_login(world.users["school"]).get("/trefas/").content.decode()


def test_notices_of_a_forum_one_left_are_not_shown(world):
    listing = list_person(world)
    _notice(world, "school", listing)
    ForumMember.objects.filter(user=world.users["school"]).update(active=False)
    body = fast_login(world.users["school"]).get(NOTICES).content.decode()
    assert world.forum.name not in body
    assert "unread notice" not in fast_login(world.users["school"]).get("/trefas/").content.decode()


def test_outsiders_see_no_notices_of_the_forum(world):
    listing = list_person(world)
    _notice(world, "soc", listing)
    for name in ("sig_coord", "skarholmen", "tax"):
        response = fast_login(world.users[name]).get(NOTICES)
        assert response.status_code == 200
        assert world.forum.name not in response.content.decode()


def test_the_link_leads_to_a_page_that_checks_access(world):
    listing = list_person(world, by="police")
    notice = _notice(world, "school", listing)
    client = fast_login(world.users["school"])
    assert client.get(reverse("trefas:person", args=[world.forum.pk, listing.pk])).status_code == 200
    ForumMember.objects.filter(user=world.users["school"]).update(active=False)
    assert client.get(reverse("trefas:person", args=[world.forum.pk, notice.listing_id])).status_code == 404
