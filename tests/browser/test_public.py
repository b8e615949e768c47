"""The public pages in a real browser: Swedish, English and Arabic (right-to-left),
with and without JavaScript, axe (WCAG 2.1 AA) on every public page."""

from __future__ import annotations

import os
import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.public.conftest import make_public_area

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module", autouse=True)
def _orm_beside_playwright(request):
    """Playwright's sync API runs an event loop in this thread; the database set-up,
    the factories and the session's final database teardown are synchronous and safe
    here. Set before pytest-django's function-scoped database fixtures whatever their
    order, and restored only when pytest finishes (after the test databases are gone)."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

    def restore():
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous

    request.config.add_cleanup(restore)


@pytest.fixture
def area(settings):
    settings.TIPS_MIN_FILL_SECONDS = 0
    settings.TIPS_RATE_LIMIT = 1000
    cache.clear()
    yield make_public_area(code="husby", name="Husby")
    cache.clear()


def _choose_language(page, base: str, lang: str, next_path: str) -> None:
    page.goto(f"{base}/valj-sprak/{lang}/?next={next_path}")
    page.wait_for_url(f"{base}{next_path}")


def _send_tip(page, base: str) -> str:
    page.goto(f"{base}/tipsa/?omrade=husby")
    assert page.locator("#id_area").input_value() == "husby"
    page.check("#id_topic_0")
    page.fill("#id_text", "Det står en bil med motorn igång vid skolan varje kväll.")
    page.click("main button[type=submit]")
    code = page.locator(".code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{4}(-[A-Z0-9]{4}){3}", code), code
    return code


@pytest.mark.parametrize(("lang", "direction", "marker"), [
    ("sv", "ltr", "Vid nödläge, ring 112."),
    ("en", "ltr", "In an emergency, call 112."),
    ("ar", "rtl", "في حالة الطوارئ، اتصل بالرقم 112."),
])
def test_public_pages_in_each_language_are_accessible(live_server, page_factory, area, lang, direction, marker):
    base = live_server.url
    page = page_factory(locale="sv-SE")
    _choose_language(page, base, lang, "/omraden/")
    html = page.locator("html")
    assert html.get_attribute("lang") == lang
    assert html.get_attribute("dir") == direction
    assert marker in page.locator(".emergency").inner_text()
    assert page.evaluate("getComputedStyle(document.querySelector('main')).direction") == direction
    assert_accessible(page)

    page.click(f"a[href='/omraden/{area.code}/']")
    page.wait_for_url(f"**/omraden/{area.code}/")
    assert page.evaluate("getComputedStyle(document.querySelector('main')).direction") == direction
    if direction == "rtl":
        # Right-to-left layout: the headline starts at the right edge of main.
        box = page.evaluate("""() => {
            const m = document.querySelector('main').getBoundingClientRect();
            const r = document.createRange(); r.selectNodeContents(document.querySelector('main h1'));
            const h = r.getBoundingClientRect();
            return {mainRight: m.right, mainLeft: m.left, hRight: h.right, hLeft: h.left};
        }""")
        assert box["mainRight"] - box["hRight"] < box["hLeft"] - box["mainLeft"]
    assert "Kalle" not in page.content()
    assert_accessible(page)

    code = _send_tip(page, base)
    assert page.locator("html").get_attribute("dir") == direction
    assert_accessible(page)

    page.goto(f"{base}/tipsa/kvitto/")
    assert_accessible(page)
    page.fill("#id_code", code.lower())
    page.click("main button[type=submit]")
    expect(page.locator("main")).to_contain_text("Det står en bil")  # waits for the answer to the POST
    assert_accessible(page)


def test_error_summary_is_accessible(live_server, page_factory, area):
    page = page_factory()
    page.goto(f"{live_server.url}/tipsa/")
    # Sent at once, empty: each field says what is missing; nothing about sending too fast.
    with page.expect_navigation():
        page.click("main button[type=submit]")
    page.locator(".error-summary").wait_for()
    # (The public pages speak Swedish first: public/locale/sv.)
    assert page.locator(".error-summary a").all_inner_texts() == [
        "Välj vilket område det gäller.", "Välj vad det gäller.", "Skriv vad du vill berätta för oss.",
    ]
    assert "för snabbt" not in page.locator("main").inner_text()
    assert page.locator("#id_text").get_attribute("aria-invalid") == "true"
    assert_accessible(page)


def _axe_on_snapshots(page_factory, snapshots: list[tuple[str, str]]) -> None:
    """axe needs JavaScript, which the no-JS context cannot run: replay each DOM the
    no-JS browser received, at its own URL (so the stylesheet loads), in a JS context."""
    checker = page_factory()
    for url, html in snapshots:
        def serve(route, request, body=html):
            route.fulfill(body=body, content_type="text/html")

        checker.route(url, serve)
        checker.goto(url)
        assert_accessible(checker)
        checker.unroute(url)


def test_everything_works_without_javascript(live_server, page_factory, area):
    base = live_server.url
    page = page_factory(java_script_enabled=False)
    snapshots = []
    _choose_language(page, base, "ar", f"/omraden/{area.code}/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert "Husby torg 1" in page.content()
    snapshots.append((page.url, page.content()))
    _choose_language(page, base, "en", f"/omraden/{area.code}/")
    assert "In an emergency, call 112." in page.content()
    snapshots.append((page.url, page.content()))
    code = _send_tip(page, base)
    snapshots.append((f"{base}/tipsa/", page.content()))
    page.goto(f"{base}/tipsa/kvitto/")
    page.fill("#id_code", code)
    page.click("main button[type=submit]")
    page.fill("#id_text", "Bilen är blå.")
    page.click("main button[type=submit]")
    expect(page.locator("main")).to_contain_text("Bilen är blå.")
    snapshots.append((f"{base}/tipsa/kvitto/", page.content()))
    _axe_on_snapshots(page_factory, snapshots)


def test_no_request_leaves_the_site(live_server, page_factory, area):
    page = page_factory()
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None)
    for path in ("/omraden/", f"/omraden/{area.code}/", "/tipsa/", "/tipsa/kvitto/"):
        page.goto(f"{live_server.url}{path}")
    assert outside == []


def test_mobile_viewport_has_no_horizontal_scroll(live_server, page_factory, area):
    page = page_factory()
    page.set_viewport_size({"width": 320, "height": 640})
    for path in ("/omraden/", f"/omraden/{area.code}/", "/tipsa/"):
        page.goto(f"{live_server.url}{path}")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), path
