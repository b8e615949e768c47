"""The catalogue pages (system administrators): categories, named places, and which
external organisations report in which areas. Optimistic locking, confirmations, and
that nobody else gets in."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from samverkan.audit.models import AuditEvent
from samverkan.picture.models import Category, Place, ReportingArea
from samverkan.picture.selectors.scope import local_access_for
from tests.picture.world import build_local_world

pytestmark = pytest.mark.django_db

CATALOGUE = reverse("picture:catalogue")


@pytest.fixture
def world():
    return build_local_world(["admin", "jarva_coord", "police_region", "housing_a", "shop", "tax"])


def _area_url(world, name, area="husby", *args):
    return reverse(f"picture:{name}", args=[world.areas[area].code, *args])


@pytest.mark.parametrize("persona", ["jarva_coord", "police_region", "housing_a", "tax"])
def test_only_system_administrators_reach_the_catalogue(world, login, persona):
    client = login(world[persona])
    for url in (CATALOGUE, reverse("picture:category_new"), _area_url(world, "catalogue_area"),
                _area_url(world, "reporter_add"), _area_url(world, "place_new")):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("picture:category_new"), {"code": "x1", "name_sv": "x", "name_en": "x",
                                                         "colour": "#000000", "order": 1}).status_code == 403
    assert not Category.objects.filter(code="x1").exists()


def test_the_catalogue_lists_categories_and_areas(world, login):
    response = login(world["admin"]).get(CATALOGUE)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Klotter" in content and world.areas["husby"].name in content


def test_a_category_is_added_renamed_and_retired(world, login):
    client = login(world["admin"])
    response = client.post(reverse("picture:category_new"), {
        "code": "scooters", "name_sv": "Elsparkcyklar", "name_en": "E-scooters", "colour": "#123abc", "order": 5,
        "active": "on"})
    assert response.status_code == 302
    category = Category.objects.get(code="scooters")
    assert category.active and category.name_sv == "Elsparkcyklar"
    url = reverse("picture:category_edit", args=[category.pk])
    response = client.post(url, {"name_sv": "Elsparkcyklar som stör", "name_en": "Disturbing e-scooters",
                                 "colour": "#123abc", "order": 5, "version": category.version})
    assert response.status_code == 302
    category.refresh_from_db()
    assert category.name_en == "Disturbing e-scooters" and not category.active and category.version == 2
    assert category.code == "scooters"
    assert AuditEvent.objects.filter(action="picture.catalogue_changed").count() == 2
    # A retired category is no longer offered to reporters.
    form = login(world["shop"]).get(reverse("picture:report")).context["form"]
    assert category not in list(form.fields["category"].queryset)


def test_a_stale_category_edit_keeps_the_input_and_writes_nothing(world, login):
    category = world.categories["graffiti"]
    Category.objects.filter(pk=category.pk).update(name_en="Tags", version=2)  # someone else saved
    response = login(world["admin"]).post(reverse("picture:category_edit", args=[category.pk]), {
        "name_sv": "Klotter och tags", "name_en": "Graffiti and tags", "colour": "#6a51a3", "order": 20,
        "active": "on", "version": 1})
    assert response.status_code == 409
    assert "Graffiti and tags" in response.content.decode()
    category.refresh_from_db()
    assert category.name_en == "Tags"


def test_a_bad_colour_or_a_duplicate_code_is_refused(world, login):
    client = login(world["admin"])
    response = client.post(reverse("picture:category_new"), {
        "code": "graffiti", "name_sv": "x", "name_en": "x", "colour": "red", "order": 1})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.has_error("colour") and form.has_error("code")


def test_named_places_are_added_and_edited(world, login):
    client = login(world["admin"])
    response = client.post(_area_url(world, "place_new"), {"name": "Husby torg", "lat": "59.40950",
                                                           "lon": "17.92700", "active": "on"})
    assert response.status_code == 302
    place = Place.objects.get(area=world.areas["husby"])
    response = client.post(_area_url(world, "place_edit", "husby", place.pk), {
        "name": "Husby torg (södra)", "lat": "59.40900", "lon": "17.92700", "active": "on", "version": 1})
    assert response.status_code == 302
    place.refresh_from_db()
    assert place.name == "Husby torg (södra)" and place.lat == Decimal("59.40900") and place.version == 2
    # Stale: nothing written, input kept.
    response = client.post(_area_url(world, "place_edit", "husby", place.pk), {
        "name": "Gammalt namn", "lat": "59.40900", "lon": "17.92700", "active": "on", "version": 1})
    assert response.status_code == 409 and "Gammalt namn" in response.content.decode()
    # A place of another area is not reachable through this area.
    assert client.get(_area_url(world, "place_edit", "bredang", place.pk)).status_code == 404


def test_a_place_far_from_the_area_or_a_duplicate_name_is_refused(world, login):
    client = login(world["admin"])
    Place.objects.create(area=world.areas["husby"], name="Husby torg", lat="59.40950", lon="17.92700")
    response = client.post(_area_url(world, "place_new"), {"name": "husby torg", "lat": "59.40950",
                                                           "lon": "17.92700", "active": "on"})
    assert response.status_code == 200 and response.context["form"].has_error("name")
    response = client.post(_area_url(world, "place_new"), {"name": "Slussen", "lat": "59.31950",
                                                           "lon": "18.07200", "active": "on"})
    assert response.status_code == 200 and response.context["form"].has_error("lat")
    assert Place.objects.count() == 1


def test_an_organisation_is_registered_for_an_area_after_confirming(world, login):
    client = login(world["admin"])
    shop = world.orgs["shop"]
    url = _area_url(world, "reporter_add", "rinkeby-tensta")
    page = client.get(url)
    offered = set(page.context["form"].fields["organisation"].queryset)
    assert shop in offered
    assert world.orgs["housing"] not in offered  # registered already
    assert not ({world.orgs["police_rinkeby"], world.orgs["jarva"], world.orgs["city"]} & offered)
    confirm = client.post(url, {"organisation": shop.pk})
    assert confirm.status_code == 200 and confirm.context["confirming"]
    assert not ReportingArea.objects.filter(organisation=shop, area=world.areas["rinkeby-tensta"]).exists()
    done = client.post(url, {"organisation": shop.pk, "confirm": "True"})
    assert done.status_code == 302
    assert ReportingArea.objects.filter(organisation=shop, area=world.areas["rinkeby-tensta"]).exists()
    shop_user = world["shop"]
    assert world.areas["rinkeby-tensta"].pk in local_access_for(shop_user).reporting_area_ids


def test_the_police_cannot_be_registered_as_an_external_reporter(world, login):
    response = login(world["admin"]).post(_area_url(world, "reporter_add"),
                                          {"organisation": world.orgs["police_rinkeby"].pk, "confirm": "True"})
    assert response.status_code == 200
    assert not ReportingArea.objects.filter(organisation=world.orgs["police_rinkeby"]).exists()


def test_removing_an_organisation_from_an_area_is_confirmed_and_stops_its_reporting(world, login):
    row = ReportingArea.objects.get(organisation=world.orgs["shop"], area=world.areas["husby"])
    client = login(world["admin"])
    url = _area_url(world, "reporter_remove", "husby", row.pk)
    page = client.get(url)
    assert page.status_code == 200 and "Yes, remove it" in page.content.decode()
    assert ReportingArea.objects.filter(pk=row.pk).exists()
    assert client.post(url, {"confirm": "True"}).status_code == 302
    assert not ReportingArea.objects.filter(pk=row.pk).exists()
    event = AuditEvent.objects.get(action="picture.catalogue_changed")
    assert event.subject_type == "picture_reporting_area"
    # The shop reported only in Husby: now it is refused the form.
    assert login(world["shop"]).get(reverse("picture:report")).status_code == 403
    # Another area's row is not reachable through this area.
    other = ReportingArea.objects.get(organisation=world.orgs["housing"], area=world.areas["rinkeby-tensta"])
    assert client.get(_area_url(world, "reporter_remove", "husby", other.pk)).status_code == 404


def test_the_catalogue_is_linked_from_the_administrators_home_page_only(world, login):
    assert CATALOGUE in login(world["admin"]).get(reverse("frontend:home")).content.decode()
    assert CATALOGUE not in login(world["jarva_coord"]).get(reverse("frontend:home")).content.decode()
