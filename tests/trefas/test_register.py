"""Trefas decisions in the disclosure register (consent.Disclosure, track "trefas"): the rows
a decision writes, who sees them on the register pages and in the CSV (a refusal only in
the deciding organisation's register), the SIG rows beside them, and the case sharing rule,
which a Trefas row never touches."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from samverkan.consent import services as consent_services
from samverkan.consent.models import Disclosure, LegalBasis
from samverkan.consent.selectors import disclosure_register
from samverkan.trefas.models import ShareTopic
from tests.conftest import fast_login
from tests.trefas.test_shares import share_in_state
from tests.trefas.world import list_person, trefas_world
from tests.world import basis, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return trefas_world()


def _rows(share):
    return Disclosure.objects.filter(source_type="trefas.share", source_id=str(share.pk)).order_by("to_organisation")


@pytest.mark.parametrize(("state", "outcome"), [("approved", "disclosed"), ("refused", "refused"),
                                                ("no_review", "disclosed")])
def test_a_decision_writes_one_row_per_recipient(world, state, outcome):
    listing = list_person(world, by="police")
    share = share_in_state(world, state, listing=listing, text="HEMLIG-DELNINGSTEXT")
    rows = list(_rows(share))
    assert sorted(r.to_organisation_id for r in rows) == sorted([world.orgs["soc"].pk, world.orgs["probation"].pk])
    for row in rows:
        assert row.track == "trefas" and row.case_id is None and row.outcome == outcome
        assert row.person_id == listing.person_id
        assert row.from_organisation_id == world.orgs["police"].pk
        assert row.basis_id == share.basis_id and row.balancing_test == share.balancing_test
        assert row.description == str(ShareTopic(share.topic).label)  # the topic, never the text
        assert "HEMLIG" not in row.description
        assert row.decided_by_id == share.decided_by_id and row.decided_at == share.decided_at
        assert row.refusal_reason == (share.decision_reason if outcome == "refused" else "")


def test_proposed_and_withdrawn_shares_write_nothing(world):
    share_in_state(world, "proposed")
    assert not Disclosure.objects.exists()
    share = share_in_state(world, "withdrawn")
    assert _rows(share).count() == 2  # the approval before it; the withdrawal adds nothing


def test_register_pages_show_trefas_rows_and_refusals_only_to_the_deciding_organisation(world):
    approved = share_in_state(world, "approved", text="HEMLIG-DELNINGSTEXT")
    refused = share_in_state(world, "refused", text="HEMLIG-DELNINGSTEXT")
    url = reverse("consent:register")

    def ids(name):
        _page, rows = disclosure_register(actor=world.users[name])
        return {int(r.source_id) for r in rows}

    assert ids("police_jurist") == {approved.pk, refused.pk}
    assert ids("soc_jurist") == {approved.pk}  # a refusal disclosed nothing to social services
    assert ids("kv_jurist") == {approved.pk}
    assert ids("city_jurist") == set()
    body = fast_login(world.users["police_jurist"]).get(url).content.decode()
    assert "Trefas" in body and "Refused" in body and "Inte nödvändigt (test)" in body
    assert "HEMLIG" not in body  # the topic, never the share's text
    assert not re.search(r"/arenden/[0-9a-f]{8}-", body)  # no case link
    soc_body = fast_login(world.users["soc_jurist"]).get(url).content.decode()
    assert "Inte nödvändigt (test)" not in soc_body and "Refused" not in soc_body
    # Direction "to" never lists a refusal either.
    _page, to_rows = disclosure_register(actor=world.users["soc_jurist"], direction="to")
    assert {r.outcome for r in to_rows} == {"disclosed"}


def test_csv_has_track_and_outcome_and_keeps_sig_rows(world):
    share_in_state(world, "refused")
    sig = build_world(notes=False)
    consent_services.disclosure_record(
        actor=sig.users["jarva_coord"], case=sig.case, access=sig.access("jarva_coord"), basis=basis("osl-10-18a"),
        to_organisation=sig.orgs["police"], categories=["social"], description="Uppgifter om riskbeteende",
        balancing_test="Konkreta omständigheter tyder på risk för brott; planerade insatser skadas inte.",
    )
    # The police's register: the SIG disclosure received and the Trefas refusal decided.
    jurist = world.users["police_jurist"]
    response = fast_login(jurist).get(reverse("consent:register_export"))
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode().lstrip("\ufeff")
    table = list(csv.reader(io.StringIO(text), delimiter=";"))
    header = table[0]
    assert header[:4] == ["Decided at", "Track", "Outcome", "Case"]
    assert "Reason for refusal" in header
    by_track = {row[1]: row for row in table[1:]}
    assert by_track["Trefas"][2] == "Refused" and by_track["Trefas"][3] == ""
    assert by_track["Individual track (SIG)"][2] == "Disclosed"
    assert by_track["Individual track (SIG)"][3] == str(sig.case.public_id)
    page = fast_login(jurist).get(reverse("consent:register"))
    assert page.status_code == 200 and "Individual track (SIG)" in page.content.decode()


def test_a_trefas_row_never_opens_a_case_entry():
    sig = build_world()
    before = sig.access("police").disclosures
    notes_before = fast_login(sig.users["police"]).get(sig.url + "anteckningar/").context["result"].total
    # A Trefas decision about the case's person, from the lead organisation to the police,
    # for every category: it is not a case disclosure and must open nothing in the case.
    Disclosure.objects.create(
        case=None, track="trefas", outcome="disclosed", person=sig.case.person, source_type="trefas.share",
        source_id="1", basis=LegalBasis.objects.get(code="osl-10-2"),
        from_organisation=sig.case.lead_organisation, to_organisation=sig.orgs["police"],
        categories=["social", "family", "basic", "health", "crime", "school"], description="x", balancing_test="x",
        decided_by=sig.users["jarva_coord"], decided_at=timezone.now(),
    )
    assert sig.access("police").disclosures == before
    assert fast_login(sig.users["police"]).get(sig.url + "anteckningar/").context["result"].total == notes_before
    # Nor is it in the case's own disclosure register.
    page = fast_login(sig.users["jarva_coord"]).get(sig.url + "utlamnanden/")
    assert page.status_code == 200
    assert all(d.case_id == sig.case.pk for d in page.context["rows"])
