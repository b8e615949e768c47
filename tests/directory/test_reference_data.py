"""The shipped reference data: complete, and loading it twice changes nothing."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from samverkan.directory import reference_data as ref
from samverkan.directory.models import Area, AreaClassification, District, Organisation
from samverkan.directory.services import reference_data_load

pytestmark = pytest.mark.django_db

ELEVEN_AGENCIES = {
    "skatteverket",
    "arbetsformedlingen",
    "ekobrottsmyndigheten",
    "tullverket",
    "forsakringskassan",
    "kriminalvarden",
    "sakerhetspolisen",
    "kustbevakningen",
    "migrationsverket",
    "polismyndigheten",
    "aklagarmyndigheten",
}
AREAS_2023 = {
    "rinkeby-tensta": "particularly_vulnerable",
    "husby": "particularly_vulnerable",
    "bredang": "vulnerable",
    "varberg": "vulnerable",
    "hasselby-vallingby": "vulnerable",
    "hagsatra-ragsved": "vulnerable",
}


def _snapshot():
    return {
        "organisations": sorted(
            Organisation.objects.values_list("short_code", "name", "kind", "parent__short_code")
        ),
        "districts": sorted(
            District.objects.values_list("code", "name", "administration__short_code")
        ),
        "areas": sorted(
            Area.objects.values_list("code", "district__code", "police_area__short_code")
        ),
        "classifications": sorted(
            AreaClassification.objects.values_list("area__code", "list_year", "classification")
        ),
    }


def test_reference_data_is_complete():
    counts = reference_data_load()
    assert counts == {"organisations": len(ref.ORGANISATIONS) + 11, "districts": 11, "areas": 6}
    codes = set(Organisation.objects.values_list("short_code", flat=True))
    assert codes >= ELEVEN_AGENCIES
    assert Organisation.objects.filter(short_code__in=ELEVEN_AGENCIES, kind="agency").count() == 11
    assert {
        "kronofogden",
        "region-stockholm",
        "sbff",
        "frivarden-stockholm",
        "polisregion-stockholm",
        "sthlm-socialforvaltningen",
    } <= codes
    # Stockholm's 11 district administrations since 1 July 2023, each administering one district.
    admins = Organisation.objects.filter(kind="district_administration")
    assert admins.count() == 11
    assert District.objects.count() == 11
    assert District.objects.filter(administration__kind="district_administration").count() == 11
    assert set(District.objects.values_list("name", flat=True)) >= {"Järva", "Skärholmen", "Farsta"}
    # The six areas of the police's 2023 list, with their 2023 classification.
    got = dict(
        AreaClassification.objects.filter(list_year=2023).values_list(
            "area__code", "classification"
        )
    )
    assert got == AREAS_2023
    assert all(c.source for c in AreaClassification.objects.all())
    # Every listed area has its local police area and a centre point in Stockholm.
    for area in Area.objects.select_related("police_area"):
        assert area.police_area.kind == "police_area"
        assert 59 < area.centre_lat < 60 and 17 < area.centre_lon < 19


def test_loading_twice_changes_nothing():
    first_counts = reference_data_load()
    first = _snapshot()
    second_counts = reference_data_load()
    assert second_counts == first_counts
    assert _snapshot() == first
    assert Organisation.objects.count() == first_counts["organisations"]
    assert AreaClassification.objects.count() == 6


def test_load_repairs_a_changed_reference_row_and_keeps_other_years():
    reference_data_load()
    husby = Area.objects.get(code="husby")
    AreaClassification.objects.filter(area=husby, list_year=2023).update(classification="risk")
    AreaClassification.objects.create(
        area=husby, list_year=2025, classification="risk", source="test"
    )
    reference_data_load()
    assert (
        AreaClassification.objects.get(area=husby, list_year=2023).classification
        == "particularly_vulnerable"
    )
    assert AreaClassification.objects.get(area=husby, list_year=2025).classification == "risk"


def test_command_is_idempotent(capsys):
    call_command("load_reference_data")
    call_command("load_reference_data")
    out = capsys.readouterr().out
    assert out.count("11 districts, 6 areas") == 2
    assert District.objects.count() == 11
