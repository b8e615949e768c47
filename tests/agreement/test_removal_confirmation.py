"""Removing a party, a signatory, a commitment or a promised presence from a draft
agreement asks first (frontend.confirm): the first POST shows what will be removed and that
it cannot be undone, and changes nothing; the POST sent from that page removes and audits;
Cancel goes back to the agreement unchanged."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from samverkan.agreement.models import AgreementParty, Commitment, PresencePromise, Signatory
from samverkan.audit.models import AuditEvent
from tests.agreement.agreement_world import add_commitment, add_presence, build_agreement_world, sign_directly

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_agreement_world()


def _hidden(body: str, name: str, value: object) -> bool:
    return f'type="hidden" name="{name}" value="{value}"' in body


def _asks(client, url, data, *, texts, events):
    """The first POST: a confirmation page with the texts, the data carried, nothing audited."""
    before = AuditEvent.objects.filter(action__in=events).count()
    first = client.post(url, data)
    assert first.status_code == 200
    body = first.content.decode()
    for text in texts:
        assert text in body, text
    assert "The removal cannot be undone" in body and "govuk-button--warning" in body
    assert _hidden(body, "confirmed", "1") and "csrfmiddlewaretoken" in body
    for name, value in data.items():
        assert _hidden(body, name, value)
    assert AuditEvent.objects.filter(action__in=events).count() == before
    return body


def test_removing_a_party_asks_first_then_removes(world, login):
    client = login(world["jarva_coord"])
    party = AgreementParty.objects.create(agreement=world.jarva, organisation=world.local.orgs["housing"],
                                          role="Fastighetsägare")
    url = reverse("agreement:party_remove", args=[world.jarva.pk, party.pk])
    data = {"version": world.jarva.version}
    body = _asks(client, url, data, events=["agreement.updated"],
                 texts=[f"Remove {party.organisation.name} from the agreement?", "Yes, remove the party",
                        "Fastighetsägare", world.jarva.title])
    detail = reverse("agreement:detail", args=[world.jarva.pk])
    assert f'href="{detail}"' in body  # Cancel: back to the agreement, nothing removed
    assert AgreementParty.objects.filter(pk=party.pk).exists()

    assert client.post(url, {**data, "confirmed": "1"}).status_code == 302
    assert not AgreementParty.objects.filter(pk=party.pk).exists()
    assert AuditEvent.objects.filter(action="agreement.updated", detail__contains="party_removed").count() == 1


def test_a_party_with_commitments_is_refused_before_any_confirmation(world, login):
    add_commitment(world, world.jarva, "jarva")
    party = world.jarva.parties.get(organisation=world.local.orgs["jarva"])
    client = login(world["jarva_coord"])
    response = client.post(reverse("agreement:party_remove", args=[world.jarva.pk, party.pk]),
                           {"version": world.jarva.version}, follow=True)
    body = response.content.decode()
    assert "The party has commitments. Remove them first." in body and "Yes, remove the party" not in body
    assert AgreementParty.objects.filter(pk=party.pk).exists()


def test_removing_a_signatory_asks_first_and_names_a_recorded_signature(world, login):
    signatory = Signatory.objects.create(agreement=world.jarva, organisation=world.local.orgs["jarva"],
                                         office="Ordförande", name="Fiktiv Ordf", signed_on="2026-01-15")
    client = login(world["jarva_coord"])
    url = reverse("agreement:signatory_remove", args=[world.jarva.pk, signatory.pk])
    data = {"version": world.jarva.version}
    _asks(client, url, data, events=["agreement.updated"],
          texts=["Remove the signatory Ordförande?", "Fiktiv Ordf", "Yes, remove the signatory",
                 "The signature recorded for 2026-01-15 is removed with them."])
    assert Signatory.objects.filter(pk=signatory.pk).exists()

    assert client.post(url, {**data, "confirmed": "1"}).status_code == 302
    assert not Signatory.objects.filter(pk=signatory.pk).exists()
    assert AuditEvent.objects.filter(action="agreement.updated", detail__contains="signatory_removed").count() == 1


def test_removing_a_commitment_asks_first_then_removes(world, login):
    commitment = add_commitment(world, world.jarva, "jarva", text="Fler trygghetsvandringar")
    client = login(world["jarva_coord"])
    url = reverse("agreement:commitment_remove", args=[world.jarva.pk, commitment.pk])
    data = {"version": commitment.version}
    _asks(client, url, data, events=["agreement.commitment_changed"],
          texts=["Remove the commitment?", "Fler trygghetsvandringar", "Yes, remove the commitment"])
    assert Commitment.objects.filter(pk=commitment.pk).exists()

    assert client.post(url, {**data, "confirmed": "1"}).status_code == 302
    assert not Commitment.objects.filter(pk=commitment.pk).exists()
    assert AuditEvent.objects.filter(action="agreement.commitment_changed").count() == 1


def test_removing_a_promised_presence_asks_first_then_removes(world, login):
    promise = add_presence(world, world.jarva)
    client = login(world["jarva_coord"])
    url = reverse("agreement:presence_remove", args=[world.jarva.pk, promise.pk])
    _asks(client, url, {}, events=["agreement.presence_changed"],
          texts=["Remove the promised presence?", promise.what, "Yes, remove the promise"])
    assert PresencePromise.objects.filter(pk=promise.pk).exists()

    assert client.post(url, {"confirmed": "1"}).status_code == 302
    assert not PresencePromise.objects.filter(pk=promise.pk).exists()
    assert AuditEvent.objects.filter(action="agreement.presence_changed").count() == 1


def test_going_back_from_the_confirmation_leaves_the_draft_as_it_was(world, login):
    """Cancel is a link back to the agreement, where the commitment is still there."""
    commitment = add_commitment(world, world.jarva, "jarva", text="Kvar efter avbrott")
    client = login(world["jarva_coord"])
    url = reverse("agreement:commitment_remove", args=[world.jarva.pk, commitment.pk])
    body = client.post(url, {"version": commitment.version}).content.decode()
    cancel = re.search(r'<a class="govuk-link" href="([^"]+)">Cancel</a>', body)
    assert cancel is not None
    back = client.get(cancel.group(1))
    assert back.status_code == 200 and "Kvar efter avbrott" in back.content.decode()
    assert Commitment.objects.filter(pk=commitment.pk).exists()
    assert not AuditEvent.objects.filter(action="agreement.commitment_changed").exists()


def test_the_confirmation_is_not_shown_to_those_who_may_not_remove(world, login):
    party = world.jarva.parties.get(organisation=world.local.orgs["jarva"])
    url = reverse("agreement:party_remove", args=[world.jarva.pk, party.pk])
    assert login(world["jarva_staff"]).post(url, {"version": world.jarva.version}).status_code == 403
    assert login(world["police_skarholmen"]).post(url, {"version": world.jarva.version}).status_code == 404
    assert AgreementParty.objects.filter(pk=party.pk).exists()


def test_a_signed_agreement_asks_nothing_and_removes_nothing(world, login):
    sign_directly(world, world.jarva)
    promise = add_presence(world, world.jarva)
    client = login(world["jarva_coord"])
    response = client.post(reverse("agreement:presence_remove", args=[world.jarva.pk, promise.pk]))
    assert response.status_code == 302
    assert PresencePromise.objects.filter(pk=promise.pk).exists()
