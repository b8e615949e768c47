"""Browser tests: Python Playwright driving Debian's /usr/bin/chromium against the
live test server. axe-core (vendored in tests/browser/vendor) runs every rule it enables by
default: WCAG 2.1 A/AA and its best practices (landmarks, headings, …), any impact level."""

from __future__ import annotations

import os
import shutil
import sqlite3
import weakref
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is missing (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} is missing; `make test` installs it with apt-get when run as root")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread while the browser lives;
    # the ORM calls the tests themselves make (factories, assertions, flushes) are still
    # synchronous and safe. Subprocess-based tests scrub this variable from their env.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield browser
        browser.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page_factory(browser):
    contexts = []

    def make(locale: str = "sv-SE", java_script_enabled: bool = True, preload_axe: bool = False):
        """A page in a new context. ``preload_axe``: every document of the context gets
        axe-core from the start (sent to the browser once, not once per page), for a test
        that runs axe on nearly every page it opens (the crawler)."""
        context = browser.new_context(locale=locale, java_script_enabled=java_script_enabled)
        context.set_default_timeout(15_000)
        if preload_axe:
            context.add_init_script(script=AXE_SOURCE)
            _AXE_PRELOADED.add(context)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


_AXE_PRELOADED: weakref.WeakSet = weakref.WeakSet()  # contexts whose documents have axe
# Runs axe and returns only what axe_violations reports (not the passes, incomplete and
# inapplicable results with their HTML); null when the document has no axe yet.
_RUN_AXE = """async (withLinks) => {
  if (typeof axe === "undefined") return null;
  const result = await axe.run(document, {resultTypes: ["violations"]});
  const violations = result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                                  nodes: v.nodes.map(n => n.target)}));
  if (!withLinks) return violations;
  // Then, as page.eval_on_selector_all("a[href]", ...) would: every link's href attribute.
  return [violations, Array.from(document.querySelectorAll("a[href]"), e => e.getAttribute("href"))];
}"""


def axe_violations(page) -> list[dict]:
    """Run axe-core on the current page with every rule it enables by default — not only
    the WCAG tags but the best practices too (``region``: all content inside landmarks,
    ``heading-order``, ``landmark-unique``, …) — and return its findings of any impact.
    axe is injected here unless the page's context preloads it (page_factory)."""
    return _run_axe(page, with_links=False)


def axe_violations_and_links(page) -> tuple[list[dict], list[str]]:
    """axe_violations, then the ``href`` of every ``a[href]`` on the page, in one call to
    the browser (the crawler does both on every page)."""
    violations, hrefs = _run_axe(page, with_links=True)
    return violations, hrefs


def _run_axe(page, *, with_links: bool):
    if page.context not in _AXE_PRELOADED:
        page.evaluate(AXE_SOURCE)
    answer = page.evaluate(_RUN_AXE, with_links)
    if answer is None:  # a document the init script did not reach
        page.evaluate(AXE_SOURCE)
        answer = page.evaluate(_RUN_AXE, with_links)
    violations = answer[0] if with_links else answer
    shown = [{**v, "nodes": v["nodes"][:5]} for v in violations]
    return (shown, answer[1]) if with_links else shown


def assert_accessible(page) -> None:
    violations = axe_violations(page)
    assert not violations, f"axe findings on {page.url}: {violations}"


def session_cookie(user, base_url: str) -> dict:
    """A browser cookie for a session logged in as ``user`` with password and code
    (tests/conftest.py fast_login: the session the real pages give, without them)."""
    from django.conf import settings

    from tests.conftest import fast_login

    client = fast_login(user)
    return {"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
            "url": base_url}


def login(page, base_url: str, user) -> None:
    """Log ``user`` in and open the home page, or where it sends the person (an external
    reporter: the report form). The session is the one the password and code pages give
    (session_cookie, through tests/conftest.py fast_login); those pages themselves are
    driven in the browser by test_login_and_accessibility.py (login with two-factor,
    enrolment), and every demo persona's password and authenticator are checked in
    tests/demo. Through the pages, a login took about 1.3 s (measured in the crawl)."""
    page.context.add_cookies([session_cookie(user, base_url)])
    page.goto(f"{base_url}/")
    assert "/konto/" not in page.url, page.url


# The whole demo in the live server's database. Loading it takes ~15 s of CPU; the suites
# that crawl it (test_login_and_accessibility's shares, test_trefas_phone) run several times
# on a worker, so each worker loads it once and keeps a copy of the loaded database in a
# private in-memory SQLite database (the SQLite suite, where the browser tests run); later
# tests copy it back with SQLite's backup API — into the shared in-memory test database the
# live server's thread reads too (sqlite3's deserialize would detach this thread's
# connection from it). The live-server test's flush afterwards empties it as usual. On
# another database every test loads the demo itself.
_DEMO_DATABASE: list[sqlite3.Connection] = []


def load_demo_database() -> None:
    from django.db import connection

    from samverkan.demo.services import demo_load

    if connection.vendor != "sqlite":
        demo_load()
        return
    connection.ensure_connection()
    if _DEMO_DATABASE:
        _DEMO_DATABASE[0].backup(connection.connection)
        return
    demo_load()
    copy = sqlite3.connect(":memory:", check_same_thread=False)
    connection.connection.backup(copy)
    _DEMO_DATABASE.append(copy)
