"""Reporting an incident on a phone (320 and 390 px wide): the form, the map (tapping it
sets the point), the report's page and "my reports" fit the screen and pass axe (WCAG 2.1
AA); without JavaScript the named place still works and no map is shown."""

from __future__ import annotations

from decimal import Decimal

import pytest

from samverkan.picture.models import IncidentReport, Place
from tests.browser.conftest import axe_violations, login
from tests.picture.world import build_local_world

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

FITS = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"


def _check(page, failures, label):
    if not page.evaluate(FITS):
        failures.append((label, "scrolls sideways"))
    violations = axe_violations(page)
    if violations:
        failures.append((label, violations))


def test_report_an_incident_on_a_phone_with_the_map(live_server, page_factory):
    world = build_local_world(["housing_a"])
    Place.objects.create(area=world.areas["husby"], name="Husby torg", lat=Decimal("59.40950"),
                         lon=Decimal("17.92700"))
    page = page_factory()
    login(page, live_server.url, world["housing_a"])
    failures: list = []
    for width in (320, 390):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(f"{live_server.url}/trygghet/rapportera/")
        _check(page, failures, f"form {width}")
    page.check(f"input[name=area][value='{world.areas['husby'].pk}']")
    page.check(f"input[name=category][value='{world.categories['graffiti'].pk}']")
    assert page.is_visible("#report-map")
    page.click("#report-map")  # the map's centre: inside Husby
    lat = page.input_value("#id_lat")
    assert lat and page.input_value("#id_lon")
    assert page.is_visible("#report-map-clear")
    page.fill("#id_text", "Nytt klotter på väggen vid entrén.")
    page.click("main button[type=submit]")
    page.wait_for_url("**/trygghet/rapporter/**")
    report = IncidentReport.objects.get()
    assert report.place is None and report.lat == Decimal(lat)
    _check(page, failures, "detail")
    page.goto(f"{live_server.url}/trygghet/mina-rapporter/")
    _check(page, failures, "my reports")
    assert not failures, "\n".join(str(f) for f in failures)


def test_without_javascript_a_named_place_is_chosen_from_the_list(live_server, page_factory):
    world = build_local_world(["shop"])
    square = Place.objects.create(area=world.areas["husby"], name="Husby torg", lat=Decimal("59.40950"),
                                  lon=Decimal("17.92700"))
    page = page_factory(java_script_enabled=False)
    page.set_viewport_size({"width": 320, "height": 800})
    login(page, live_server.url, world["shop"])
    page.goto(f"{live_server.url}/trygghet/rapportera/")
    assert not page.is_visible("#report-map")
    page.check(f"input[name=category][value='{world.categories['littering'].pk}']")
    page.select_option("#id_place", str(square.pk))
    page.click("main button[type=submit]")
    page.wait_for_url("**/trygghet/rapporter/**")
    assert IncidentReport.objects.get().place == square


def test_the_catalogue_pages_pass_axe_on_a_phone(live_server, page_factory):
    world = build_local_world(["admin"])
    place = Place.objects.create(area=world.areas["husby"], name="Husby torg", lat=Decimal("59.40950"),
                                 lon=Decimal("17.92700"))
    page = page_factory()
    page.set_viewport_size({"width": 320, "height": 800})
    login(page, live_server.url, world["admin"])
    failures: list = []
    base = f"{live_server.url}/trygghet/katalog/"
    for path in ("", "kategorier/ny/", f"kategorier/{world.categories['graffiti'].pk}/", "omraden/husby/",
                 "omraden/husby/platser/ny/", f"omraden/husby/platser/{place.pk}/", "omraden/husby/rapportorer/ny/"):
        response = page.goto(base + path)
        assert response is not None and response.status == 200, path
        _check(page, failures, path)
    assert not failures, "\n".join(str(f) for f in failures)
