"""The agreement pages and services: who sees and edits which agreement (with the
negative cases), creating one, parties and signatories, signing and the frozen text of a
signed agreement, ending, optimistic locking and the pages' query counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from samverkan.agreement.models import Agreement, AgreementKind, AgreementStatus, Commitment, Signatory
from samverkan.agreement.selectors.agreements import agreement_groups, problems_seen
from samverkan.agreement.services import agreements as services
from samverkan.agreement.services import commitments as commitment_services
from samverkan.audit.actions import Action
from samverkan.audit.models import AuditEvent
from tests.agreement.agreement_world import add_commitment, build_agreement_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_agreement_world()


def _edit_post(world, agreement, **changes):
    data = {
        "version": agreement.version, "kind": agreement.kind, "title": agreement.title,
        "municipality": agreement.municipality if agreement.kind == AgreementKind.CITY else "",
        "district": agreement.district_id or "", "police": agreement.police_id, "parent": agreement.parent_id or "",
        "valid_from": agreement.valid_from.isoformat(), "valid_to": agreement.valid_to.isoformat(),
        "goals": agreement.goals, "areas": list(agreement.areas.values_list("pk", flat=True)),
        "problems": list(agreement.problems.values_list("pk", flat=True)),
    }
    data.update(changes)
    return data


# --- who sees and edits what ------------------------------------------------------------


@pytest.mark.parametrize("persona, sees_city, sees_jarva", [
    ("city_coord", True, True), ("jarva_coord", True, True), ("jarva_staff", True, True),
    ("police_rinkeby", True, True), ("police_region", True, True),
    ("police_skarholmen", True, False), ("skarholmen_coord", True, False), ("tax", False, False),
])
def test_who_reads_which_agreement(world, login, persona, sees_city, sees_jarva):
    client = login(world[persona])
    for agreement, sees in ((world.city, sees_city), (world.jarva, sees_jarva)):
        response = client.get(reverse("agreement:detail", args=[agreement.pk]))
        assert response.status_code == (200 if sees else 404), (persona, agreement.title)
    listed = client.get(reverse("agreement:list")).content.decode()
    assert (world.jarva.title in listed) == sees_jarva
    assert (world.city.title in listed) == sees_city


@pytest.mark.parametrize("persona, city_status, jarva_status", [
    ("city_coord", 200, 200),  # the city edits the city-wide one (and every district's)
    ("jarva_coord", 403, 200),  # the district administration: its district's only
    ("police_rinkeby_lead", 403, 200),  # the police organisation of Järva's agreement
    ("police_region", 200, 403),  # the police region of the city-wide agreement
    ("jarva_staff", 403, 403),  # reads, but a caseworker does not manage agreements
    ("police_rinkeby", 403, 403),  # a police caseworker reports presence, does not manage
    ("police_skarholmen", 403, 404),  # Järva's agreement is outside their scope
    ("tax", 404, 404),
])
def test_who_edits_which_agreement(world, login, persona, city_status, jarva_status):
    client = login(world[persona])
    for agreement, expected in ((world.city, city_status), (world.jarva, jarva_status)):
        url = reverse("agreement:edit", args=[agreement.pk])
        assert client.get(url).status_code == expected, (persona, agreement.title)
        response = client.post(url, _edit_post(world, agreement, title="Ändrad"))
        assert response.status_code == (302 if expected == 200 else expected)
        agreement.refresh_from_db()
        assert (agreement.title == "Ändrad") == (expected == 200)
        Agreement.objects.filter(pk=agreement.pk).update(title="Orig")
        agreement.refresh_from_db()


def test_the_service_refuses_whoever_the_page_refuses(world):
    data = services.AgreementInput(
        kind=AgreementKind.CITY, title="X", municipality="Stockholm", district=None, police=world.city.police,
        parent=None, areas=[], valid_from=world.city.valid_from, valid_to=world.city.valid_to, goals="",
        problems=[])
    for persona in ("jarva_coord", "jarva_staff"):
        with pytest.raises(PermissionDenied):
            services.agreement_update(actor=world[persona], access=world.access(persona), agreement=world.city,
                                      data=data, expected_version=world.city.version)


def test_the_list_groups_local_agreements_under_the_city_wide_one(world):
    groups = agreement_groups(access=world.access("city_coord"))
    assert [g.agreement for g in groups] == [world.city]
    assert groups[0].local == [world.jarva]
    # Someone who sees only the city-wide one sees no local agreement under it.
    groups = agreement_groups(access=world.access("skarholmen_coord"))
    assert [(g.agreement, g.local) for g in groups] == [(world.city, [])]


# --- creating ------------------------------------------------------------------------------


def test_jarva_creates_a_local_agreement_and_cannot_create_a_city_wide_one(world, login):
    client = login(world["jarva_coord"])
    today = timezone.localdate()
    base = {"title": "Ny lokal", "valid_from": today.isoformat(), "valid_to": (today + timedelta(days=365)).isoformat(),
            "goals": "Mål", "areas": [world.local.areas["husby"].pk], "problems": [world.jarva_problem.pk]}
    response = client.post(reverse("agreement:new"), {
        **base, "kind": "local", "district": world.local.districts["jarva"].pk,
        "police": world.local.orgs["police_rinkeby"].pk, "parent": world.city.pk})
    assert response.status_code == 302
    made = Agreement.objects.get(title="Ny lokal")
    assert made.municipality == "Stockholm" and made.status == AgreementStatus.DRAFT and made.parent == world.city
    assert list(made.problems.all()) == [world.jarva_problem]
    assert AuditEvent.objects.filter(action=Action.AGREEMENT_CREATED, subject_id=str(made.pk)).exists()
    # A city-wide one is out of the district's reach: refused, nothing written.
    response = client.post(reverse("agreement:new"), {
        **base, "title": "Ny stad", "kind": "city", "municipality": "Stockholm",
        "police": world.local.orgs["police_region"].pk, "areas": [], "problems": []})
    assert response.status_code == 403
    assert not Agreement.objects.filter(title="Ny stad").exists()


def test_problems_come_from_the_situation_reports_of_the_municipality_or_district(world):
    data = services.AgreementInput(
        kind=AgreementKind.LOCAL, title="Järva", municipality="", district=world.local.districts["jarva"],
        police=world.local.orgs["police_rinkeby"], parent=world.city, areas=[world.local.areas["bredang"]],
        valid_from=world.jarva.valid_from, valid_to=world.jarva.valid_to, goals="",
        problems=[world.skarholmen_problem])
    with pytest.raises(ValidationError) as caught:
        services.agreement_create(actor=world["city_coord"], access=world.access("city_coord"), data=data)
    assert set(caught.value.message_dict) == {"areas", "problems"}
    # The police of another area do not see Järva's problems at all; Järva's staff do.
    assert set(problems_seen(access=world.access("police_skarholmen"))) == {world.city_problem,
                                                                             world.skarholmen_problem}
    assert set(problems_seen(access=world.access("jarva_staff"))) == {world.city_problem, world.jarva_problem}
    assert not problems_seen(access=world.access("tax")).exists()


def test_new_agreement_page_needs_manage(world, login):
    assert login(world["jarva_staff"]).get(reverse("agreement:new")).status_code == 403
    assert login(world["city_coord"]).get(reverse("agreement:new")).status_code == 200


# --- parties, signatories, signing, frozen text ----------------------------------------


def test_signing_then_the_text_is_frozen_but_the_follow_up_continues(world, login):
    client = login(world["jarva_coord"])
    jarva = world.jarva
    add_commitment(world, jarva, "jarva", problem=world.jarva_problem)
    detail = reverse("agreement:detail", args=[jarva.pk])
    for org, office in (("police_rinkeby", "Lokalpolisområdeschef"), ("jarva", "Ordförande i stadsdelsnämnden")):
        jarva.refresh_from_db()
        response = client.post(reverse("agreement:signatory_new", args=[jarva.pk]), {
            "version": jarva.version, "organisation": world.local.orgs[org].pk, "office": office, "name": "Fiktiv"})
        assert response.status_code == 302
    jarva.refresh_from_db()
    # Not signed by everyone yet: refused.
    response = client.post(reverse("agreement:sign", args=[jarva.pk]), {"version": jarva.version})
    assert response.status_code == 200 and "Every signatory must sign first" in response.content.decode()
    for signatory in Signatory.objects.filter(agreement=jarva):
        url = reverse("agreement:signatory_sign", args=[jarva.pk, signatory.pk])
        assert "cannot be changed" in client.get(url).content.decode()  # the confirmation
        jarva.refresh_from_db()
        future = (timezone.localdate() + timedelta(days=2)).isoformat()
        assert client.post(url, {"version": jarva.version, "signed_on": future}).status_code == 200
        response = client.post(url, {"version": jarva.version, "signed_on": timezone.localdate().isoformat()})
        assert response.status_code == 302
    assert not Signatory.objects.filter(agreement=jarva, signed_on__isnull=True).exists()
    jarva.refresh_from_db()
    assert client.post(reverse("agreement:sign", args=[jarva.pk]), {"version": jarva.version}).status_code == 302
    jarva.refresh_from_db()
    assert jarva.status == AgreementStatus.SIGNED
    assert AuditEvent.objects.filter(action=Action.AGREEMENT_STATUS_CHANGED, subject_id=str(jarva.pk)).exists()
    assert AuditEvent.objects.filter(action=Action.AGREEMENT_SIGNED, subject_id=str(jarva.pk)).count() == 2
    # Frozen: the edit page sends back, the services refuse the text, parties and commitments' wording.
    assert client.get(reverse("agreement:edit", args=[jarva.pk])).status_code == 302
    response = client.post(reverse("agreement:edit", args=[jarva.pk]), _edit_post(world, jarva, goals="Nya mål"))
    jarva.refresh_from_db()
    assert jarva.goals == "Tryggare torg."
    access = world.access("jarva_coord")
    with pytest.raises(ValidationError):
        services.party_add(actor=world["jarva_coord"], access=access, agreement=jarva,
                           organisation=world.local.orgs["housing"], role="", expected_version=jarva.version)
    commitment = Commitment.objects.get(agreement=jarva)
    with pytest.raises(ValidationError):
        commitment_services.commitment_update(
            actor=world["jarva_coord"], access=access, agreement=jarva, commitment=commitment,
            data=commitment_services.CommitmentText(organisation_id=commitment.organisation_id, problem=None,
                                                    text="Annan text", due_on=None),
            status="ongoing", evidence="", expected_version=commitment.version)
    with pytest.raises(ValidationError):
        commitment_services.commitment_create(
            actor=world["jarva_coord"], access=access, agreement=jarva,
            data=commitment_services.CommitmentText(organisation_id=commitment.organisation_id, problem=None,
                                                    text="Ny", due_on=None))
    # Status and evidence continue (the page offers only those).
    url = reverse("agreement:commitment_edit", args=[jarva.pk, commitment.pk])
    page = client.get(url).content.decode()
    assert 'name="text"' not in page and 'name="status"' in page
    response = client.post(url, {"version": commitment.version, "status": "ongoing", "evidence": "Två vandringar"})
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert (commitment.status, commitment.evidence, commitment.text) == ("ongoing", "Två vandringar",
                                                                         "Fler trygghetsvandringar")
    # Ending, after a confirmation; then nothing moves.
    jarva.refresh_from_db()
    assert "read only" in client.get(reverse("agreement:end", args=[jarva.pk])).content.decode()
    assert client.post(reverse("agreement:end", args=[jarva.pk]), {"version": jarva.version}).status_code == 302
    jarva.refresh_from_db()
    assert jarva.status == AgreementStatus.ENDED
    commitment.refresh_from_db()
    with pytest.raises(ValidationError):
        commitment_services.commitment_update(
            actor=world["jarva_coord"], access=access, agreement=jarva, commitment=commitment, data=None,
            status="done", evidence="", expected_version=commitment.version)
    assert client.get(detail).status_code == 200


def test_a_signatory_signs_for_the_police_or_a_party(world):
    with pytest.raises(ValidationError):
        services.signatory_add(actor=world["jarva_coord"], access=world.access("jarva_coord"), agreement=world.jarva,
                               organisation=world.local.orgs["tax"], office="Chef", name="X",
                               expected_version=world.jarva.version)


def test_a_party_with_commitments_is_not_removed(world, login):
    add_commitment(world, world.jarva, "jarva")
    party = world.jarva.parties.get(organisation=world.local.orgs["jarva"])
    client = login(world["jarva_coord"])
    client.post(reverse("agreement:party_remove", args=[world.jarva.pk, party.pk]), {"version": world.jarva.version})
    assert world.jarva.parties.filter(pk=party.pk).exists()
    housing = client.post(reverse("agreement:party_new", args=[world.jarva.pk]), {
        "version": world.jarva.version, "organisation": world.local.orgs["housing"].pk, "role": "Fastighetsägare"})
    assert housing.status_code == 302
    world.jarva.refresh_from_db()
    added = world.jarva.parties.get(organisation=world.local.orgs["housing"])
    client.post(reverse("agreement:party_remove", args=[world.jarva.pk, added.pk]),
                {"version": world.jarva.version, "confirmed": "1"})
    assert not world.jarva.parties.filter(pk=added.pk).exists()


# --- optimistic locking, query counts ----------------------------------------------------


def test_a_concurrent_edit_answers_409_and_keeps_the_input(world, login):
    client = login(world["jarva_coord"])
    url = reverse("agreement:edit", args=[world.jarva.pk])
    stale = _edit_post(world, world.jarva, goals="Mina mål")
    assert login(world["city_coord"]).post(url, _edit_post(world, world.jarva, goals="Stadens mål")).status_code == 302
    response = client.post(url, stale)
    assert response.status_code == 409
    assert "Mina mål" in response.content.decode()
    world.jarva.refresh_from_db()
    assert world.jarva.goals == "Stadens mål"
    # Saving again is a deliberate choice to replace: the page now carries the stored version.
    assert client.post(url, {**stale, "version": world.jarva.version}).status_code == 302
    world.jarva.refresh_from_db()
    assert world.jarva.goals == "Mina mål"


def test_the_pages_cost_the_same_at_any_size(world, login, django_assert_max_num_queries):
    client = login(world["city_coord"])
    detail = reverse("agreement:detail", args=[world.jarva.pk])
    listing = reverse("agreement:list")
    client.get(detail)
    with django_assert_max_num_queries(40) as small_detail:
        client.get(detail)
    with django_assert_max_num_queries(40) as small_list:
        client.get(listing)
    for i in range(6):
        add_commitment(world, world.jarva, ["jarva", "police_rinkeby"][i % 2], text=f"Åtagande {i}",
                       problem=world.jarva_problem)
        Agreement.objects.create(kind=AgreementKind.LOCAL, title=f"Lokal {i}", municipality="Stockholm",
                                 district=world.local.districts["skarholmen"], police=world.local.orgs["police_skarholmen"],
                                 parent=world.city, valid_from=world.jarva.valid_from, valid_to=world.jarva.valid_to)
    with django_assert_max_num_queries(40) as large_detail:
        client.get(detail)
    with django_assert_max_num_queries(40) as large_list:
        client.get(listing)
    assert len(small_detail.captured_queries) == len(large_detail.captured_queries)
    assert len(small_list.captured_queries) == len(large_list.captured_queries)


def test_the_police_create_a_local_agreement_only_as_its_police_organisation(world, login):
    client = login(world["police_rinkeby_lead"])
    today = timezone.localdate()
    base = {"kind": "local", "district": world.local.districts["jarva"].pk, "parent": world.city.pk,
            "valid_from": today.isoformat(), "valid_to": (today + timedelta(days=30)).isoformat(), "goals": "",
            "areas": [], "problems": []}
    response = client.post(reverse("agreement:new"), {**base, "title": "Polisens",
                                                      "police": world.local.orgs["police_rinkeby"].pk})
    assert response.status_code == 302
    response = client.post(reverse("agreement:new"), {**base, "title": "Någon annans",
                                                      "police": world.local.orgs["police_skarholmen"].pk})
    assert response.status_code == 403
    assert not Agreement.objects.filter(title="Någon annans").exists()
    # A city-wide agreement needs a police region, a local one a local police area.
    response = login(world["city_coord"]).post(reverse("agreement:new"), {
        **base, "title": "Fel polis", "police": world.local.orgs["police_region"].pk})
    assert response.status_code == 200 and not Agreement.objects.filter(title="Fel polis").exists()
    assert "A local agreement is made with a local police area." in response.content.decode()
