"""Directory screens: who may read and change, optimistic locking, bad input, N+1."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samverkan.audit.models import AuditEvent
from samverkan.directory.models import Area, AreaClassification, District, Organisation
from tests.factories import AreaFactory, DistrictFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

POLYGON = {
    "type": "Polygon",
    "coordinates": [[[17.9, 59.38], [17.95, 59.38], [17.95, 59.40], [17.9, 59.38]]],
}


@pytest.fixture
def caseworker(user_factory):
    return user_factory(roles=["caseworker"])


@pytest.fixture
def admin(user_factory):
    return user_factory(roles=["system_admin"])


@pytest.fixture
def police_area():
    return OrganisationFactory(kind="police_area", name="LPO Test")


@pytest.fixture
def area(police_area):
    area = AreaFactory(police_area=police_area, centre_lat="59.38800", centre_lon="17.92800")
    AreaClassification.objects.create(
        area=area, list_year=2023, classification="vulnerable", source="test"
    )
    return area


def _org_data(org: Organisation, **changes) -> dict:
    data = {
        "name": org.name,
        "short_code": org.short_code,
        "kind": org.kind,
        "parent": org.parent_id or "",
        "active": "on" if org.active else "",
        "version": org.version,
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _area_data(area: Area, **changes) -> dict:
    data = {
        "name": area.name,
        "code": area.code,
        "district": area.district_id,
        "police_area": area.police_area_id or "",
        "centre_lat": area.centre_lat or "",
        "centre_lon": area.centre_lon or "",
        "boundary": json.dumps(area.boundary) if area.boundary else "",
        "version": area.version,
    }
    data.update(changes)
    return data


def _errors(response) -> dict:
    assert response.status_code == 200, response.status_code
    return response.context["form"].errors


# --- reading -----------------------------------------------------------------------------


def test_caseworker_reads_lists_and_area_detail(logged_in, caseworker, area):
    client = logged_in(caseworker)
    for name in ("directory:organisation_list", "directory:district_list", "directory:area_list"):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        assert response.context["can_manage"] is False
    listing = client.get(reverse("directory:area_list")).content.decode()
    assert area.name in listing
    detail = client.get(reverse("directory:area_detail", args=[area.pk]))
    assert detail.status_code == 200
    html = detail.content.decode()
    assert area.name in html and "2023" in html and area.district.name in html
    assert reverse("directory:area_edit", args=[area.pk]) not in html  # no edit link offered


def test_missing_area_is_404(logged_in, caseworker):
    assert (
        logged_in(caseworker).get(reverse("directory:area_detail", args=[999999])).status_code
        == 404
    )


def test_caseworker_cannot_open_create_or_edit(logged_in, caseworker, area):
    client = logged_in(caseworker)
    org = OrganisationFactory()
    urls = [
        reverse("directory:organisation_create"),
        reverse("directory:organisation_edit", args=[org.pk]),
        reverse("directory:district_create"),
        reverse("directory:district_edit", args=[area.district_id]),
        reverse("directory:area_create"),
        reverse("directory:area_edit", args=[area.pk]),
        reverse("directory:area_classify", args=[area.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"name": "Hijacked"}).status_code == 403, url
    org.refresh_from_db()
    assert org.name != "Hijacked"
    assert not Organisation.objects.filter(name="Hijacked").exists()


def test_user_without_directory_permission_is_refused(logged_in, user_factory):
    nobody = user_factory(roles=[])
    assert logged_in(nobody).get(reverse("directory:organisation_list")).status_code == 403


# --- changing (system administrators) ----------------------------------------------------


def test_admin_creates_and_edits_an_organisation(logged_in, admin):
    client = logged_in(admin)
    parent = OrganisationFactory(short_code="moder")
    response = client.post(
        reverse("directory:organisation_create"),
        {
            "name": "Fryshuset",
            "short_code": "fryshuset",
            "kind": "ngo",
            "parent": parent.pk,
            "active": "on",
        },
    )
    assert response.status_code == 302
    org = Organisation.objects.get(short_code="fryshuset")
    assert (org.name, org.kind, org.parent, org.active, org.version) == (
        "Fryshuset",
        "ngo",
        parent,
        True,
        1,
    )
    created = AuditEvent.objects.get(action="directory.organisation_created")
    assert (created.actor_id, created.subject_id) == (admin.pk, str(org.pk))

    response = client.post(
        reverse("directory:organisation_edit", args=[org.pk]),
        _org_data(org, name="Fryshuset Stockholm"),
    )
    assert response.status_code == 302
    org.refresh_from_db()
    assert (org.name, org.version) == ("Fryshuset Stockholm", 2)
    assert (
        AuditEvent.objects.filter(
            action="directory.organisation_updated", subject_id=str(org.pk)
        ).count()
        == 1
    )


def test_admin_creates_and_edits_a_district(logged_in, admin):
    client = logged_in(admin)
    sdf = OrganisationFactory(kind="district_administration")
    response = client.post(
        reverse("directory:district_create"),
        {
            "name": "Ny stadsdel",
            "code": "ny-stadsdel",
            "municipality": "Stockholm",
            "administration": sdf.pk,
            "active": "on",
        },
    )
    assert response.status_code == 302
    district = District.objects.get(code="ny-stadsdel")
    assert district.administration == sdf
    response = client.post(
        reverse("directory:district_edit", args=[district.pk]),
        {
            "name": "Nyare stadsdel",
            "code": "ny-stadsdel",
            "municipality": "Stockholm",
            "administration": sdf.pk,
            "active": "on",
            "version": district.version,
        },
    )
    assert response.status_code == 302
    district.refresh_from_db()
    assert (district.name, district.version) == ("Nyare stadsdel", 2)
    assert (
        AuditEvent.objects.filter(
            action__in=["directory.district_created", "directory.district_updated"],
            subject_id=str(district.pk),
        ).count()
        == 2
    )


def test_admin_creates_and_edits_an_area_with_a_boundary(logged_in, admin, police_area):
    client = logged_in(admin)
    district = DistrictFactory()
    response = client.post(
        reverse("directory:area_create"),
        {
            "name": "Nytt område",
            "code": "nytt-omrade",
            "district": district.pk,
            "police_area": police_area.pk,
            "centre_lat": "59.39",
            "centre_lon": "17.92",
            "boundary": json.dumps(POLYGON),
        },
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    area = Area.objects.get(code="nytt-omrade")
    assert area.boundary == POLYGON
    response = client.post(
        reverse("directory:area_edit", args=[area.pk]), _area_data(area, name="Omdöpt")
    )
    assert response.status_code == 302
    area.refresh_from_db()
    assert (area.name, area.version, area.boundary) == ("Omdöpt", 2, POLYGON)
    assert AuditEvent.objects.filter(
        action="directory.area_updated", subject_id=str(area.pk)
    ).exists()


def test_admin_records_a_classification_audited(logged_in, admin, area):
    client = logged_in(admin)
    url = reverse("directory:area_classify", args=[area.pk])
    response = client.post(
        url,
        {
            "list_year": 2025,
            "classification": "risk",
            "published_on": "2025-06-01",
            "source": "Polisen 2025",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("directory:area_detail", args=[area.pk])
    row = AreaClassification.objects.get(area=area, list_year=2025)
    assert (row.classification, row.source) == ("risk", "Polisen 2025")
    assert (
        AreaClassification.objects.get(area=area, list_year=2023).classification == "vulnerable"
    )  # kept
    event = AuditEvent.objects.get(action="directory.area_classified")
    assert (event.actor_id, event.subject_type, event.subject_id) == (
        admin.pk,
        "area",
        str(area.pk),
    )
    # Correcting the same list year updates the one row.
    client.post(url, {"list_year": 2025, "classification": "vulnerable", "source": "Rättelse"})
    assert AreaClassification.objects.filter(area=area, list_year=2025).count() == 1
    assert AreaClassification.objects.get(area=area, list_year=2025).classification == "vulnerable"
    # The detail page shows the newest year first.
    html = client.get(reverse("directory:area_detail", args=[area.pk])).content.decode()
    assert html.index("2025") < html.index("2023")


def test_classification_rejects_an_impossible_year_and_unknown_class(logged_in, admin, area):
    client = logged_in(admin)
    errors = _errors(
        client.post(
            reverse("directory:area_classify", args=[area.pk]),
            {"list_year": 1990, "classification": "dangerous"},
        )
    )
    assert "list_year" in errors and "classification" in errors
    assert not AreaClassification.objects.filter(area=area, list_year=1990).exists()


# --- optimistic locking -----------------------------------------------------------------


def test_stale_organisation_edit_is_refused_and_overwrites_nothing(logged_in, admin, user_factory):
    org = OrganisationFactory(name="Original")
    loaded_version = org.version
    # Another administrator saves first.
    other = logged_in(user_factory(roles=["system_admin"]))
    assert (
        other.post(
            reverse("directory:organisation_edit", args=[org.pk]),
            _org_data(org, name="Their change"),
        ).status_code
        == 302
    )
    # Our form still carries the version we loaded.
    mine = logged_in(admin)
    response = mine.post(
        reverse("directory:organisation_edit", args=[org.pk]),
        _org_data(org, name="My change", version=loaded_version),
    )
    assert response.status_code == 409
    form = response.context["form"]
    assert any("Someone else saved this" in e for e in form.non_field_errors())
    body = response.content.decode()
    assert "Someone else saved this" in body
    assert 'value="My change"' in body  # what we typed is kept
    org.refresh_from_db()
    assert (org.name, org.version) == ("Their change", 2)
    assert AuditEvent.objects.filter(action="directory.organisation_updated").count() == 1
    # The form now carries the stored version: saving again knowingly replaces theirs.
    assert form.data["version"] == "2"
    again = mine.post(reverse("directory:organisation_edit", args=[org.pk]), form.data)
    assert again.status_code == 302
    org.refresh_from_db()
    assert (org.name, org.version) == ("My change", 3)


def test_stale_area_edit_is_refused(logged_in, admin, area):
    client = logged_in(admin)
    Area.objects.filter(pk=area.pk).update(name="Changed elsewhere", version=area.version + 1)
    response = client.post(
        reverse("directory:area_edit", args=[area.pk]), _area_data(area, name="Mine")
    )
    assert response.status_code == 409
    assert response.context["form"].non_field_errors()
    area.refresh_from_db()
    assert area.name == "Changed elsewhere"


def test_edit_without_a_version_is_treated_as_stale(logged_in, admin):
    org = OrganisationFactory(name="Original")
    data = _org_data(org, name="Blind overwrite")
    del data["version"]
    response = logged_in(admin).post(reverse("directory:organisation_edit", args=[org.pk]), data)
    assert response.status_code == 409
    org.refresh_from_db()
    assert org.name == "Original"


# --- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code", ["Has Spaces", "UPPER", "-leading", "x", "å-ä-ö", "a" * 41, "semi;colon"]
)
def test_bad_short_code_is_a_form_error(logged_in, admin, code):
    response = logged_in(admin).post(
        reverse("directory:organisation_create"),
        {"name": "Org", "short_code": code, "kind": "ngo", "active": "on"},
    )
    assert "short_code" in _errors(response)
    assert not Organisation.objects.filter(name="Org").exists()


def test_duplicate_short_code_is_a_form_error(logged_in, admin):
    OrganisationFactory(short_code="taken")
    response = logged_in(admin).post(
        reverse("directory:organisation_create"),
        {"name": "Org", "short_code": "taken", "kind": "ngo"},
    )
    assert "short_code" in _errors(response)


def test_organisation_cannot_be_its_own_ancestor(logged_in, admin):
    top = OrganisationFactory()
    child = OrganisationFactory(parent=top)
    client = logged_in(admin)
    response = client.post(
        reverse("directory:organisation_edit", args=[top.pk]), _org_data(top, parent=child.pk)
    )
    assert "parent" in _errors(response)
    response = client.post(
        reverse("directory:organisation_edit", args=[top.pk]), _org_data(top, parent=top.pk)
    )
    assert "parent" in _errors(response)
    top.refresh_from_db()
    assert top.parent is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"centre_lat": "91"}, "centre_lat"),
        ({"centre_lat": "-90.5"}, "centre_lat"),
        ({"centre_lon": "180.1"}, "centre_lon"),
        ({"centre_lat": "north"}, "centre_lat"),
        ({"code": "Bad Code"}, "code"),
        ({"boundary": "not json"}, "boundary"),
        ({"boundary": "[1, 2, 3]"}, "boundary"),
        ({"boundary": '"a string"'}, "boundary"),
        ({"boundary": json.dumps({"type": "Point", "coordinates": [17.9, 59.3]})}, "boundary"),
        ({"boundary": json.dumps({"type": "Polygon"})}, "boundary"),
        (
            {
                "boundary": json.dumps(
                    {"type": "Polygon", "coordinates": [[[17.9, 59.3], [18, 59.3], [17.9, 59.3]]]}
                )
            },
            "boundary",
        ),
        (
            {
                "boundary": json.dumps(
                    {
                        "type": "Polygon",
                        "coordinates": [[[17.9, 59.3], [18, 59.3], [18, 95], [17.9, 59.3]]],
                    }
                )
            },
            "boundary",
        ),
    ],
)
def test_bad_area_input_is_a_form_error(logged_in, admin, area, changes, field):
    response = logged_in(admin).post(
        reverse("directory:area_edit", args=[area.pk]), _area_data(area, **changes)
    )
    errors = _errors(response)
    assert field in errors, errors
    html = response.content.decode()
    assert "govuk-error-summary" in html
    before = Area.objects.get(pk=area.pk)
    assert (before.version, before.code, before.boundary) == (
        area.version,
        area.code,
        area.boundary,
    )


def test_centre_point_needs_both_coordinates(logged_in, admin, area):
    response = logged_in(admin).post(
        reverse("directory:area_edit", args=[area.pk]), _area_data(area, centre_lon="")
    )
    assert _errors(response).get("__all__")


def test_multipolygon_boundary_is_accepted(logged_in, admin, area):
    multi = {
        "type": "MultiPolygon",
        "coordinates": [POLYGON["coordinates"], POLYGON["coordinates"]],
    }
    response = logged_in(admin).post(
        reverse("directory:area_edit", args=[area.pk]), _area_data(area, boundary=json.dumps(multi))
    )
    assert response.status_code == 302
    area.refresh_from_db()
    assert area.boundary == multi


def test_police_area_choices_are_police_areas_only(logged_in, admin, area):
    agency = OrganisationFactory(kind="agency")
    response = logged_in(admin).post(
        reverse("directory:area_edit", args=[area.pk]), _area_data(area, police_area=agency.pk)
    )
    assert "police_area" in _errors(response)


def test_model_validation_also_guards_services(admin):
    """The GeoJSON rule lives on the model, so services (full_clean) enforce it too."""
    from django.core.exceptions import ValidationError

    from samverkan.directory.services import directory_save

    area = AreaFactory.build(district=DistrictFactory(), boundary=["not", "an", "object"])
    with pytest.raises(ValidationError) as info:
        directory_save(actor=admin, instance=area)
    assert "boundary" in info.value.message_dict
    assert not Area.objects.filter(code=area.code).exists()


# --- query counts --------------------------------------------------------------------------


def _count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "name", ["directory:organisation_list", "directory:area_list", "directory:district_list"]
)
def test_list_query_count_does_not_grow_with_rows(logged_in, caseworker, police_area, name):
    client = logged_in(caseworker)
    url = reverse(name)

    def add_rows(n: int) -> None:
        for _ in range(n):
            parent = OrganisationFactory()
            OrganisationFactory(parent=parent)
            area = AreaFactory(
                police_area=police_area,
                district=DistrictFactory(administration=OrganisationFactory()),
            )
            AreaClassification.objects.create(
                area=area, list_year=2023, classification="vulnerable"
            )
            AreaClassification.objects.create(area=area, list_year=2025, classification="risk")

    add_rows(2)
    _count_queries(client, url)  # warm caches (sessions, permissions) like a second page view
    few = _count_queries(client, url)
    add_rows(15)
    many = _count_queries(client, url)
    assert many == few, f"{name}: {few} queries with few rows, {many} with many"
