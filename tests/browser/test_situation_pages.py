"""The lägesbild's pages in a browser: on a phone (320 and 390 px wide) the page itself
never scrolls sideways and axe (WCAG 2.1 AA) finds nothing; the statistic table's row
editor works with JavaScript switched off (more rows, then save)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from samverkan.prevention.models import SituationReport
from tests.browser.conftest import axe_violations, login
from tests.browser.test_trefas_phone import _WIDEST
from tests.picture.world import build_local_world
from tests.prevention.situation_helpers import start
from tests.prevention.test_situation_pages import _rich

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]




def _paths(report: SituationReport) -> list[str]:
    base = f"/brottsforebyggande/lagesbild/{report.pk}/"
    table = report.tables.order_by("pk").first()
    problem = report.problems.order_by("pk").first()
    return [
        "/brottsforebyggande/lagesbild/", "/brottsforebyggande/lagesbild/ny/", base, f"{base}utskrift/",
        f"{base}avsnitt/analys/", f"{base}uppgifter/", f"{base}deltagare/", f"{base}tabeller/ny/",
        f"{base}tabeller/ny-fran-samverkan/", f"{base}tabeller/{table.pk}/", f"{base}tabeller/{table.pk}/ta-bort/",
        f"{base}problem/ny/", f"{base}problem/{problem.pk}/", f"{base}dialoger/ny/", f"{base}enighet/",
        f"{base}beslut/",
    ]


def test_situation_pages_fit_a_phone_and_pass_axe(live_server, page_factory):
    world = build_local_world(["city_coord"])
    report = start(world, "city_coord", "m", title="Stockholms lägesbild")
    _rich(world, report, 2)
    page = page_factory()
    login(page, live_server.url, world["city_coord"])
    failures = []
    for width in (320, 390):
        page.set_viewport_size({"width": width, "height": 800})
        for path in _paths(report):
            response = page.goto(live_server.url + path)
            assert response is not None and response.status == 200, f"{path}: {response and response.status}"
            if not page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth"):
                failures.append((width, path, "scrolls sideways", page.evaluate(_WIDEST)))
            violations = axe_violations(page)
            if violations:
                failures.append((width, path, "axe", violations))
    assert not failures, "\n".join(str(f) for f in failures)


def test_the_row_editor_works_without_javascript(live_server, page_factory):
    world = build_local_world(["jarva_coord"])
    report = start(world)
    page = page_factory(java_script_enabled=False)
    login(page, live_server.url, world["jarva_coord"])
    page.goto(f"{live_server.url}/brottsforebyggande/lagesbild/{report.pk}/tabeller/ny/")
    page.fill("#id_title", "Anmälda brott")
    page.fill("#id_source", "Polisen")
    page.fill("#id_year", "2025")
    page.fill("#id_row_0_label", "Skadegörelse")
    page.fill("#id_row_0_value", "1 234,5")
    page.click("button[name=more]")
    expect(page.locator("#id_row_7_label")).to_have_count(1)  # after the server's answer
    assert page.input_value("#id_row_0_value") == "1 234,5"
    page.fill("#id_row_6_label", "Rån")
    page.fill("#id_row_6_value", "12")
    page.fill("#id_pasted", "Bedrägeri;7;6")
    page.click("main button[type=submit]:not([name=more])")
    page.wait_for_url(f"**/lagesbild/{report.pk}/")
    assert report.tables.get().rows == [
        {"label": "Skadegörelse", "value": 1234.5, "previous": None},
        {"label": "Rån", "value": 12, "previous": None},
        {"label": "Bedrägeri", "value": 7, "previous": 6},
    ]
