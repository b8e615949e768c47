"""A party's commitments on the pages: added with a party and one of the agreement's
problems, changed and removed while the agreement is a draft, by those who manage it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from samverkan.agreement.models import Commitment
from samverkan.audit.actions import Action
from samverkan.audit.models import AuditEvent
from tests.agreement.agreement_world import add_commitment, build_agreement_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_agreement_world()


def test_a_commitment_is_added_for_a_party_and_one_of_the_agreements_problems(world, login):
    client = login(world["jarva_coord"])
    url = reverse("agreement:commitment_new", args=[world.jarva.pk])
    data = {"organisation": world.local.orgs["police_rinkeby"].pk, "text": "Fotpatrull fredagar",
            "problem": world.jarva_problem.pk, "due_on": "", "status": "not_started", "evidence": ""}
    assert client.post(url, data).status_code == 302
    made = Commitment.objects.get(agreement=world.jarva)
    assert (made.organisation, made.problem, made.text) == (world.local.orgs["police_rinkeby"], world.jarva_problem,
                                                            "Fotpatrull fredagar")
    # Not a party, or a problem the agreement does not prioritise: refused, nothing written.
    for wrong in ({"organisation": world.local.orgs["tax"].pk}, {"problem": world.skarholmen_problem.pk}):
        response = client.post(url, {**data, **wrong, "text": "Fel"})
        assert response.status_code == 200
    assert not Commitment.objects.filter(text="Fel").exists()
    assert login(world["jarva_staff"]).post(url, data).status_code == 403
    assert login(world["police_skarholmen"]).post(url, data).status_code == 404
    assert AuditEvent.objects.filter(action=Action.AGREEMENT_COMMITMENT_CHANGED, subject_id=str(world.jarva.pk)
                                     ).count() == 1


def test_a_draft_commitment_is_changed_and_removed(world, login):
    commitment = add_commitment(world, world.jarva, "jarva")
    client = login(world["jarva_coord"])
    url = reverse("agreement:commitment_edit", args=[world.jarva.pk, commitment.pk])
    assert 'name="text"' in client.get(url).content.decode()
    response = client.post(url, {"version": commitment.version, "organisation": world.local.orgs["jarva"].pk,
                                 "text": "Ny lydelse", "problem": "", "due_on": "2027-06-30", "status": "ongoing",
                                 "evidence": ""})
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert (commitment.text, str(commitment.due_on), commitment.status) == ("Ny lydelse", "2027-06-30", "ongoing")
    remove = reverse("agreement:commitment_remove", args=[world.jarva.pk, commitment.pk])
    client.post(remove, {"version": commitment.version - 1, "confirmed": "1"})  # an old version: nothing removed
    assert Commitment.objects.filter(pk=commitment.pk).exists()
    client.post(remove, {"version": commitment.version, "confirmed": "1"})
    assert not Commitment.objects.filter(pk=commitment.pk).exists()
