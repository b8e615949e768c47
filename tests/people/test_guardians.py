"""Guardians page: the lead team registers the participant's guardians."""

from __future__ import annotations

import pytest

from samverkan.audit.models import AuditEvent
from samverkan.lib.identity_numbers import make_fictitious
from samverkan.people.models import Guardianship
from tests.world import build_world, years_ago

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world(guardians=0, notes=False)


def test_lead_registers_a_guardian(world, logged_in):
    client = logged_in(world.users["jarva_coord"])
    assert client.get(world.url + "vardnadshavare/").status_code == 200
    pnr = make_fictitious(years_ago(40), 555)
    response = client.post(world.url + "vardnadshavare/", {
        "identity": pnr, "first_name": "Mamma", "last_name": "Testsson", "phone": "070-000 00 00"})
    assert response.status_code == 302
    guardianship = Guardianship.objects.get(child=world.case.person)
    assert guardianship.guardian.identity_number == pnr and guardianship.guardian.phone == "070-000 00 00"
    assert guardianship.guardian.is_fictitious
    event = AuditEvent.objects.filter(action="person.guardian_added").latest("seq")
    assert pnr not in event.detail and "Mamma" not in event.detail
    page = client.get(world.url + "vardnadshavare/").content.decode()
    assert "Mamma Testsson" in page
    assert AuditEvent.objects.filter(action="person.viewed").exists()


@pytest.mark.parametrize("identity,message", [
    ("19640823-3235", "The check digit is wrong"),
    (None, "A guardian must be an adult"),
    ("self", "That is the participant"),
])
def test_guardian_form_errors(world, logged_in, identity, message):
    if identity is None:
        identity = make_fictitious(years_ago(16), 556)
    elif identity == "self":
        identity = world.case.person.identity_number
    client = logged_in(world.users["jarva_coord"])
    response = client.post(world.url + "vardnadshavare/", {"identity": identity, "first_name": "A", "last_name": "B"})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Guardianship.objects.exists()


def test_others_may_not_see_or_add_guardians(world, logged_in):
    from samverkan.lib.identity_numbers import parse
    from samverkan.people.services import guardian_add

    guardian_add(actor=world.users["jarva_coord"], child=world.case.person, identity=parse(make_fictitious(years_ago(41), 1)),
                 first_name="Hemlig", last_name="Vårdnadshavare", is_fictitious=True)
    post = {"identity": make_fictitious(years_ago(39), 2), "first_name": "X", "last_name": "Y"}
    for who, status in (("police", 403), ("school", 403), ("probation", 403), ("tax", 404),
                        ("skarholmen", 404)):
        client = logged_in(world.users[who])
        response = client.get(world.url + "vardnadshavare/")
        assert response.status_code == status, who
        assert "Hemlig" not in response.content.decode()
        assert client.post(world.url + "vardnadshavare/", post).status_code == status
    observer = logged_in(world.users["jarva_observer"])
    assert observer.get(world.url + "vardnadshavare/").status_code == 200  # reads
    assert observer.post(world.url + "vardnadshavare/", post).status_code == 403  # does not write
    assert Guardianship.objects.count() == 1
