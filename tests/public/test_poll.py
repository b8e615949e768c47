"""The anonymous "how safe does the area feel" poll: privacy as the tip form (no
address, no browser detail, no time finer than the ISO week, no access-log line, no
audit row), the tip form's bot checks and rate limit, small-number suppression of the
results, the cache cleared by a new answer, and an accessible form."""

from __future__ import annotations

import logging
import re
from datetime import date, timedelta

import pytest
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from samverkan.access import guards
from samverkan.audit.models import AuditEvent
from samverkan.followup.suppression import THRESHOLD
from samverkan.lib.log_privacy import is_withheld, loggable_path, redact_text
from samverkan.public import selectors, views
from samverkan.public.models import SafetyPollAnswer
from samverkan.public.services import week_start
from samverkan.tips import abuse
from tests.factories import AreaFactory

pytestmark = pytest.mark.django_db

IP = "203.0.113.77"
FORWARDED_IP = "198.51.100.23"
AGENT = "Mozilla/5.0 Poll-Marker-Agent"
TOKEN_RE = re.compile(r'name="token" value="([^"]+)"')


@pytest.fixture(autouse=True)
def _fast_forms(settings):
    settings.TIPS_MIN_FILL_SECONDS = 0
    settings.TIPS_RATE_LIMIT = 1000


@pytest.fixture
def area():
    return AreaFactory(code="husby", name="Husby")


def _url(area) -> str:
    return reverse("public:poll", args=[area.code])


def _token(client, area) -> str:
    response = client.get(_url(area))
    assert response.status_code == 200
    return TOKEN_RE.search(response.content.decode()).group(1)


def answer(client, area, *, day="4", evening="2", website="", token=None, **extra):
    data = {"day_score": day, "evening_score": evening, "website": website,
            "token": token if token is not None else _token(client, area)}
    return client.post(_url(area), data, **extra)


def test_the_poll_is_public_and_its_path_leaves_no_log_line(area):
    assert "samverkan.public.views.poll" in guards.PUBLIC_VIEWS
    assert guards.guard_level(views.poll) == guards.PUBLIC
    assert _url(area) == "/trygghetsenkat/husby/"
    assert is_withheld(_url(area)) and loggable_path(_url(area)) is None
    assert redact_text(f"Forbidden (CSRF cookie not set.): {_url(area)}") == (
        "Forbidden (CSRF cookie not set.): [withheld]"
    )


def test_the_form_is_never_cached_and_is_structured_for_assistive_technology(client, area):
    response = client.get(_url(area))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert html.count("<fieldset") == 2 and html.count("<legend>") == 2
    # Every radio button has its own label; no free-text input but the hidden honeypot.
    radios = re.findall(r'<input type="radio"[^>]*id="([^"]+)"', html)
    assert len(radios) == 10
    for radio_id in radios:
        assert f'<label for="{radio_id}">' in html
    assert "<textarea" not in html
    text_inputs = re.findall(r'<input type="text"[^>]*>', html)
    assert len(text_inputs) == 1 and 'name="website"' in text_inputs[0]
    assert re.search(r'<div class="hp" aria-hidden="true">', html)
    assert 'tabindex="-1"' in text_inputs[0]


def test_an_answer_stores_only_the_area_the_week_and_the_scores(client, area, caplog, settings):
    settings.SAMVERKAN_TRUSTED_PROXY_COUNT = 1
    caplog.set_level(logging.DEBUG)
    audit_before = AuditEvent.objects.count()
    response = answer(client, area, REMOTE_ADDR=IP, HTTP_USER_AGENT=AGENT, HTTP_X_FORWARDED_FOR=FORWARDED_IP)
    assert response.status_code == 200
    assert "Thank you for your answer" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    # 1. The table has no place for anything else, and no time finer than a date.
    columns = {f.column for f in SafetyPollAnswer._meta.concrete_fields}
    assert columns == {"id", "area_id", "week_start", "day_score", "evening_score"}
    for field in SafetyPollAnswer._meta.get_fields():
        assert not isinstance(field, models.DateTimeField | models.TimeField), field.name
    row = SafetyPollAnswer.objects.values().get()
    monday = week_start(timezone.localdate())
    assert row == {"id": row["id"], "area_id": area.pk, "week_start": monday, "day_score": 4, "evening_score": 2}
    assert monday.weekday() == 0
    # 2. No log record mentions the address, the forwarded address or the browser.
    for record in caplog.records:
        text = record.getMessage() + repr(record.args) + repr(getattr(record, "request", ""))
        for marker in (IP, FORWARDED_IP, "Poll-Marker-Agent"):
            assert marker not in text, record.name
    # 3. No audit row (its exact time would say when someone answered).
    assert AuditEvent.objects.count() == audit_before


def test_the_week_is_the_iso_weeks_monday():
    assert week_start(date(2026, 12, 7)) == date(2026, 12, 7)  # a Monday
    assert week_start(date(2026, 12, 13)) == date(2026, 12, 7)  # the Sunday after
    assert week_start(date(2027, 1, 1)) == date(2026, 12, 28)  # ISO week 53 of 2026


def test_a_sender_over_the_rate_limit_is_refused_and_keeps_the_choices(area, settings):
    settings.TIPS_RATE_LIMIT = 1
    client = Client()
    assert answer(client, area, REMOTE_ADDR=IP).status_code == 200
    refused = answer(client, area, day="5", evening="1", REMOTE_ADDR=IP)
    assert refused.status_code == 429
    html = refused.content.decode()
    assert re.search(r'name="day_score" value="5" id="[^"]+" checked', html)
    assert re.search(r'name="evening_score" value="1" id="[^"]+" checked', html)
    assert "no-store" in refused["Cache-Control"]
    assert SafetyPollAnswer.objects.count() == 1
    # Another connection is not held back.
    assert answer(Client(), area, REMOTE_ADDR="192.0.2.44").status_code == 200
    assert SafetyPollAnswer.objects.count() == 2


def test_the_poll_and_the_tip_form_count_separately(area, settings):
    settings.TIPS_RATE_LIMIT = 1
    client = Client()
    assert answer(client, area, REMOTE_ADDR=IP).status_code == 200
    assert abuse.rate_limit_hit(_request(IP), scope="submit") is False  # the tip budget is untouched


def _request(ip):
    from django.test import RequestFactory

    return RequestFactory().post("/", REMOTE_ADDR=ip)


def test_an_unreachable_limiter_refuses_politely(client, area, monkeypatch):
    def down(*args, **kwargs):
        raise abuse.LimiterUnavailable

    token = _token(client, area)
    monkeypatch.setattr(abuse, "rate_limit_hit", down)
    response = answer(client, area, token=token)
    assert response.status_code == 503
    assert not SafetyPollAnswer.objects.exists()


def test_bots_are_refused_honeypot_and_spent_token(client, area):
    assert answer(client, area, website="http://spam.example").status_code == 200
    assert not SafetyPollAnswer.objects.exists()
    token = _token(client, area)
    assert "Thank you" in answer(client, area, token=token).content.decode()
    again = answer(client, area, token=token)
    assert "already been sent" in again.content.decode()
    forged = answer(client, area, token="bogus")
    assert forged.status_code == 200 and "The form has expired" in forged.content.decode()
    assert SafetyPollAnswer.objects.count() == 1


@pytest.mark.parametrize(("day", "evening"), [("", "3"), ("3", ""), ("0", "3"), ("6", "3"), ("x", "3")])
def test_a_score_outside_1_to_5_is_refused(client, area, day, evening):
    response = answer(client, area, day=day, evening=evening)
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not SafetyPollAnswer.objects.exists()


def test_an_unknown_area_is_404(client, area):
    assert client.get("/trygghetsenkat/finns-inte/").status_code == 404


def _answers(area, n, *, week=None, day=4, evening=2):
    monday = week or week_start(timezone.localdate())
    SafetyPollAnswer.objects.bulk_create(
        SafetyPollAnswer(area=area, week_start=monday, day_score=day, evening_score=evening) for _ in range(n)
    )


def test_the_threshold_is_the_projects_small_number_threshold():
    assert selectors.POLL_MIN_ANSWERS == THRESHOLD


def test_results_below_the_threshold_show_no_numbers(client, area):
    other = AreaFactory(code="bredang", name="Bredäng")
    _answers(area, THRESHOLD - 1, day=5, evening=5)
    _answers(other, 10)  # another area's answers do not count
    _answers(area, 10, week=week_start(timezone.localdate()) - timedelta(weeks=4))  # too old
    results = selectors.poll_results(area)
    assert results.shown is False and results.answers == 0 and results.rows == ()
    html = client.get(reverse("public:area", args=[area.code])).content.decode()
    assert "Too few people have answered" in html
    assert "<table" not in html and "5.0" not in html and "100 %" not in html


def test_results_from_the_threshold_are_shown_as_a_table_in_plain_words(client, area):
    monday = week_start(timezone.localdate())
    _answers(area, 3, week=monday, day=5, evening=2)
    _answers(area, 2, week=monday - timedelta(weeks=3), day=2, evening=4)  # the oldest week still counted
    results = selectors.poll_results(area)
    assert results.shown and results.answers == 5
    day, evening = results.rows
    assert (round(day.average, 1), day.safe_percent) == (3.8, 60)
    assert (round(evening.average, 1), evening.safe_percent) == (2.8, 40)
    html = client.get(reverse("public:area", args=[area.code]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "5 people answered in the last four weeks." in html
    assert '<caption id="poll-caption">' in html and '<th scope="row">During the day</th>' in html
    assert "60 %" in html and "40 %" in html


def test_a_new_answer_clears_the_cached_area_page(area, django_capture_on_commit_callbacks):
    _answers(area, THRESHOLD - 1)
    page = Client()
    url = reverse("public:area", args=[area.code])
    assert "Too few people" in page.get(url).content.decode()
    assert page.get(url)["X-Public-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        assert answer(Client(), area).status_code == 200
    response = page.get(url)
    assert response.get("X-Public-Cache") is None
    assert "Too few people" not in response.content.decode()
    assert "<table" in response.content.decode()


def test_the_area_page_links_to_the_poll(client, area):
    html = client.get(reverse("public:area", args=[area.code])).content.decode()
    assert f'href="{_url(area)}"' in html


@pytest.mark.parametrize("lang", ["sv", "en", "ar", "so", "sv-ll"])
def test_the_poll_works_in_every_public_language(area, lang):
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    response = client.get(_url(area))
    assert response.status_code == 200 and response["Content-Language"] == lang
    assert answer(client, area).status_code == 200
