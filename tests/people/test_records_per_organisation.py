"""Each organisation keeps its own record of a person: one district's intake never shows
(or reveals) what another district recorded about the same identity number."""

import pytest
from django.utils import timezone

from samverkan.cases import reference as programmes
from samverkan.cases.models import Case
from samverkan.directory.models import Organisation
from samverkan.directory.services import reference_data_load
from samverkan.lib.identity_numbers import make_fictitious
from samverkan.people.models import Person
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _intake(client, pnr, last_name, address=""):
    form = client.get("/arenden/ny/").context["form"]
    response = client.post("/arenden/ny/", {
        "programme": form.fields["programme"].queryset.first().pk, "identity": pnr,
        "first_name": "Test", "last_name": last_name, "intake_source": "police",
        "received_on": timezone.localdate().isoformat(),
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    return Case.objects.latest("pk")


def test_second_district_gets_its_own_record(logged_in):
    reference_data_load()
    programmes.load()
    jarva = UserFactory(organisation=Organisation.objects.get(short_code="sdf-jarva"), roles=["coordinator"])
    skarholmen = UserFactory(organisation=Organisation.objects.get(short_code="sdf-skarholmen"),
                             roles=["coordinator"])
    today = timezone.localdate()
    pnr = make_fictitious(today.replace(year=today.year - 15), 321)
    jarva_case = _intake(logged_in(jarva), pnr, "Järvanamn")
    client_b = logged_in(skarholmen)
    b_case = _intake(client_b, pnr, "Skärholmsnamn")
    assert jarva_case.person_id != b_case.person_id
    assert Person.objects.filter(identity_number=jarva_case.person.identity_number).count() == 2
    page = client_b.get(f"/arenden/{b_case.public_id}/").content.decode()
    assert "Skärholmsnamn" in page
    assert "Järvanamn" not in page
    # Skärholmen's look-up finds only its own case, nothing of Järva's.
    result = client_b.post("/arenden/sok/", {"identity": pnr, "purpose": "Kontroll inför samverkansmöte"})
    body = result.content.decode()
    assert str(b_case.public_id) in body
    assert str(jarva_case.public_id) not in body
