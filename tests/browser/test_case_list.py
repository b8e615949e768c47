"""My cases in a real browser, at 320 and 390 px and on a desktop: the page never scrolls
sideways (the table scrolls in its own region), axe (WCAG 2.1 AA) finds nothing on the
list, the filtered list and a name search's results, and a search's name stays out of
the address bar."""

from __future__ import annotations

import pytest

from tests.browser.conftest import axe_violations, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_case_list_search_and_filters_in_a_browser(live_server, page_factory):
    from tests.cases.test_case_list_search import two_cases

    world = two_cases()
    base = live_server.url
    page = page_factory()
    login(page, base, world.users["police"])
    failures = []
    for width in (320, 390, 1024):
        page.set_viewport_size({"width": width, "height": 800})
        for path in ("/arenden/", "/arenden/?consent=missing&sort=name"):
            response = page.goto(base + path)
            assert response is not None and response.status == 200, path
            if not page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth"):
                failures.append((width, path, "scrolls sideways"))
            if violations := axe_violations(page):
                failures.append((width, path, "axe", violations))
    page.goto(base + "/arenden/")
    assert world.case.reference in page.content()  # the row without a shared name
    page.fill("#id_name", "oberg")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    page.locator("table").wait_for()
    body = page.content()
    assert "Öberg-Lindé" in body and world.case.reference not in body
    assert "oberg" not in page.url.lower() and page.url.endswith("/arenden/")
    if violations := axe_violations(page):
        failures.append(("search", violations))
    # The name the police may not see: the same answer as for no match at all.
    page.fill("#id_name", "Testperson")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    page.locator("main .govuk-inset-text").wait_for()
    assert page.locator("main table").count() == 0 and "Kim" not in page.content()
    assert not failures, "\n".join(str(f) for f in failures)
