"""A proxy in front while TRUSTED_PROXY_COUNT=0: one warning per process, no address."""

from __future__ import annotations

import logging

import pytest
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db

FORWARDED = "198.51.100.61, 203.0.113.200"


def _warnings(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if "TRUSTED_PROXY_COUNT=0" in r.getMessage()]


@override_settings(SAMVERKAN_TRUSTED_PROXY_COUNT=0)
def test_forwarded_for_without_trusted_proxies_warns_once_without_the_address(caplog):
    client = Client()  # a fresh handler: middleware built as at a process's start
    with caplog.at_level(logging.WARNING, logger="samverkan.access"):
        assert client.get("/halsa/").status_code == 200
        assert not _warnings(caplog)
        for _ in range(3):
            client.get("/halsa/", HTTP_X_FORWARDED_FOR=FORWARDED)
            client.get("/omraden/", HTTP_X_FORWARDED_FOR=FORWARDED)
    warnings = _warnings(caplog)
    assert len(warnings) == 1
    assert warnings[0].levelno == logging.WARNING
    text = caplog.text
    assert "198.51.100.61" not in text and "203.0.113.200" not in text


@override_settings(SAMVERKAN_TRUSTED_PROXY_COUNT=1)
def test_no_warning_when_the_proxy_is_trusted(caplog):
    with caplog.at_level(logging.WARNING, logger="samverkan.access"):
        Client().get("/halsa/", HTTP_X_FORWARDED_FOR=FORWARDED)
    assert not _warnings(caplog)
