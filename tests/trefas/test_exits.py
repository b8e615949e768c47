"""The way out: a SIG intake from the list creates a case only for a social-services
member (on their own organisation's record of the person), others see why not; a
referral to an exit programme; the case page shows the Trefas link only to a viewer who
takes part in the forum; outsiders get 404."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from samverkan.audit.actions import Action
from samverkan.audit.models import AuditEvent
from samverkan.cases.models import Case, Programme, TeamMember, TeamRole
from samverkan.people.models import Person
from samverkan.trefas.models import ExitKind, ExitLink, Rating
from tests.conftest import fast_login
from tests.trefas.world import OUTSIDERS, list_person, trefas_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return trefas_world()


def _url(world, listing):
    return f"/trefas/{world.forum.pk}/lista/{listing.pk}/vag-ut/"


def _programme():
    return Programme.objects.get(code="sig-unga-vuxna-jarva")


def test_social_services_start_a_sig_intake_on_their_own_record(world):
    listing = list_person(world, by="police", rating=Rating.RED, age=20, first_name="Utgång")
    client = fast_login(world.users["soc"])
    page = client.get(_url(world, listing))
    assert page.status_code == 200 and page.context["sig_form"] is not None
    response = client.post(_url(world, listing), {"track": "sig", "programme": _programme().pk,
                                                  "intake_summary": "Vill lämna"})
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", kwargs={"public_id": case.public_id})
    assert case.lead_organisation_id == world.orgs["soc"].pk
    # The case is on social services' own record of the same identity number, not the police's.
    assert case.person.organisation_id == world.orgs["soc"].pk
    assert case.person_id != listing.person_id
    assert case.person.identity_number == listing.person.identity_number
    police_record = Person.objects.get(pk=listing.person_id)
    assert police_record.organisation_id == world.orgs["police"].pk
    link = ExitLink.objects.get()
    assert (link.kind, link.case_id, link.listing_id) == (ExitKind.SIG_INTAKE, case.pk, listing.pk)
    event = AuditEvent.objects.get(action=Action.TREFAS_EXIT_STARTED)
    assert json.loads(event.detail)["case"] == str(case.public_id) and json.loads(event.detail)["red"] is True
    # A second intake of the same person is the intake's duplicate error, nothing created.
    again = client.post(_url(world, listing), {"track": "sig", "programme": _programme().pk})
    assert again.status_code == 400
    assert Case.objects.count() == 1 and ExitLink.objects.count() == 1


def test_a_person_listed_by_social_services_keeps_their_record(world):
    listing = list_person(world, by="soc", age=19)
    fast_login(world.users["soc"]).post(_url(world, listing), {"track": "sig", "programme": _programme().pk})
    assert Case.objects.get().person_id == listing.person_id


def test_other_members_see_why_not_and_cannot_start_an_intake(world):
    listing = list_person(world, by="police", age=20)
    for name in ("police", "probation", "city_coord", "school"):
        client = fast_login(world.users[name])
        page = client.get(_url(world, listing))
        assert page.status_code == 200 and page.context["sig_form"] is None, name
        assert "Only district social services can register a SIG intake" in page.content.decode()
        response = client.post(_url(world, listing), {"track": "sig", "programme": _programme().pk})
        assert response.status_code == 403, name
    assert not Case.objects.exists() and not ExitLink.objects.exists()
    assert fast_login(world.users["soc_jurist"]).get(_url(world, listing)).status_code == 403


def test_a_referral_to_an_exit_programme_is_recorded(world):
    listing = list_person(world, by="police")
    response = fast_login(world.users["probation"]).post(
        _url(world, listing), {"track": "programme", "programme_name": "Exit (Fryshuset)", "note": "Första möte"})
    assert response.status_code == 302
    link = ExitLink.objects.get()
    assert (link.kind, link.programme_name, link.case_id) == (ExitKind.EXIT_PROGRAMME, "Exit (Fryshuset)", None)
    page = fast_login(world.users["school"]).get(_url(world, listing)).content.decode()
    assert "Exit (Fryshuset)" in page
    missing = fast_login(world.users["probation"]).post(_url(world, listing), {"track": "programme",
                                                                               "programme_name": ""})
    assert missing.status_code == 400 and ExitLink.objects.count() == 1


def test_outsiders_get_404(world):
    listing = list_person(world, by="police")
    for name in OUTSIDERS:
        client = fast_login(world.users[name])
        assert client.get(_url(world, listing)).status_code == 404, name
        assert client.post(_url(world, listing), {"track": "programme", "programme_name": "X"}).status_code == 404
    assert not ExitLink.objects.exists()
    # A listing of another forum is not found in this one.
    assert fast_login(world.users["soc"]).get(f"/trefas/{world.forum.pk}/lista/987654/vag-ut/").status_code == 404


def test_the_case_page_shows_the_trefas_link_only_to_forum_members(world):
    listing = list_person(world, by="police", age=20)
    fast_login(world.users["soc"]).post(_url(world, listing), {"track": "sig", "programme": _programme().pk})
    case = Case.objects.get()
    # The SIG coordinator of the same organisation, not in the forum, is on the case team.
    TeamMember.objects.create(case=case, user=world.users["sig_coord"], organisation=world.orgs["soc"],
                              team_role=TeamRole.CASEWORKER)
    url = reverse("cases:detail", kwargs={"public_id": case.public_id})
    member = fast_login(world.users["soc"]).get(url)
    assert member.status_code == 200
    assert f"Also on the Trefas list of {world.forum.name}" in member.content.decode()
    [shown] = member.context["trefas_links"]
    assert shown.listing_id == listing.pk and str(world.forum.pk) in shown.url
    assert AuditEvent.objects.filter(action=Action.TREFAS_PERSON_VIEWED, subject_id=str(listing.pk)).exists()
    outsider = fast_login(world.users["sig_coord"]).get(url)
    assert outsider.status_code == 200
    assert outsider.context["trefas_links"] == []
    assert world.forum.name not in outsider.content.decode()
    assert "Also on the Trefas list" not in outsider.content.decode()
    # Once the person leaves the list, the case page no longer points there.
    listing.removed_at = listing.listed_at
    listing.save(update_fields=["removed_at"])
    assert fast_login(world.users["soc"]).get(url).context["trefas_links"] == []
