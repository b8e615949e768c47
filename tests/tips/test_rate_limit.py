"""The tip form's rate limit: senders keep what they wrote, only checked tips count, and
the limiter fails closed (politely) when its cache is unreachable."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client, override_settings
from django.utils import timezone, translation

from samverkan.tips import abuse
from samverkan.tips.forms import rate_limited_error
from samverkan.tips.models import Tip, TipMessage
from tests.tips.conftest import fetch_token, receipt_code, send_tip

pytestmark = pytest.mark.django_db

IP = "203.0.113.91"
TEXT = "Det står en moped utan skyltar bakom fritidsgården varje kväll."
CONTACT = "070-000 00 00 (påhittat)"
# A Redis nobody listens on: every cache call fails as when Redis is down.
REDIS_DOWN = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "KEY_PREFIX": "samverkan",
    }
}


def _kept(html: str) -> None:
    """The form came back with everything the sender wrote or chose."""
    assert TEXT in html
    assert f'value="{CONTACT}"' in html
    assert re.search(r'<option value="husby"[^>]*selected', html)
    assert re.search(r'value="young_person"[^>]*checked', html)
    assert 'name="token" value="' in html  # a fresh token: it can be sent as it is


def test_a_sender_over_the_limit_keeps_the_text_and_learns_when_to_send(world, settings):
    settings.TIPS_RATE_LIMIT = 1
    client = Client()
    assert send_tip(client, REMOTE_ADDR=IP).status_code == 200
    refused = send_tip(client, text=TEXT, contact=CONTACT, topic="young_person", REMOTE_ADDR=IP)
    assert refused.status_code == 429
    html = refused.content.decode()
    _kept(html)
    ends = timezone.localtime(abuse.window_ends_at())
    # A window that ends after midnight (a run late in the evening) names its date too.
    when = f"from {ends:%H:%M}." if ends.date() == timezone.localdate() else f"on {ends:%Y-%m-%d} from {ends:%H:%M}."
    assert f"you can send it {when}" in html
    assert "no-store" in refused["Cache-Control"]
    assert Tip.objects.count() == 1


def test_the_refusal_is_in_every_public_language(world, settings):
    settings.TIPS_RATE_LIMIT = 1
    for language, words in [("sv", "Det du skrev finns kvar"), ("en", "What you wrote is still here"),
                            ("ar", "ما كتبته"), ("so", "Waxa aad qortay"),
                            ("sv-ll", "Din text finns kvar")]:
        client = Client(HTTP_ACCEPT_LANGUAGE=language)
        client.cookies["samverkan_language"] = language
        send_tip(client, REMOTE_ADDR=IP)
        html = send_tip(client, text=TEXT, REMOTE_ADDR=IP).content.decode()
        assert words in html, language


@translation.override("en")
def test_the_time_carries_a_date_when_it_is_not_today():
    # Noon the day after tomorrow, local time: on a whole minute, so no rounding can move
    # it across midnight (a run in the last minute of a day did with ``now`` + 2 days).
    later = (timezone.localtime() + timedelta(days=2)).replace(hour=12, minute=0, second=0, microsecond=0)
    message = " ".join(rate_limited_error(later).messages)
    assert f"on {later:%Y-%m-%d} from 12:00." in message
    # Rounded up to the next whole minute, never earlier than the window's end.
    end = datetime(2030, 5, 6, 10, 0, 30, tzinfo=UTC)
    assert f"from {timezone.localtime(end + timedelta(seconds=30)):%H:%M}" in " ".join(
        rate_limited_error(end).messages
    )


def test_forms_refused_by_the_bot_checks_do_not_spend_the_budget(client, world, settings):
    settings.TIPS_RATE_LIMIT = 1
    for _ in range(3):
        data = {"area": "husby", "topic": "crime", "text": "spam", "contact": "",
                "website": "http://spam.example", "token": fetch_token(client)}
        client.post("/tipsa/", data, REMOTE_ADDR=IP)  # honeypot filled
        send_tip(client, token="forged", REMOTE_ADDR=IP)  # no valid token
    settings.TIPS_MIN_FILL_SECONDS = 60
    send_tip(client, REMOTE_ADDR=IP)  # sent faster than a person writes
    settings.TIPS_MIN_FILL_SECONDS = 0
    assert not Tip.objects.exists()
    response = send_tip(client, REMOTE_ADDR=IP)
    assert response.status_code == 200
    receipt_code(response)
    assert Tip.objects.count() == 1


def test_forms_with_mistakes_to_correct_do_not_spend_the_budget(client, world, settings):
    settings.TIPS_RATE_LIMIT = 1
    send_tip(client, area="", REMOTE_ADDR=IP)
    send_tip(client, text="", REMOTE_ADDR=IP)
    response = send_tip(client, REMOTE_ADDR=IP)
    assert response.status_code == 200
    receipt_code(response)


def test_a_refused_look_up_keeps_the_added_text_and_shows_no_tip(world, settings):
    code = receipt_code(send_tip(Client(), REMOTE_ADDR="192.0.2.50"))
    settings.TIPS_RATE_LIMIT = 1
    client = Client()
    assert client.post("/tipsa/kvitto/", {"code": code}, REMOTE_ADDR=IP).status_code == 200
    refused = client.post("/tipsa/kvitto/", {"code": code, "text": TEXT}, REMOTE_ADDR=IP)
    assert refused.status_code == 429
    html = refused.content.decode()
    assert TEXT in html and f'value="{code}"' in html
    assert "Någon säljer narkotika" not in html  # the tip itself is not shown
    assert not TipMessage.objects.exists()


def test_when_the_cache_is_down_the_form_refuses_politely_and_keeps_the_text(
    world, caplog
):
    client = Client()
    token = fetch_token(client)
    with override_settings(CACHES=REDIS_DOWN), caplog.at_level(logging.WARNING, "samverkan.tips"):
        assert client.get("/tipsa/").status_code == 200  # the form itself still opens
        refused = send_tip(client, text=TEXT, contact=CONTACT, topic="young_person",
                           token=token, REMOTE_ADDR=IP)
        assert refused.status_code == 503
        html = refused.content.decode()
        _kept(html)
        assert "technical problem" in html and "try again in a few minutes" in html
        looked_up = client.post("/tipsa/kvitto/", {"code": "AAAA-BBBB-CCCC-DDDD", "text": TEXT},
                                REMOTE_ADDR=IP)
        assert looked_up.status_code == 503
        assert TEXT in looked_up.content.decode()
    assert not Tip.objects.exists()
    lines = [r for r in caplog.records if r.name == "samverkan.tips"]
    assert len(lines) == 2  # one line per refused request
    for record in lines:
        assert record.getMessage() == (
            "Tip channel refused a request: the rate-limit cache is unavailable (ConnectionError)"
        )
    assert IP not in caplog.text and TEXT not in caplog.text


def test_the_limiter_raises_only_for_an_unreachable_cache(settings, monkeypatch):
    """A narrow net: a programming error is not mistaken for an outage."""
    from django.core.cache import cache
    from django.test import RequestFactory

    request = RequestFactory().post("/tipsa/", REMOTE_ADDR=IP)

    def broken(*args, **kwargs):
        raise TypeError("a bug")

    monkeypatch.setattr(cache, "add", broken)
    with pytest.raises(TypeError):
        abuse.rate_limit_hit(request, scope="submit")
