"""The registerutdrag includes what Trefas holds about the person: listings with their
rating history, shares about them with to whom, on what basis and the jurist's decision
(refusals too), the disclosure register's Trefas rows, incident links, releases and
exits — each under its owning organisation — in the JSON and the PDF; nothing about
another person."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from samverkan.audit.models import AuditEvent
from samverkan.consent.models import Disclosure, DisclosureOutcome, DisclosureTrack
from samverkan.trefas.models import (
    ExitKind,
    ExitLink,
    Incident,
    IncidentKind,
    IncidentLink,
    LinkRole,
    Listing,
    Rating,
    RatingChange,
    Release,
    ReleaseKind,
    Share,
    ShareState,
)
from tests.conftest import fast_login
from tests.documents import pdf_text, squash
from tests.factories import UserFactory
from tests.trefas.world import list_person, trefas_world
from tests.world import basis, fresh_auth

pytestmark = pytest.mark.django_db

PURPOSE = "Begäran om registerutdrag dnr 2026-99"


def _share(w, listing, *, by, to, state, reason, text):
    user = w.users[by]
    s = Share.objects.create(
        forum=w.forum, listing=listing, from_organisation=user.organisation, proposed_by=user,
        proposed_at=timezone.now(), topic="since_last", text=text, basis=basis("osl-10-18a"),
        balancing_test="Avvägning gjord", state=state, decided_by=w.users[f"{by}_jurist"],
        decided_at=timezone.now(), decision_reason=reason)
    s.recipients.set([w.orgs[o] for o in to])
    for org in to:
        Disclosure.objects.create(
            track=DisclosureTrack.TREFAS, person=listing.person, source_type="trefas_share", source_id=str(s.pk),
            outcome=DisclosureOutcome.DISCLOSED if state == ShareState.APPROVED else DisclosureOutcome.REFUSED,
            refusal_reason=reason if state == ShareState.REFUSED else "", basis=s.basis,
            from_organisation=user.organisation, to_organisation=w.orgs[org], description=text,
            balancing_test="Avvägning gjord", decided_by=w.users[f"{by}_jurist"], decided_at=timezone.now())
    return s


@pytest.fixture
def world():
    w = trefas_world()
    w.users["dpo"] = UserFactory(organisation=w.orgs["soc"], roles=["dpo"])
    listing = list_person(w, by="police", rating=Rating.YELLOW, first_name="Registersson")
    Listing.objects.filter(pk=listing.pk).update(rating=Rating.RED, rating_reason="Hotad efter skjutning")
    RatingChange.objects.create(listing=listing, rating=Rating.RED, previous_rating=Rating.YELLOW,
                                reason="Hotad efter skjutning", set_by=w.users["police"],
                                set_by_organisation=w.orgs["police"], set_at=timezone.now())
    _share(w, listing, by="soc", to=("police", "probation"), state=ShareState.APPROVED, reason="Uppfyller 18 a",
           text="Socialtjänstens insats pågår")
    _share(w, listing, by="police", to=("school",), state=ShareState.REFUSED, reason="Skolan behöver inte veta",
           text="Polisens uppgift om vapen")
    incident = Incident.objects.create(
        forum=w.forum, kind=IncidentKind.SHOOTING, occurred_at=timezone.now() - timedelta(days=3),
        place="Rinkeby torg", registered_by=w.users["police"], registered_by_organisation=w.orgs["police"],
        registered_at=timezone.now())
    IncidentLink.objects.create(incident=incident, role=LinkRole.VICTIM, listing=listing,
                                recorded_by_organisation=w.orgs["police"], recorded_by=w.users["police"])
    Release.objects.create(forum=w.forum, listing=listing, kind=ReleaseKind.LEAVE,
                           date=timezone.localdate() + timedelta(days=21), registered_by=w.users["prison"],
                           registered_by_organisation=w.orgs["prison"])
    ExitLink.objects.create(listing=listing, kind=ExitKind.EXIT_PROGRAMME, programme_name="Exitprogrammet Test",
                            created_by=w.users["soc"], created_by_organisation=w.orgs["soc"])
    other = list_person(w, by="police", first_name="Annanperson")
    Listing.objects.filter(pk=other.pk).update(rating_reason="Annans skäl")
    w.listing, w.other = listing, other
    return w


def _post(client, identity, fmt):
    return client.post("/dataskydd/registerutdrag/", {"identity": identity, "purpose": PURPOSE,
                                                      "export_format": fmt})


def test_json_holds_the_trefas_data_by_owning_organisation(world):
    client = fresh_auth(fast_login(world.users["dpo"]))
    response = _post(client, world.listing.person.identity_number, "json")
    assert response.status_code == 200
    data = json.loads(response.content)
    blocks = {b["organisation"]: b["sections"] for b in data["trefas"]}
    police, soc = world.orgs["police"].name, world.orgs["soc"].name
    assert set(blocks) == {police, soc, world.orgs["prison"].name}
    police_text = json.dumps(blocks[police], ensure_ascii=False)
    for expected in ("Hotad efter skjutning", "Rinkeby torg", "Skolan behöver inte veta", "Polisens uppgift om vapen",
                     world.orgs["school"].name, "10 kap. 18 a §"):
        assert expected in police_text, expected
    soc_text = json.dumps(blocks[soc], ensure_ascii=False)
    for expected in ("Socialtjänstens insats pågår", world.orgs["probation"].name, "Uppfyller 18 a",
                     "Exitprogrammet Test"):
        assert expected in soc_text, expected
    assert "Registersson" in json.dumps(data, ensure_ascii=False)
    everything = json.dumps(data, ensure_ascii=False)
    assert "Annans skäl" not in everything and "Annanperson" not in everything
    assert any(k.startswith("trefas:") for k in data["data"])
    event = AuditEvent.objects.filter(action="subject_access.exported").get()
    assert '"trefas_rows":' in event.detail and "Registersson" not in event.detail


def test_pdf_holds_the_trefas_data(world):
    client = fresh_auth(fast_login(world.users["dpo"]))
    response = _post(client, world.listing.person.identity_number, "pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = squash(pdf_text(response.content))
    for expected in ("Trefas:", world.orgs["police"].name, world.orgs["soc"].name, "Hotad efter skjutning",
                     "Skolan behöver inte veta", "Rinkeby torg", "Exitprogrammet Test", "10 kap. 18 a §"):
        assert squash(expected) in text, expected
    assert "Annansskäl" not in text


def test_only_the_dpo_may_make_it(world):
    for persona in ("city_coord", "soc_jurist", "police", "sig_coord"):
        client = fresh_auth(fast_login(world.users[persona]))
        assert _post(client, world.listing.person.identity_number, "json").status_code == 403, persona
