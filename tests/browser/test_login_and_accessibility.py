"""Login with two-factor in a real browser, and axe (WCAG 2.1 AA) on every page the
demo personas can reach."""

from __future__ import annotations

import base64
import re
from urllib.parse import urlsplit

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from samverkan.demo.localpicture import LOCAL_PICTURE_PERSONAS
from samverkan.demo.personas import PERSONAS
from samverkan.demo.trefas.staff import TREFAS_PERSONAS
from tests.browser.conftest import assert_accessible, axe_violations_and_links, load_demo_database, login
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_with_two_factor(live_server, page_factory):
    user = UserFactory(roles=["caseworker"])
    page = page_factory()
    page.goto(f"{live_server.url}/konto/logga-in/")
    assert page.locator("html").get_attribute("lang") == "sv"
    assert_accessible(page)

    page.fill("#id_username", user.username)
    page.fill("#id_password", "wrong-password-123")
    page.click("main button[type=submit]")
    expect(page.locator(".govuk-error-summary")).to_be_visible()  # waits for the answer to the POST
    assert_accessible(page)

    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/konto/tvastegsverifiering/**")
    assert_accessible(page)

    page.fill("#id_token", "000000" if _code(user) != "000000" else "111111")
    page.click("main button[type=submit]")
    expect(page.locator(".govuk-error-message")).to_be_visible()
    assert_accessible(page)

    # django-otp throttles after a wrong code (1 s after the first failure).
    page.wait_for_timeout(1100)
    page.fill("#id_token", _code(user))
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    expect(page.locator("h1")).to_be_visible()
    assert_accessible(page)


def _code(user) -> str:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_enrolment_shows_qr_and_recovery_codes(live_server, page_factory):
    user = UserFactory(roles=["coordinator"], totp=False)
    page = page_factory()
    page.goto(f"{live_server.url}/konto/logga-in/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/konto/tvastegsverifiering/registrera/**")
    assert page.locator(".sv-qr svg").count() == 1
    assert_accessible(page)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    shown_key = page.locator("#secret-key .sv-mono").inner_text().replace(" ", "")
    assert shown_key == base64.b32encode(device.bin_key).decode()
    page.fill("#id_token", f"{totp(device.bin_key):06d}")
    page.click("main button[type=submit]")
    codes = page.locator("[data-testid=recovery-codes] li")
    expect(codes).to_have_count(10)  # after the answer to the POST
    assert_accessible(page)
    page.click("text=continue >> nth=0") if page.locator("text=continue").count() else page.click(".govuk-button")
    page.wait_for_url(f"{live_server.url}/")


# Links a crawler must not follow: they change state or download files.
_SKIP = ("/logga-ut", "export", ".csv", ".pdf", "/static/")
# A page's shape: its path with ids and public ids as placeholders, its query's keys
# without their values. The crawler opens one page per shape and persona: forty people
# on a list are one template, and the limit then reaches more kinds of page.
_ID_SEGMENT = re.compile(r"/(\d+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?=/|$)")


def _shape(target: str) -> str:
    parts = urlsplit(target)
    keys = sorted({pair.split("=", 1)[0] for pair in parts.query.split("&") if pair})
    return _ID_SEGMENT.sub("/{id}", parts.path) + ("?" + "&".join(keys) if keys else "")


def _crawl(page, base_url: str, limit: int) -> list[str]:
    seen: set[str] = set()
    queue = ["/"]
    visited = []
    failures = []
    while queue and len(visited) < limit:
        path = queue.pop(0)
        if _shape(path) in seen:
            continue
        seen.add(_shape(path))
        response = page.goto(base_url + path)
        assert response is not None and response.status < 400, f"{path} answered {response and response.status}"
        visited.append(path)
        violations, hrefs = axe_violations_and_links(page)
        if violations:
            failures.append((path, violations))
        for href in hrefs:
            parts = urlsplit(href)
            if parts.netloc or not parts.path.startswith("/") or any(s in href for s in _SKIP):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if _shape(target) not in seen and target not in queue:
                queue.append(target)
    assert not failures, f"axe WCAG 2.1 AA violations: {failures}"
    return visited


# Every persona's pages, in four shares of the personas so that pytest-xdist runs them on
# different workers (one test over all fourteen took longer than the rest of the suite).
# Each share loads the demo itself: a live-server test starts from an empty database.
# Three of the Trefas forum's staff are crawled too, for the forum's pages with the demo's
# data: the coordinator (meetings, agenda, actions), the police (the list, groups, their
# shares) and the police's jurist (the review queue). All seven added half again to the
# crawl's time; the other four reach the same kinds of page.
TREFAS_CRAWLED = ("trefas.samordnare", "trefas.polis", "trefas.jurist.polis")
# Two of the local picture's five: Järva's trygghetssamordnare (the picture, the weekly
# meeting, crime prevention, the agreement) and the housing company's reporter (an external
# reporter's few pages); the city's coordinator and the police reach the same kinds of page.
LOCAL_PICTURE_CRAWLED = ("trygghet.jarva", "trygghet.bostad")
_CRAWLED = [
    *PERSONAS,
    *(p for p in TREFAS_PERSONAS if p.username in TREFAS_CRAWLED),
    *(p for p in LOCAL_PICTURE_PERSONAS if p.username in LOCAL_PICTURE_CRAWLED),
]
_SHARES = 4
_PERSONA_SHARES = [_CRAWLED[i::_SHARES] for i in range(_SHARES)]


def test_the_shares_cover_every_persona_once():
    names = [p.username for share in _PERSONA_SHARES for p in share]
    assert sorted(names) == sorted([*(p.username for p in PERSONAS), *TREFAS_CRAWLED, *LOCAL_PICTURE_CRAWLED])
    assert len(set(names)) == len(names)


@pytest.mark.slow
@pytest.mark.parametrize("share", range(_SHARES), ids=lambda i: f"share{i + 1}of{_SHARES}")
def test_every_page_demo_personas_reach_is_accessible(live_server, page_factory, share):
    from samverkan.accounts.models import User

    load_demo_database()
    personas = _PERSONA_SHARES[share]
    total = 0
    for persona in personas:
        user = User.objects.get(username=persona.username)
        page = page_factory(preload_axe=True)  # axe on every page it opens
        login(page, live_server.url, user)
        visited = _crawl(page, live_server.url, limit=25)
        assert "/" in visited
        if persona.username in TREFAS_CRAWLED:
            assert any(path.startswith("/trefas/") for path in visited), visited
        total += len(visited)
        if persona.username == "admin":
            # A background job page (audit verification) with its progress bar.
            page.goto(f"{live_server.url}/logg/verifiera/")
            assert_accessible(page)
            page.click("main button[type=submit]")
            page.wait_for_url("**/jobb/**")
            assert page.locator("progress").count() == 1
            assert_accessible(page)
        page.context.close()
    assert total >= len(personas) * 3


def test_english_is_switchable_and_accessible(live_server, page_factory):
    user = UserFactory(roles=["caseworker"])
    page = page_factory(locale="sv-SE")
    login(page, live_server.url, user)
    page.click("header button[name=language][value=en]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert_accessible(page)
