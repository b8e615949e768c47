"""Fixtures for the tip channel: areas, organisations, routing, personas."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from hypothesis import settings as hypothesis_settings

from tests.factories import AreaFactory, DistrictFactory, OrganisationFactory, UserFactory

hypothesis_settings.register_profile("samverkan", database=None, deadline=None, max_examples=60,
                                     derandomize=True)
hypothesis_settings.load_profile("samverkan")

TOKEN_RE = re.compile(r'name="token" value="([^"]+)"')
CODE_RE = re.compile(r'class="code"[^>]*>([A-Z0-9-]+)<')


@pytest.fixture(autouse=True)
def _fast_forms(settings):
    settings.TIPS_MIN_FILL_SECONDS = 0
    settings.TIPS_RATE_LIMIT = 1000
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db):
    """Two areas; police and social services receive tips about Husby, a third
    organisation receives none."""
    police = OrganisationFactory(name="Lokalpolisområde Test", short_code="lpo-test", kind="police_area")
    social = OrganisationFactory(name="Stadsdelsförvaltning Test", short_code="sdf-test", kind="district_administration")
    customs = OrganisationFactory(name="Tullverket Test", short_code="tull-test", kind="agency")
    other = OrganisationFactory(name="Annan myndighet", short_code="annan", kind="agency")
    district = DistrictFactory(administration=social)
    husby = AreaFactory(name="Husby", code="husby", district=district, police_area=police)
    bredang = AreaFactory(name="Bredäng", code="bredang")
    from samverkan.tips.models import RoutingRule

    RoutingRule.objects.create(area=husby, topic="", organisation=police)
    RoutingRule.objects.create(area=husby, topic="young_person", organisation=social)
    RoutingRule.objects.create(area=None, topic="weapons", organisation=customs)
    return {
        "police": police, "social": social, "customs": customs, "other": other, "husby": husby,
        "bredang": bredang,
        "police_coordinator": UserFactory(organisation=police, roles=["coordinator"]),
        "police_caseworker": UserFactory(organisation=police, roles=["caseworker"]),
        "social_manager": UserFactory(organisation=social, roles=["manager"]),
        "other_coordinator": UserFactory(organisation=other, roles=["coordinator"]),
        "customs_coordinator": UserFactory(organisation=customs, roles=["coordinator"]),
        "admin": UserFactory(organisation=other, roles=["system_admin"]),
    }


def fetch_token(client) -> str:
    response = client.get("/tipsa/")
    assert response.status_code == 200
    return TOKEN_RE.search(response.content.decode()).group(1)


def send_tip(client, *, area="husby", topic="crime", text="Någon säljer narkotika vid torget.", contact="",
             token=None, **extra):
    data = {"area": area, "topic": topic, "text": text, "contact": contact, "website": "",
            "token": token if token is not None else fetch_token(client)}
    return client.post("/tipsa/", data, **extra)


def receipt_code(response) -> str:
    match = CODE_RE.search(response.content.decode())
    assert match, response.content.decode()[:2000]
    return match.group(1)
