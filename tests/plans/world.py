"""A case in SIG unga vuxna (Järva) with a team from several organisations, personas
outside it, and helpers to put the case's consent in each state. Shared by
tests/plans and tests/meetings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from samverkan.caseaccess.decision import CaseAccess
from samverkan.caseaccess.selectors import case_access_for
from samverkan.cases import reference as programmes
from samverkan.cases import services as case_services
from samverkan.cases.models import Case, Programme
from samverkan.consent import reference as legal_bases
from samverkan.consent import services as consent_services
from samverkan.consent.models import Consent, LegalBasis
from samverkan.directory.models import Organisation
from samverkan.directory.services import reference_data_load
from samverkan.lib.identity_numbers import parse
from tests.factories import UserFactory

ALL_CATEGORIES = [
    "basic",
    "plan",
    "meeting",
    "school",
    "health",
    "social",
    "crime",
    "family",
    "work",
    "housing",
    "leisure",
]


@dataclass
class World:
    case: Case
    jarva: Organisation
    police: Organisation
    probation: Organisation
    school: Organisation
    skatteverket: Organisation
    skarholmen: Organisation
    lead: Any  # lead coordinator, sdf-jarva
    police_user: Any  # caseworker on the team
    probation_user: Any
    school_user: Any
    observer: Any  # sdf-jarva, team role observer
    jarva_outsider: Any  # sdf-jarva caseworker, not on the team
    skatteverket_user: Any  # unrelated agency, not on the team
    skarholmen_user: Any  # another district's social services

    def access(self, user: Any) -> CaseAccess:
        return case_access_for(actor=user, case=self.case)

    def team_orgs(self) -> list[Organisation]:
        return [self.jarva, self.police, self.probation, self.school]


def build_world(*, age: int = 20, first_name: str = "Kim", last_name: str = "Testperson") -> World:
    reference_data_load()
    programmes.load()
    legal_bases.load()
    org = Organisation.objects.get
    jarva, police = org(short_code="sdf-jarva"), org(short_code="lpo-rinkeby")
    probation, school = (
        org(short_code="frivarden-stockholm"),
        org(short_code="sthlm-utbildningsforvaltningen"),
    )
    skatteverket, skarholmen = org(short_code="skatteverket"), org(short_code="sdf-skarholmen")
    lead = UserFactory(organisation=jarva, roles=["coordinator"])
    today = timezone.localdate()
    programme = Programme.objects.get(
        code="sig-unga-vuxna-jarva" if age >= 19 else "sig-unga-jarva"
    )
    birth = today.replace(year=today.year - age) - timedelta(days=40)
    from samverkan.lib.identity_numbers import make_fictitious

    identity = parse(make_fictitious(birth, 321), today=today)
    case = case_services.case_intake(
        actor=lead,
        programme=programme,
        identity=identity,
        first_name=first_name,
        last_name=last_name,
        intake_source="police",
        received_on=today,
        is_fictitious=True,
    )
    access = case_access_for(actor=lead, case=case)
    case = case_services.case_decide(actor=lead, case=case, access=access, accepted=True, reason="")
    access = case_access_for(actor=lead, case=case)
    police_user = UserFactory(organisation=police, roles=["caseworker"])
    probation_user = UserFactory(organisation=probation, roles=["caseworker"])
    school_user = UserFactory(organisation=school, roles=["caseworker"])
    observer = UserFactory(organisation=jarva, roles=["caseworker"])
    for user, role in [
        (police_user, "caseworker"),
        (probation_user, "caseworker"),
        (school_user, "caseworker"),
        (observer, "observer"),
    ]:
        case_services.team_add(actor=lead, case=case, access=access, user=user, team_role=role)
    return World(
        case=Case.objects.select_related("programme", "person").get(pk=case.pk),
        jarva=jarva,
        police=police,
        probation=probation,
        school=school,
        skatteverket=skatteverket,
        skarholmen=skarholmen,
        lead=lead,
        police_user=police_user,
        probation_user=probation_user,
        school_user=school_user,
        observer=observer,
        jarva_outsider=UserFactory(organisation=jarva, roles=["caseworker"]),
        skatteverket_user=UserFactory(organisation=skatteverket, roles=["coordinator"]),
        skarholmen_user=UserFactory(organisation=skarholmen, roles=["coordinator"]),
    )


def give_consent(
    world: World,
    *,
    organisations: list[Organisation] | None = None,
    categories: list[str] | None = None,
    valid_from: date | None = None,
    valid_to: date | None = None,
    given_on: date | None = None,
) -> Consent:
    """The participant's own consent (adult)."""
    today = timezone.localdate()
    return consent_services.consent_record(
        actor=world.lead,
        case=world.case,
        access=world.access(world.lead),
        giver="person",
        guardianship=None,
        given_on=given_on or today,
        valid_from=valid_from or today,
        valid_to=valid_to or today + timedelta(days=180),
        organisations=organisations if organisations is not None else world.team_orgs(),
        categories=categories if categories is not None else ALL_CATEGORIES,
        document=None,
    )


def withdraw(world: World, consent: Consent) -> None:
    consent_services.consent_withdraw(
        actor=world.lead, case=world.case, access=world.access(world.lead), consent=consent
    )


def expire(consent: Consent) -> None:
    """Make a consent's validity end yesterday (as if time had passed)."""
    yesterday = timezone.localdate() - timedelta(days=1)
    Consent.objects.filter(pk=consent.pk).update(
        valid_from=yesterday - timedelta(days=30), valid_to=yesterday
    )


def disclose(
    world: World, *, to: Organisation, categories: list[str], basis: str = "osl-10-18a"
) -> Any:
    return consent_services.disclosure_record(
        actor=world.lead,
        case=world.case,
        access=world.access(world.lead),
        basis=LegalBasis.objects.get(code=basis),
        to_organisation=to,
        categories=categories,
        description="Planens mål om skolgång",
        balancing_test="Risk för fortsatt brottslighet väger tyngre än men.",
    )
