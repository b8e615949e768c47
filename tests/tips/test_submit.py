"""The public tip form: storage, receipt codes, anonymity, abuse resistance."""

from __future__ import annotations

import logging
import re
import time

import pytest
from django.core import signing
from django.core.cache import cache
from django.db import models
from django.test import Client

from samverkan.audit.models import AuditEvent
from samverkan.tips import receipt
from samverkan.tips.models import Tip, TipMessage, TipRecipient
from tests.tips.conftest import TOKEN_RE, fetch_token, receipt_code, send_tip

pytestmark = pytest.mark.django_db

IP = "203.0.113.77"
FORWARDED_IP = "198.51.100.23"
AGENT = "Mozilla/5.0 (Marker-Agent-QX9)"


def test_a_tip_is_stored_routed_and_gets_a_receipt_code(client, world):
    response = send_tip(client)
    assert response.status_code == 200
    code = receipt_code(response)
    assert re.fullmatch(r"[A-HJKMNP-Z2-9]{4}(-[A-HJKMNP-Z2-9]{4}){3}", code)
    tip = Tip.objects.get()
    assert tip.area == world["husby"] and tip.topic == "crime"
    # Only a keyed hash of the code is stored.
    assert code not in tip.receipt_hash and code.replace("-", "") not in tip.receipt_hash
    assert tip.receipt_hash == receipt.code_hash(code)
    assert set(TipRecipient.objects.values_list("organisation__short_code", flat=True)) == {"lpo-test"}
    # The response is never cached anywhere.
    assert "no-store" in response["Cache-Control"]


def test_receipt_codes_are_random_and_normalised():
    codes = {receipt.new_code() for _ in range(500)}
    assert len(codes) == 500
    code = codes.pop()
    assert receipt.code_hash(code.lower().replace("-", " ")) == receipt.code_hash(code)
    assert receipt.normalise("ABCD-EFGH-IJKL-MNOP") is None  # I, L, O never occur
    assert receipt.code_hash("too-short") is None


def test_anonymity_no_ip_agent_or_time_in_row_logs_audit_or_cache(client, world, caplog, settings):
    settings.SAMVERKAN_TRUSTED_PROXY_COUNT = 1
    caplog.set_level(logging.DEBUG)
    audit_before = AuditEvent.objects.count()
    response = send_tip(client, text="Det luktar cannabis i trapphuset.", REMOTE_ADDR=IP,
                        HTTP_USER_AGENT=AGENT, HTTP_X_FORWARDED_FOR=FORWARDED_IP)
    code = receipt_code(response)
    client.post("/tipsa/kvitto/", {"code": code, "text": "Mer info."}, REMOTE_ADDR=IP, HTTP_USER_AGENT=AGENT,
                HTTP_X_FORWARDED_FOR=FORWARDED_IP)
    tip = Tip.objects.get()
    # 1. The schema has no place for a time of day, and no column holds the markers.
    for model in (Tip, TipMessage, TipRecipient):
        for field in model._meta.get_fields():
            assert not isinstance(field, models.DateTimeField | models.TimeField), f"{model.__name__}.{field.name}"
    row_values = " ".join(str(v) for v in Tip.objects.filter(pk=tip.pk).values().get().values())
    message_values = " ".join(str(v) for row in TipMessage.objects.values() for v in row.values())
    for marker in (IP, FORWARDED_IP, AGENT, "Marker-Agent"):
        assert marker not in row_values and marker not in message_values
    assert tip.received_on.isoformat() in row_values  # a date, nothing finer
    # 2. No log record mentions them.
    assert caplog.records is not None
    for record in caplog.records:
        text = record.getMessage() + repr(record.args) + repr(getattr(record, "request", ""))
        for marker in (IP, FORWARDED_IP, "Marker-Agent"):
            assert marker not in text, record.name
    # 3. The sender's actions leave no audit row (its exact time would re-identify).
    assert AuditEvent.objects.count() == audit_before
    # 4. The rate-limit cache holds digests, never the address.
    locmem = getattr(cache, "_cache", {})
    assert locmem, "expected rate-limit entries in the local-memory cache"
    for key, value in locmem.items():
        assert IP not in str(key) and FORWARDED_IP not in str(key)
        assert IP.encode() not in (value if isinstance(value, bytes) else str(value).encode())


def test_receipt_code_opens_the_tip_and_shows_replies_but_not_who_replied(client, world):
    from samverkan.tips import services

    code = receipt_code(send_tip(client))
    tip = Tip.objects.get()
    services.tip_reply(actor=world["police_coordinator"], tip=tip, text="Tack, vi har tittat på det.")
    response = client.post("/tipsa/kvitto/", {"code": code.lower().replace("-", " ")})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tack, vi har tittat på det." in html
    assert world["police_coordinator"].last_name not in html
    assert world["police"].name not in html
    assert "no-store" in response["Cache-Control"]
    # Add information.
    response = client.post("/tipsa/kvitto/", {"code": code, "text": "Det var en blå bil."})
    assert "Det var en blå bil." in response.content.decode()
    assert TipMessage.objects.filter(tip=tip, author_kind="sender").count() == 1


def test_wrong_receipt_code_reveals_nothing(client, world):
    send_tip(client)
    response = client.post("/tipsa/kvitto/", {"code": "AAAA-BBBB-CCCC-DDDD"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "narkotika" not in html
    assert 'class="error"' in html


def test_code_is_never_in_a_url_or_cookie(client, world):
    response = send_tip(client)
    code = receipt_code(response)
    assert not response.cookies.get("sessionid") and not response.cookies.get("samverkan_session")
    for value in response.cookies.values():
        assert code not in value.value
    assert code not in response.get("Location", "")


def test_honeypot_refuses_the_form_without_blaming_the_sender(client, world):
    data = {"area": "husby", "topic": "crime", "text": "spam", "website": "http://spam.example",
            "token": fetch_token(client)}
    response = client.post("/tipsa/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert not Tip.objects.exists()
    assert "Check what you wrote and send the form again." in html
    # No error on the hidden field, nothing about bots, and what was written comes back.
    assert "Leave this field empty." not in html and 'href="#id_website"' not in html
    assert "spam</textarea>" in html
    # Sent again without the hidden field filled, the same tip is stored.
    data.update(website="", token=TOKEN_RE.search(html).group(1))
    assert receipt_code(client.post("/tipsa/", data))
    assert Tip.objects.count() == 1


def test_an_empty_form_names_each_field_and_says_nothing_about_bots(client, world, settings):
    # A person who presses "send" at once: quicker than the bot check allows.
    settings.TIPS_MIN_FILL_SECONDS = 60
    response = client.post("/tipsa/", {"area": "", "text": "", "contact": "", "website": "",
                                       "token": fetch_token(client)})
    html = response.content.decode()
    assert response.status_code == 200
    assert not Tip.objects.exists()
    summary = html[html.index('class="error-summary"'):html.index("</ul>", html.index('class="error-summary"'))]
    assert '<a href="#id_area">Choose which area it is about.</a>' in summary
    assert '<a href="#id_topic">Choose what it is about.</a>' in summary
    assert '<a href="#id_text">Enter what you want to tell us.</a>' in summary
    assert summary.count("<li>") == 3
    for bot_words in ("too quickly", "This field is required", "Check what you wrote", "expired"):
        assert bot_words not in html
    # Each message also stands at its own field, tied to the input for screen readers.
    assert 'id="id_text_error"' in html and 'aria-describedby="id_text_hint id_text_error"' in html


def test_too_long_text_says_which_field_and_how_long(client, world):
    response = send_tip(client, text="x" * 5001, contact="y" * 301)
    html = response.content.decode()
    assert "What you want to tell us must be 5000 characters or fewer (it is 5001)." in html
    assert "Contact details must be 300 characters or fewer (they are 301)." in html
    assert not Tip.objects.exists()


def test_tampered_missing_and_reused_tokens_are_refused(client, world):
    token = fetch_token(client)
    assert send_tip(client, token=token + "x").status_code == 200
    assert send_tip(client, token="").status_code == 200
    forged = signing.dumps({"t": int(time.time()) - 100, "n": "forged"}, salt="wrong-salt")
    send_tip(client, token=forged)
    assert not Tip.objects.exists()
    send_tip(client, token=token)
    send_tip(client, token=token)  # replay of a spent token
    assert Tip.objects.count() == 1


def test_a_form_sent_too_fast_is_refused_and_the_sender_asked_to_send_again(client, world, settings):
    settings.TIPS_MIN_FILL_SECONDS = 60
    response = send_tip(client)
    html = response.content.decode()
    assert not Tip.objects.exists()
    assert "Check what you wrote and send the form again." in html
    assert "too quickly" not in html
    assert "Någon säljer narkotika vid torget." in html  # what they wrote is kept
    # Sent again with the fresh token once enough time has passed, it is stored.
    settings.TIPS_MIN_FILL_SECONDS = 0
    send_tip(client, token=TOKEN_RE.search(html).group(1))
    assert Tip.objects.count() == 1


def test_an_expired_form_is_refused(client, world, settings, monkeypatch):
    token = fetch_token(client)
    real = time.time
    monkeypatch.setattr(signing.time, "time", lambda: real() + 3 * 3600)
    send_tip(client, token=token)
    assert not Tip.objects.exists()


def test_size_limits(client, world):
    send_tip(client, text="x" * 5001)
    send_tip(client, text="ok", contact="y" * 301)
    assert not Tip.objects.exists()
    send_tip(client, text="x" * 5000, contact="y" * 300)
    assert Tip.objects.count() == 1


def test_rate_limit_refuses_a_client_without_storing_its_address(world, settings):
    settings.TIPS_RATE_LIMIT = 2
    client = Client()
    for _ in range(2):
        assert send_tip(client, REMOTE_ADDR=IP).status_code == 200
    refused = send_tip(client, REMOTE_ADDR=IP)
    assert refused.status_code == 429
    assert "112" in refused.content.decode()
    assert Tip.objects.count() == 2
    # Another client is not affected.
    assert send_tip(Client(), REMOTE_ADDR="192.0.2.1").status_code == 200
    assert Tip.objects.count() == 3
    # Receipt look-ups are limited the same way (brute force).
    for _ in range(2):
        Client().post("/tipsa/kvitto/", {"code": "AAAA-BBBB-CCCC-DDDD"}, REMOTE_ADDR="192.0.2.9")
    assert Client().post("/tipsa/kvitto/", {"code": "AAAA-BBBB-CCCC-DDDD"},
                         REMOTE_ADDR="192.0.2.9").status_code == 429
    for key in getattr(cache, "_cache", {}):
        assert IP not in str(key)


def test_rate_limit_window_key_rotates(world, settings, monkeypatch):
    from samverkan.tips import abuse

    settings.TIPS_RATE_WINDOW_SECONDS = 60
    from django.test import RequestFactory

    req = RequestFactory().post("/tipsa/", REMOTE_ADDR=IP)
    first = abuse.client_digest(req)
    assert first == abuse.client_digest(req)
    real = time.time
    monkeypatch.setattr(abuse.time, "time", lambda: real() + 120)
    assert abuse.client_digest(req) != first  # a new window: a new random key


def test_unknown_area_or_topic_is_a_validation_error(client, world):
    assert send_tip(client, area="finns-inte").status_code == 200
    assert send_tip(client, topic="bomb").status_code == 200
    assert not Tip.objects.exists()


def test_csrf_is_required(world):
    client = Client(enforce_csrf_checks=True)
    token = fetch_token(client)
    response = client.post("/tipsa/", {"area": "husby", "topic": "crime", "text": "x", "token": token})
    assert response.status_code == 403
    assert not Tip.objects.exists()
