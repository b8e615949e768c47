"""A case in SIG unga Järva with a team from four organisations, two outsiders, and
notes recorded by each team organisation. Shared by the consent, journal and people
tests (plain functions, so every test module can build it)."""

from __future__ import annotations

from dataclasses import dataclass, field
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
from samverkan.journal import services as journal_services
from samverkan.journal.models import JournalNote
from samverkan.lib.identity_numbers import make_fictitious, parse
from samverkan.people.models import Guardianship
from samverkan.people.services import guardian_add
from tests.factories import UserFactory

ALL_CATEGORIES = ["basic", "plan", "meeting", "social", "school", "health", "crime", "family", "work", "housing",
                  "leisure"]


@dataclass
class World:
    case: Case
    orgs: dict[str, Organisation]
    users: dict[str, Any]
    guardianships: list[Guardianship] = field(default_factory=list)
    notes: dict[str, JournalNote] = field(default_factory=dict)

    def access(self, who: str) -> CaseAccess:
        return case_access_for(actor=self.users[who], case=self.case)

    @property
    def url(self) -> str:
        return f"/arenden/{self.case.public_id}/"


def years_ago(years: int, today: date | None = None, days: int = 0) -> date:
    today = today or timezone.localdate()
    try:
        born = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        born = today.replace(year=today.year - years, day=28)
    return born - timedelta(days=days)


def build_world(*, age_years: int = 16, age_days: int = 40, guardians: int = 2, notes: bool = True) -> World:
    reference_data_load()
    programmes.load()
    legal_bases.load()
    codes = {"lead": "sdf-jarva", "police": "lpo-rinkeby", "probation": "frivarden-stockholm",
             "school": "sthlm-utbildningsforvaltningen", "tax": "skatteverket", "other_district": "sdf-skarholmen"}
    orgs = {k: Organisation.objects.get(short_code=v) for k, v in codes.items()}
    users = {
        "lead": UserFactory(organisation=orgs["lead"], roles=["coordinator"]),
        "lead_caseworker": UserFactory(organisation=orgs["lead"], roles=["caseworker"]),
        "lead_observer": UserFactory(organisation=orgs["lead"], roles=["caseworker"]),
        "police": UserFactory(organisation=orgs["police"], roles=["caseworker"]),
        "probation": UserFactory(organisation=orgs["probation"], roles=["caseworker"]),
        "school": UserFactory(organisation=orgs["school"], roles=["caseworker"]),
        # Outsiders get the strongest case role, so a 404 comes from the case, not the role.
        "tax": UserFactory(organisation=orgs["tax"], roles=["coordinator"]),
        "other_district": UserFactory(organisation=orgs["other_district"], roles=["coordinator"]),
    }
    lead = users["lead"]
    programme = Programme.objects.get(code="sig-unga-jarva")
    today = timezone.localdate()
    birth = years_ago(age_years, today, age_days)
    identity = parse(make_fictitious(birth, 311), today=today)
    case = case_services.case_intake(
        actor=lead, programme=programme, identity=identity, first_name="Deltagare", last_name="Testsson",
        intake_source="police", received_on=today, is_fictitious=True,
    )
    access = case_access_for(actor=lead, case=case)
    case = case_services.case_decide(actor=lead, case=case, access=access, accepted=True, reason="")
    for who, role in (("lead_caseworker", "caseworker"), ("lead_observer", "observer"), ("police", "caseworker"),
                      ("probation", "caseworker"), ("school", "caseworker")):
        case_services.team_add(actor=lead, case=case, access=access, user=users[who], team_role=role)
    world = World(case=case, orgs=orgs, users=users)
    for n in range(guardians):
        g_identity = parse(make_fictitious(years_ago(45 + n, today), 400 + n), today=today)
        world.guardianships.append(guardian_add(
            actor=lead, child=case.person, identity=g_identity, first_name=f"Vårdnadshavare{n}",
            last_name="Testsson", is_fictitious=True,
        ))
    if notes:
        for who, category in (("lead", "social"), ("lead", "basic"), ("police", "crime"), ("probation", "work"),
                              ("school", "school")):
            world.notes[f"{who}-{category}"] = write_note(world, who, category, f"SECRET-{who}-{category}-TEXT")
    return world


def write_note(world: World, who: str, category: str, text: str, *, sign: bool = True,
               backdate: timedelta | None = None) -> JournalNote:
    note = journal_services.note_create(actor=world.users[who], case=world.case, access=world.access(who),
                                        category=category, occurred_on=timezone.localdate(), text=text, sign=False)
    if backdate:
        JournalNote.objects.filter(pk=note.pk).update(created_at=timezone.now() - backdate)
        note.refresh_from_db()
    if sign:
        note = journal_services.note_sign(actor=world.users[who], case=world.case, access=world.access(who),
                                          note=note)
    return note


def give_consent(world: World, *, giver: str, guardianship: Guardianship | None = None,
                 orgs: list[str] | None = None, categories: list[str] | None = None,
                 valid_from: date | None = None, valid_to: date | None = None,
                 given_on: date | None = None) -> Consent:
    today = timezone.localdate()
    return consent_services.consent_record(
        actor=world.users["lead"], case=world.case, access=world.access("lead"), giver=giver,
        guardianship=guardianship, given_on=given_on or today, valid_from=valid_from or today,
        valid_to=valid_to or today + timedelta(days=180),
        organisations=[world.orgs[o] for o in (orgs or ["lead", "police", "probation", "school"])],
        categories=categories or ALL_CATEGORIES, document=None,
    )


def full_consent(world: World, **kwargs: Any) -> list[Consent]:
    """Every guardian and (from 15) the young person: the complete set for a minor."""
    consents = [give_consent(world, giver="guardian", guardianship=g, **kwargs) for g in world.guardianships]
    consents.append(give_consent(world, giver="young_person", **kwargs))
    return consents


def basis(code: str) -> LegalBasis:
    return LegalBasis.objects.get(code=code)
