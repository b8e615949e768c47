"""The area scope (picture.decision): who sees which areas, districts and municipalities,
and who may report where. Persona tests with their negative cases."""

from __future__ import annotations

import pytest

from samverkan.picture.decision import LocalAction
from samverkan.picture.models import IncidentReport
from samverkan.picture.selectors.scope import local_access_for
from samverkan.prevention.models import SituationReport
from tests.picture.world import add_report, build_local_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_local_world()


def _area_codes(world, persona):
    access = local_access_for(world[persona])
    return {code for code, area in world.areas.items() if area.pk in access.area_ids}


def test_police_see_the_areas_they_police(world):
    assert _area_codes(world, "police_rinkeby") == {"rinkeby-tensta", "husby"}
    assert _area_codes(world, "police_skarholmen") == {"bredang", "varberg"}
    assert _area_codes(world, "police_region") == set(world.areas)


def test_district_staff_see_their_district_and_the_city_every_area(world):
    assert _area_codes(world, "jarva_staff") == {"rinkeby-tensta", "husby"}
    assert _area_codes(world, "skarholmen_coord") == {"bredang", "varberg"}
    assert _area_codes(world, "city_coord") == set(world.areas)


@pytest.mark.parametrize("persona", ["housing_a", "shop", "association", "tax"])
def test_external_organisations_and_agencies_see_no_area(world, persona):
    assert _area_codes(world, persona) == set()
    assert not local_access_for(world[persona]).may(LocalAction.VIEW_PICTURE)


def test_external_reporters_report_where_registered_and_see_only_their_own_reports(world):
    housing = local_access_for(world["housing_a"])
    assert housing.may(LocalAction.REPORT, world.areas["husby"])
    assert not housing.may(LocalAction.REPORT, world.areas["bredang"])
    mine = add_report(world, "housing_a", "husby")
    colleague = add_report(world, "housing_b", "husby")
    police = add_report(world, "police_rinkeby", "husby")
    seen = set(IncidentReport.objects.filter(housing.reports_q()).values_list("pk", flat=True))
    assert seen == {mine.pk}
    assert not housing.may(LocalAction.VIEW_REPORT, colleague)
    assert housing.may(LocalAction.WITHDRAW_REPORT, mine)
    jarva = local_access_for(world["jarva_staff"])
    assert set(IncidentReport.objects.filter(jarva.reports_q()).values_list("pk", flat=True)) == {
        mine.pk, colleague.pk, police.pk}
    skarholmen = local_access_for(world["skarholmen_coord"])
    assert not IncidentReport.objects.filter(skarholmen.reports_q()).exists()


def test_documents_follow_the_district_and_the_municipality(world):
    from datetime import date

    city_doc = SituationReport(municipality="Stockholm", title="Stad", period_start=date(2026, 1, 1),
                               period_end=date(2026, 12, 31))
    jarva_doc = SituationReport(municipality="Stockholm", district=world.districts["jarva"], title="Järva",
                                period_start=date(2026, 1, 1), period_end=date(2026, 12, 31))
    jarva, skarholmen = local_access_for(world["jarva_coord"]), local_access_for(world["skarholmen_coord"])
    city, police = local_access_for(world["city_coord"]), local_access_for(world["police_rinkeby"])
    tax = local_access_for(world["tax"])
    assert jarva.may(LocalAction.VIEW_DOCUMENTS, city_doc) and jarva.may(LocalAction.MANAGE_DOCUMENT, jarva_doc)
    assert not jarva.may(LocalAction.MANAGE_DOCUMENT, city_doc)  # the city's, not the district's
    assert not skarholmen.may(LocalAction.VIEW_DOCUMENTS, jarva_doc)
    assert city.may(LocalAction.MANAGE_DOCUMENT, city_doc) and city.may(LocalAction.MANAGE_DOCUMENT, jarva_doc)
    assert police.may(LocalAction.VIEW_DOCUMENTS, jarva_doc) and not police.may(LocalAction.MANAGE_DOCUMENT, jarva_doc)
    assert not tax.may(LocalAction.VIEW_DOCUMENTS, city_doc)


def test_the_scope_costs_at_most_three_queries_and_is_cached(world, django_assert_max_num_queries):
    user = world["jarva_coord"]
    user.organisation
    with django_assert_max_num_queries(4):  # roles (permissions), areas, districts, reporting areas
        local_access_for(user)
    with django_assert_max_num_queries(0):
        local_access_for(user)
