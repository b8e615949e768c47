"""The area page says ONE thing about each group's state (public.selectors.group_status),
and an Arabic page keeps numbers and Swedish-only text in their own direction."""

from __future__ import annotations

import re
from datetime import time

import pytest
from django.test import Client
from django.urls import reverse

from samverkan.actiongroups.models import ActionGroup, GroupStatus
from samverkan.public.selectors import content_language_attrs, group_status

OPEN = {"has_premises": True, "around_the_clock": False, "opens_at": time(8), "closes_at": time(20),
        "on_duty": 2, "now": time(12)}


@pytest.mark.parametrize(("changes", "state", "words"), [
    ({"status": GroupStatus.FORMING}, "forming", "being set up and is not open yet"),
    ({"status": GroupStatus.FORMING, "around_the_clock": True}, "forming", "not open yet"),
    ({"status": GroupStatus.PAUSED}, "paused", "closed for now"),
    ({"has_premises": False}, "no_premises", "no premises to visit yet"),
    ({"opens_at": None, "closes_at": None}, "no_hours", "opening hours are not set yet"),
    ({"now": time(21)}, "closed_now", "Closed right now. Open every day 08:00–20:00."),
    ({"now": time(7, 59)}, "closed_now", "Closed right now."),
    ({}, "open_staffed", "Open now, and the agencies have staff here."),
    ({"around_the_clock": True, "opens_at": None, "closes_at": None, "now": time(3)}, "open_staffed", "Open now"),
    ({"on_duty": 0}, "open_unstaffed", "no one from the agencies is on duty"),
    ({"opens_at": time(22), "closes_at": time(6), "now": time(2)}, "open_staffed", "Open now"),
    ({"opens_at": time(22), "closes_at": time(6), "now": time(12)}, "closed_now", "Closed right now"),
])
def test_one_status_per_state(changes, state, words):
    line = group_status(**{"status": GroupStatus.OPERATING, **OPEN, **changes})
    assert line.state == state
    assert words in line.sentence


def test_swedish_only_text_is_marked_on_other_languages_only():
    assert content_language_attrs("sv") == ""
    assert content_language_attrs("sv-ll") == ""
    for lang in ("en", "ar", "so"):
        assert content_language_attrs(lang) == ' lang="sv" dir="ltr"'


def _page(area, lang: str) -> str:
    client = Client()
    client.cookies["samverkan_language"] = lang
    return client.get(reverse("public:area", args=[area.code])).content.decode()


@pytest.mark.django_db
def test_a_group_being_set_up_says_so_once_and_nothing_contradicts_it(public_area):
    ActionGroup.objects.update(status=GroupStatus.FORMING)
    html = _page(public_area, "en")
    assert html.count('class="status ') == 1
    assert "The group is being set up and is not open yet." in html
    for contradiction in ("Open 24 hours", "on duty", "Who is here right now", "Visit us at the address"):
        assert contradiction not in html, contradiction


@pytest.mark.django_db
def test_an_open_staffed_group_says_open_now_once(public_area):
    html = _page(public_area, "en")
    assert re.findall(r'<p class="status status-(\w+)">', html) == ["open_staffed"]
    assert "no one from the agencies is on duty" not in html
    assert "Polismyndigheten: 2" in html


@pytest.mark.django_db
def test_arabic_page_isolates_phone_numbers_and_marks_swedish_text(public_area):
    html = _page(public_area, "ar")
    assert 'dir="rtl"' in html
    assert '<a href="tel:0812345678" dir="ltr"><bdi dir="ltr">08-123 456 78</bdi></a>' in html
    assert '<bdi dir="ltr">2025–2026</bdi>' in html  # the promise's period
    # The promise exists in Swedish only: marked as Swedish, written left to right.
    assert '<h3 lang="sv" dir="ltr">Tryggare torg</h3>' in html
    assert '<p lang="sv" dir="ltr">Vi finns på torget varje kväll.</p>' in html
    assert '<p class="address" lang="sv" dir="ltr">Husby torg 1</p>' in html
    # On the Swedish page nothing needs marking.
    swedish = _page(public_area, "sv")
    assert '<h3>Tryggare torg</h3>' in swedish and 'lang="sv" dir="ltr">Tryggare' not in swedish
