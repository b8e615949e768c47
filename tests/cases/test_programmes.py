"""Programme administration: a system administrator adds "SSPF 12-21" with no code
change; optimistic locking; audited; nobody else may."""

from __future__ import annotations

import pytest
from django.utils import timezone

from samverkan.audit.models import AuditEvent
from samverkan.cases import reference as programmes
from samverkan.cases.models import Case, Programme
from samverkan.directory.models import District, Organisation
from samverkan.directory.services import reference_data_load
from samverkan.lib.identity_numbers import make_fictitious
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    reference_data_load()
    programmes.load()
    admin = UserFactory(organisation=Organisation.objects.get(short_code="sthlm-stadsledningskontoret"),
                        roles=["system_admin"])
    return admin


def _form(district_ids, **over):
    data = {"name": "SSPF 12–21", "code": "sspf-12-21", "kind": "individual",
            "lead_organisation_kind": "district_administration",
            "participating_kinds": ["police_area", "school", "district_administration"],
            "min_age": 12, "max_age": 21, "districts": district_ids, "retention_years": 7,
            "own_consent_from_age": 15, "guardian_consent_until_age": 18, "consent_max_months": 12,
            "meeting_cadence_days": 28, "successor": "", "active": "on", "version": ""}
    data.update(over)
    return data


def test_admin_adds_sspf_and_an_intake_can_use_it(setup, login):
    admin = setup
    client = login(admin)
    assert client.get("/arenden/program/").status_code == 200
    assert client.get("/arenden/program/ny/").status_code == 200
    jarva = District.objects.get(code="jarva")
    response = client.post("/arenden/program/ny/", _form([jarva.pk]))
    assert response.status_code == 302, response.content.decode()[:2000]
    sspf = Programme.objects.get(code="sspf-12-21")
    assert (sspf.min_age, sspf.max_age, sspf.retention_years, sspf.meeting_cadence_days) == (12, 21, 7, 28)
    assert list(sspf.districts.all()) == [jarva]
    assert sspf.participating_kinds == ["police_area", "school", "district_administration"]
    event = AuditEvent.objects.filter(action="programme.saved").get()
    assert event.subject_id == str(sspf.pk) and '"created":true' in event.detail
    assert "SSPF 12" in client.get("/arenden/program/").content.decode()

    # A coordinator in Järva can now register a 20-year-old in SSPF (no code change).
    coordinator = UserFactory(organisation=Organisation.objects.get(short_code="sdf-jarva"), roles=["coordinator"])
    coord = login(coordinator)
    today = timezone.localdate()
    form = coord.get("/arenden/ny/").context["form"]
    assert sspf in form.fields["programme"].queryset
    response = coord.post("/arenden/ny/", {
        "programme": sspf.pk, "identity": make_fictitious(today.replace(year=today.year - 20, day=10), 77),
        "first_name": "Test", "last_name": "Testsson", "intake_source": "police",
        "received_on": today.isoformat(), "intake_summary": "x"})
    assert response.status_code == 302
    assert Case.objects.get().programme == sspf


def test_edit_with_optimistic_locking(setup, login):
    client = login(setup)
    programme = Programme.objects.get(code="sig-unga-jarva")
    districts = list(programme.districts.values_list("pk", flat=True))
    url = f"/arenden/program/{programme.pk}/"
    assert client.get(url).status_code == 200
    data = _form(districts, name="SIG unga – Järva", code=programme.code, max_age=18, retention_years=6,
                 successor=programme.successor_id, version=programme.version)
    assert client.post(url, data).status_code == 302
    programme.refresh_from_db()
    assert programme.retention_years == 6 and programme.version == 2
    # The second editor still holds version 1: told of the conflict, nothing lost.
    stale = client.post(url, {**data, "retention_years": 9})
    assert stale.status_code == 409 and "Someone else saved this" in stale.content.decode()
    programme.refresh_from_db()
    assert programme.retention_years == 6
    # Their input is kept with the stored version; saving again is deliberate and works.
    kept = stale.context["form"].data
    assert kept["retention_years"] == "9" and kept["version"] == str(programme.version)
    assert client.post(url, kept).status_code == 302
    programme.refresh_from_db()
    assert programme.retention_years == 9


def test_validation(setup, login):
    client = login(setup)
    district = District.objects.get(code="jarva").pk
    for bad in ({"min_age": 22}, {"own_consent_from_age": 19}, {"code": "Inte OK"}, {"districts": []}):
        response = client.post("/arenden/program/ny/", _form([district], **bad))
        assert response.status_code == 200, bad
    assert not Programme.objects.filter(code="sspf-12-21").exists()
    programme = Programme.objects.get(code="sig-unga-jarva")
    response = client.post(f"/arenden/program/{programme.pk}/",
                           _form([district], code=programme.code, successor=programme.pk, version=programme.version))
    assert response.status_code == 200  # itself is not a choice
    programme.refresh_from_db()
    assert programme.version == 1


@pytest.mark.parametrize("roles", [["coordinator"], ["manager"], ["dpo"], ["org_admin"]])
def test_other_roles_get_403(setup, login, roles):
    user = UserFactory(organisation=Organisation.objects.get(short_code="sdf-jarva"), roles=roles)
    client = login(user)
    programme = Programme.objects.get(code="sig-unga-jarva")
    assert client.get("/arenden/program/").status_code == 403
    assert client.get(f"/arenden/program/{programme.pk}/").status_code == 403
    assert client.post("/arenden/program/ny/", _form([])).status_code == 403
    assert not Programme.objects.filter(code="sspf-12-21").exists()
