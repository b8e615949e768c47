"""The weekly joint picture in a browser: the week page of an area (with an outline on
the map) and of a district at phone widths and on a desktop, with axe (WCAG 2.1 AA); the
map draws, can be used by keyboard and skipped, and the tables are the alternative."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from samverkan.picture.models import week_start_of
from samverkan.picture.selectors.week import week_code
from tests.browser.conftest import axe_violations, login
from tests.picture.world import add_report, build_local_world

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

HUSBY_OUTLINE = {"type": "Polygon", "coordinates": [[[17.915, 59.404], [17.94, 59.404], [17.94, 59.416],
                                                    [17.915, 59.416], [17.915, 59.404]]]}


def test_the_week_pages_are_accessible_and_the_map_works(live_server, page_factory):
    world = build_local_world(["police_rinkeby"])
    husby = world.areas["husby"]
    husby.boundary = HUSBY_OUTLINE
    husby.save(update_fields=["boundary"])
    now = timezone.localtime()
    for k, category in enumerate(["graffiti", "littering", "graffiti", "fire", "vandalism"]):
        add_report(world, "police_rinkeby", "husby" if k % 2 == 0 else "rinkeby-tensta", category,
                   when=now - timedelta(minutes=5 + k))
    week = week_code(week_start_of(now))
    page = page_factory()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # (htmx's own indicator <style>, refused by the CSP on every page, and the favicon are not this page's)
    page.on("console", lambda msg: errors.append(f"{page.url}: {msg.text} {msg.location}")
            if msg.type == "error" and "htmx" not in str(msg.location) and "favicon" not in str(msg.location)
            else None)
    login(page, live_server.url, world["police_rinkeby"])
    failures = []
    paths = ["/trygghet/", f"/trygghet/omrade/husby/vecka/{week}/", f"/trygghet/stadsdel/jarva/vecka/{week}/",
             f"/trygghet/omrade/husby/vecka/{week}/?category=graffiti&time=night"]
    for width in (320, 390, 1200):
        page.set_viewport_size({"width": width, "height": 900})
        for path in paths:
            response = page.goto(live_server.url + path)
            assert response is not None and response.status == 200, path
            if "/vecka/" in path:
                page.wait_for_selector("#week-map.leaflet-container")
            if not page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth"):
                failures.append((width, path, "scrolls sideways"))
            violations = axe_violations(page)
            if violations:
                failures.append((width, path, violations))
    assert not failures, "\n".join(str(f) for f in failures)
    assert not errors, errors  # no script error, no CSP refusal

    # The map: the outline, the grid squares and the points are drawn; the keyboard pans it.
    page.set_viewport_size({"width": 1200, "height": 900})
    page.goto(f"{live_server.url}/trygghet/omrade/husby/vecka/{week}/")
    page.wait_for_selector("#week-map.leaflet-container")
    page.screenshot(path="/tmp/week-map.png")
    assert page.locator("#week-map path.leaflet-interactive, #week-map svg path, #week-map canvas").count() >= 1
    page.focus("#week-map")
    before = page.evaluate("getComputedStyle(document.querySelector('#week-map .leaflet-map-pane')).transform")
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(500)
    after = page.evaluate("getComputedStyle(document.querySelector('#week-map .leaflet-map-pane')).transform")
    assert before != after
    # Skipping the map lands on the grid table.
    page.click("a.sv-week-map-skip")
    assert page.evaluate("location.hash") == "#grid-heading"
    assert page.locator("#grid-caption").is_visible() and page.locator("#list-caption").is_visible()
