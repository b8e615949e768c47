"""What requests may leave in log lines (samverkan.lib.log_privacy), checked against the
URLconf so a new tip view or token route cannot slip past the rules."""

from __future__ import annotations

import io
import logging
import re

import pytest
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from samverkan.access.guards import ATTR, PUBLIC
from samverkan.lib.log_privacy import (
    RedactPathsFilter,
    is_withheld,
    loggable_path,
    redact_text,
)

CONVERTER = re.compile(r"<(?:(?P<kind>[^>:]+):)?(?P<name>[^>]+)>")
SAMPLES = {"int": "7", "uuid": "0b8f3c1e-8a52-4c39-9d0e-2f7a6b1c9d44", "slug": "sample-slug"}


def _routes(patterns=None, prefix: str = ""):
    """(full route, view) for every URL pattern in the URLconf."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def _sample_path(route: str) -> str:
    def value(match: re.Match[str]) -> str:
        return SAMPLES.get(match["kind"] or "str", f"QX{match['name']}QX")

    return "/" + CONVERTER.sub(value, route)


@pytest.mark.parametrize(
    ("path", "logged"),
    [
        ("/omraden/husby/", "/omraden/husby/"),
        ("/omraden/husby/?q=Anna", "/omraden/husby/"),
        ("/halsa/", "/halsa/"),
        ("/", "/"),
        ("/tipsa/", None),
        ("/tipsa/kvitto/", None),
        ("/tipsa", None),
        ("//tipsa/", None),
        ("/Tipsa/", None),
        ("/tipsa/?omrade=husby", None),
        ("/tipsarna/", "/tipsarna/"),
        ("/trygghetsenkat/husby/", None),
        ("/Trygghetsenkat/husby", None),
        ("/konto/valj-losenord/MTc/c8y2mz-0a1b/", "/konto/valj-losenord/[redacted]/"),
        ("/konto/valj-losenord/MTc/valj/", "/konto/valj-losenord/[redacted]/"),
        ("//konto//valj-losenord/MTc/x/", "/konto/valj-losenord/[redacted]/"),
        ("/konto/valj-losenord/", "/konto/valj-losenord/"),
        ("/konto/logga-in/", "/konto/logga-in/"),
    ],
)
def test_loggable_path(path, logged):
    assert loggable_path(path) == logged


def test_redact_text_in_free_text():
    assert redact_text("Forbidden (CSRF cookie not set.): /tipsa/") == (
        "Forbidden (CSRF cookie not set.): [withheld]"
    )
    assert redact_text("Internal Server Error: /tipsa/kvitto/?x=1") == "Internal Server Error: [withheld]"
    assert redact_text("'GET /konto/valj-losenord/MTc/c8y2mz-0a1b/ HTTP/1.1'") == (
        "'GET /konto/valj-losenord/[redacted]/ HTTP/1.1'"
    )
    untouched = "Not Found: /omraden/husby/ and /tipsarna/"
    assert redact_text(untouched) == untouched


def test_every_public_tip_view_is_withheld_and_every_token_route_redacted():
    routes = list(_routes())
    tip_views = [(r, v) for r, v in routes if (v.__module__ == "samverkan.tips.views"
                 or f"{v.__module__}.{v.__qualname__}" == "samverkan.public.views.poll")
                 and getattr(v, ATTR, None) == PUBLIC]
    assert len(tip_views) >= 3
    for route, _view in tip_views:
        assert is_withheld(_sample_path(route)), route
    token_routes = [r for r, _v in routes
                    if any("token" in m["name"] or m["name"].startswith("uid")
                           for m in CONVERTER.finditer(r))]
    assert token_routes, "expected the set-password link among the routes"
    for route in token_routes:
        sample = _sample_path(route)
        logged = loggable_path(sample)
        assert logged is not None and "QX" not in logged, (route, logged)
        assert "QX" not in redact_text(f"GET {sample} HTTP/1.1"), route


def _console_output(request_fn) -> str:
    """What the application's console handler (settings.LOGGING) writes during the call."""
    handler = next(h for h in logging.getLogger().handlers
                   if any(isinstance(f, RedactPathsFilter) for f in h.filters))
    assert isinstance(handler, logging.StreamHandler)
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    try:
        request_fn()
    finally:
        handler.setStream(previous)
    return buffer.getvalue()


@pytest.mark.django_db
def test_djangos_own_lines_withhold_tip_and_token_paths():
    client = Client(enforce_csrf_checks=True)
    output = _console_output(lambda: client.post("/tipsa/", {"text": "x"}))
    assert "Forbidden (CSRF cookie not set.): [withheld]" in output
    assert "/tipsa" not in output


@pytest.mark.django_db
def test_a_server_error_on_a_token_path_is_logged_without_the_token(monkeypatch):
    from samverkan.accounts import selectors

    detail = "QX-detail"  # a traceback quotes source lines, so not written inline

    def broken(**kwargs):
        raise RuntimeError(detail)

    monkeypatch.setattr(selectors, "user_from_password_link", broken)
    client = Client(raise_request_exception=False)
    with override_settings(DEBUG_PROPAGATE_EXCEPTIONS=False):
        output = _console_output(
            lambda: client.get("/konto/valj-losenord/MTc/c8y2mz-QXtokenQX/")
        )
    assert "Internal Server Error: /konto/valj-losenord/[redacted]/" in output
    assert "QXtokenQX" not in output and "/MTc/" not in output and "QX-detail" not in output
