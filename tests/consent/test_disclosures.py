"""Disclosures under a statutory basis: the case register, recording (refusing bases
that do not apply), what a disclosure opens (notes created before the decision only),
the organisation-wide register with CSV, and the legal-basis catalogue screens."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from samverkan.audit.models import AuditEvent
from samverkan.consent import services as consent_services
from samverkan.consent.models import Disclosure, LegalBasis
from tests.factories import UserFactory
from tests.world import basis, build_world, write_note

pytestmark = pytest.mark.django_db

BALANCING = "Konkreta omständigheter tyder på risk för brott; planerade insatser skadas inte."


@pytest.fixture
def world():
    return build_world()


def _disclose(world, *, to="police", code="osl-10-18a", categories=("social",)):
    return consent_services.disclosure_record(
        actor=world.users["jarva_coord"], case=world.case, access=world.access("jarva_coord"), basis=basis(code),
        to_organisation=world.orgs[to], categories=list(categories), description="Uppgifter om riskbeteende",
        balancing_test=BALANCING,
    )


def test_disclosure_covers_only_notes_created_before_the_decision(logged_in):
    world = build_world(notes=False)
    before = write_note(world, "jarva_coord", "social", "FÖRE-utlämnandet", backdate=timedelta(minutes=5))
    other_category = write_note(world, "jarva_coord", "family", "ANNAN-kategori", backdate=timedelta(minutes=5))
    _disclose(world)
    after = write_note(world, "jarva_coord", "social", "EFTER-utlämnandet")
    police = logged_in(world.users["police"])
    page = police.get(world.url + "anteckningar/")
    body = page.content.decode()
    assert before.text in body
    assert after.text not in body and other_category.text not in body
    assert page.context["result"].total == 1
    # Other organisations on the team gain nothing from a disclosure to the police.
    school_body = logged_in(world.users["school"]).get(world.url + "anteckningar/").content.decode()
    assert before.text not in school_body


def test_record_disclosure_through_the_page(world, logged_in):
    client = logged_in(world.users["jarva_coord"])
    assert client.get(world.url + "utlamnanden/nytt/").status_code == 200
    response = client.post(world.url + "utlamnanden/nytt/", {
        "basis": basis("osl-10-18a").pk, "to_organisation": world.orgs["police"].pk, "categories": ["social"],
        "description": "Uppgifter om riskbeteende", "balancing_test": BALANCING,
    })
    assert response.status_code == 302
    d = Disclosure.objects.get()
    assert (d.from_organisation, d.to_organisation, d.decided_by) == (world.orgs["jarva"], world.orgs["police"],
                                                                      world.users["jarva_coord"])
    event = AuditEvent.objects.filter(action="disclosure.recorded").latest("seq")
    assert event.legal_basis == "OSL 10 kap. 18 a §"


@pytest.mark.parametrize("setup,code,to,message", [
    ("recipient", "osl-10-18c", "school", "does not allow disclosure to"),
    ("age", "osl-10-age", "police", "applies only to persons under 15"),
    ("future", "osl-10-future", "police", "is not in force yet"),
    ("balancing", "osl-10-18a", "police", "Write the balancing test in words"),
])
def test_refuses_bases_that_do_not_apply(world, logged_in, setup, code, to, message):
    if setup == "age":
        LegalBasis.objects.create(code=code, reference="Test 1 §", title="Under 15", max_subject_age=15)
    if setup == "future":
        LegalBasis.objects.create(code=code, reference="Test 2 §", title="Framtida",
                                  valid_from=timezone.localdate() + timedelta(days=10))
    client = logged_in(world.users["jarva_coord"])
    response = client.post(world.url + "utlamnanden/nytt/", {
        "basis": basis(code).pk, "to_organisation": world.orgs[to].pk, "categories": ["social"],
        "description": "Uppgifter om riskbeteende", "balancing_test": "" if setup == "balancing" else BALANCING,
    })
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Disclosure.objects.exists()


def test_age_limit_of_18a_for_an_adult():
    world = build_world(age_years=18, age_days=0, notes=False)
    from samverkan.people.models import Person

    Person.objects.filter(pk=world.case.person_id).update(birth_date=world.case.person.birth_date.replace(
        year=world.case.person.birth_date.year - 4))
    world.case.refresh_from_db()
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="under 21"):
        _disclose(world)


def test_who_may_record(world, logged_in):
    # Caseworkers lack the permission; observers read only; outsiders 404.
    for who, status in (("police", 403), ("jarva_cw", 403), ("tax", 404), ("skarholmen", 404)):
        assert logged_in(world.users[who]).get(world.url + "utlamnanden/nytt/").status_code == status, who
    observer = UserFactory(organisation=world.orgs["jarva"], roles=["coordinator"])
    from samverkan.cases import services as case_services

    case_services.team_add(actor=world.users["jarva_coord"], case=world.case, access=world.access("jarva_coord"), user=observer,
                           team_role="observer")
    assert logged_in(observer).get(world.url + "utlamnanden/nytt/").status_code == 403


def test_case_register_is_scoped_to_the_organisations_involved(world, logged_in):
    _disclose(world, to="police")
    consent_services.disclosure_record(
        actor=world.users["jarva_coord"], case=world.case, access=world.access("jarva_coord"), basis=basis("osl-10-28"),
        to_organisation=world.orgs["school"], categories=["school"], description="Uppgift till skolan enligt lag",
        balancing_test="",
    )
    lead = logged_in(world.users["jarva_coord"]).get(world.url + "utlamnanden/")
    assert lead.status_code == 200 and len(lead.context["rows"]) == 2
    police = logged_in(world.users["police"]).get(world.url + "utlamnanden/")
    assert [d.to_organisation for d, _ in police.context["rows"]] == [world.orgs["police"]]
    assert "Uppgift till skolan enligt lag" not in police.content.decode()
    probation = logged_in(world.users["probation"]).get(world.url + "utlamnanden/")
    assert probation.context["rows"] == []
    assert "Uppgifter om riskbeteende" not in probation.content.decode()
    for who in ("tax", "skarholmen"):
        response = logged_in(world.users[who]).get(world.url + "utlamnanden/")
        assert response.status_code == 404 and "riskbeteende" not in response.content.decode()


def test_organisation_register_and_csv(world, logged_in):
    _disclose(world, to="police")
    manager_lead = UserFactory(organisation=world.orgs["jarva"], roles=["manager"])
    dpo_police = UserFactory(organisation=world.orgs["police"], roles=["dpo"])
    dpo_tax = UserFactory(organisation=world.orgs["tax"], roles=["dpo"])
    manager_client = logged_in(manager_lead)
    page = manager_client.get("/arenden/utlamnanden/")
    assert page.status_code == 200 and len(page.context["rows"]) == 1
    assert len(manager_client.get("/arenden/utlamnanden/?direction=to").context["rows"]) == 0
    police_client = logged_in(dpo_police)
    assert len(police_client.get("/arenden/utlamnanden/?direction=to").context["rows"]) == 1
    csv_response = police_client.get("/arenden/utlamnanden/export.csv")
    assert csv_response.status_code == 200 and csv_response["Content-Type"].startswith("text/csv")
    content = b"".join(csv_response.streaming_content).decode()
    assert "OSL 10 kap. 18 a §" in content and str(world.case.public_id) in content
    tax_client = logged_in(dpo_tax)
    tax_page = tax_client.get("/arenden/utlamnanden/")
    assert tax_page.status_code == 200 and tax_page.context["rows"] == []
    tax_csv = b"".join(tax_client.get("/arenden/utlamnanden/export.csv").streaming_content).decode()
    assert "riskbeteende" not in tax_csv
    assert logged_in(world.users["jarva_coord"]).get("/arenden/utlamnanden/").status_code == 403  # coordinator
    assert AuditEvent.objects.filter(action="disclosure.register_viewed", subject_type="disclosure_register").count() >= 4


def test_csv_cells_are_inert():
    from samverkan.lib.spreadsheets import inert

    assert inert("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert inert("  +1") == "'  +1"
    assert inert("Vanlig text") == "Vanlig text"


# --- legal-basis catalogue ---------------------------------------------------------------


def test_catalogue_admin(logged_in):
    build_world(notes=False)
    admin = UserFactory(roles=["system_admin"])
    client = logged_in(admin)
    listing = client.get("/arenden/rattsliga-grunder/")
    assert listing.status_code == 200 and "OSL 10 kap. 18 a §" in listing.content.decode()
    response = client.post("/arenden/rattsliga-grunder/ny/", {
        "code": "lag-2099-1", "reference": "Lag (2099:1) 3 §", "title": "Ny lag", "description": "",
        "requires_balancing_test": "on", "max_subject_age": "21", "recipient_kinds": ["police_area"],
        "recipient_codes": "polismyndigheten, tullverket",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    created = LegalBasis.objects.get(code="lag-2099-1")
    assert created.recipient_codes == ["polismyndigheten", "tullverket"] and created.max_subject_age == 21
    response = client.post(f"/arenden/rattsliga-grunder/{created.pk}/", {
        "code": "changed", "reference": "Lag (2099:1) 4 §", "title": "Ny lag", "recipient_codes": "",
        "min_subject_age": "20", "max_subject_age": "18",
    })
    assert response.status_code == 200 and "The upper age must be above the lower age." in response.content.decode()
    response = client.post(f"/arenden/rattsliga-grunder/{created.pk}/", {
        "reference": "Lag (2099:1) 4 §", "title": "Ny lag", "recipient_codes": ""})
    assert response.status_code == 302
    created.refresh_from_db()
    assert created.reference == "Lag (2099:1) 4 §" and created.code == "lag-2099-1" and created.recipient_codes == []
    assert client.post(f"/arenden/rattsliga-grunder/{created.pk}/status/", {"active": "0"}).status_code == 302
    created.refresh_from_db()
    assert not created.active
    actions = set(AuditEvent.objects.filter(subject_type="legal_basis").values_list("action", flat=True))
    assert actions == {"legal_basis.saved", "legal_basis.retired"}


def test_retired_basis_cannot_be_cited(world, logged_in):
    b = basis("osl-10-18a")
    admin = UserFactory(roles=["system_admin"])
    logged_in(admin).post(f"/arenden/rattsliga-grunder/{b.pk}/status/", {"active": "0"})
    form = logged_in(world.users["jarva_coord"]).get(world.url + "utlamnanden/nytt/").context["form"]
    assert b not in form.fields["basis"].queryset


def test_catalogue_admin_is_for_system_admins_only(world, logged_in):
    for who in ("jarva_coord", "police", "tax"):
        client = logged_in(world.users[who])
        assert client.get("/arenden/rattsliga-grunder/").status_code == 403
        assert client.post("/arenden/rattsliga-grunder/ny/", {"code": "x", "reference": "x", "title": "x"}
                           ).status_code == 403
    assert not LegalBasis.objects.filter(code="x").exists()


def test_register_csv_keeps_typed_text_inert(world, logged_in):
    from tests.documents import FORMULAS, assert_cell_inert

    texts = [f"{f} uppgifter om riskbeteende" for f in FORMULAS]  # the form asks for some words
    for text in texts:
        consent_services.disclosure_record(
            actor=world.users["jarva_coord"], case=world.case, access=world.access("jarva_coord"), basis=basis("osl-10-18a"),
            to_organisation=world.orgs["police"], categories=["social"], description=text,
            balancing_test=f"{text}; {BALANCING}",
        )
    client = logged_in(UserFactory(organisation=world.orgs["police"], roles=["dpo"]))
    body = b"".join(client.get("/arenden/utlamnanden/export.csv").streaming_content).decode()
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))
    flat = [v for row in rows[1:] for v in row]
    for text in texts:
        assert "'" + text.strip() in flat, text  # the service stores the text stripped
    for value in flat:
        assert_cell_inert(value)
