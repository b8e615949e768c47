"""The agreement suites' world on top of tests/picture/world.py: a city-wide situation
report and Järva's with prioritised problems, the city-wide agreement (the city and
Polisregion Stockholm) and Järva's local agreement under it (sdf-jarva and Lokalpolisområde
Rinkeby), each with parties. Rows are written directly; the suites call the services.
Everything is fictitious."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from samverkan.agreement.models import (
    Agreement,
    AgreementKind,
    AgreementParty,
    AgreementStatus,
    Commitment,
    PresencePromise,
    Signatory,
)
from samverkan.picture.selectors.scope import local_access_for
from samverkan.prevention.models import Problem, SituationReport
from tests.picture.world import LocalWorld, build_local_world


@dataclass
class AgreementWorld:
    local: LocalWorld
    city: Agreement
    jarva: Agreement
    city_problem: Problem
    jarva_problem: Problem
    skarholmen_problem: Problem

    def __getitem__(self, persona: str) -> Any:
        return self.local.users[persona]

    def access(self, persona: str) -> Any:
        return local_access_for(self.local.users[persona])


def _report(world: LocalWorld, title: str, district: str | None) -> SituationReport:
    return SituationReport.objects.create(
        municipality="Stockholm", district=world.districts[district] if district else None, title=title,
        period_start=date(2026, 1, 1), period_end=date(2026, 12, 31),
    )


def build_agreement_world() -> AgreementWorld:
    world = build_local_world()
    city_report = _report(world, "Lägesbild Stockholm 2026", None)
    jarva_report = _report(world, "Lägesbild Järva 2026", "jarva")
    skarholmen_report = _report(world, "Lägesbild Skärholmen 2026", "skarholmen")
    city_problem = Problem.objects.create(report=city_report, title="Öppen narkotikahandel", priority=1)
    jarva_problem = Problem.objects.create(report=jarva_report, title="Otrygghet vid torget", priority=1)
    skarholmen_problem = Problem.objects.create(report=skarholmen_report, title="Skadegörelse", priority=1)
    today = timezone.localdate()
    city = Agreement.objects.create(
        kind=AgreementKind.CITY, title="Samverkansöverenskommelse Stockholm (fiktiv)", municipality="Stockholm",
        police=world.orgs["police_region"], valid_from=today - timedelta(days=200),
        valid_to=today + timedelta(days=500), goals="Minskad brottslighet.",
    )
    city.problems.set([city_problem])
    AgreementParty.objects.create(agreement=city, organisation=world.orgs["city"], role="Part")
    AgreementParty.objects.create(agreement=city, organisation=world.orgs["police_region"], role="Part")
    jarva = Agreement.objects.create(
        kind=AgreementKind.LOCAL, title="Lokal överenskommelse Järva (fiktiv)", municipality="Stockholm",
        district=world.districts["jarva"], police=world.orgs["police_rinkeby"], parent=city,
        valid_from=today - timedelta(days=200), valid_to=today + timedelta(days=500), goals="Tryggare torg.",
    )
    jarva.areas.set([world.areas["rinkeby-tensta"], world.areas["husby"]])
    jarva.problems.set([jarva_problem, city_problem])
    AgreementParty.objects.create(agreement=jarva, organisation=world.orgs["jarva"], role="Part")
    AgreementParty.objects.create(agreement=jarva, organisation=world.orgs["police_rinkeby"], role="Part")
    return AgreementWorld(local=world, city=city, jarva=jarva, city_problem=city_problem,
                          jarva_problem=jarva_problem, skarholmen_problem=skarholmen_problem)


def sign_directly(world: AgreementWorld, agreement: Agreement) -> Agreement:
    """Two signatories signed and the agreement signed, written directly (the signing
    services have their own tests)."""
    day = timezone.localdate() - timedelta(days=100)
    police = agreement.police
    other = agreement.parties.exclude(organisation=police).first().organisation  # type: ignore[union-attr]
    Signatory.objects.create(agreement=agreement, organisation=police, office="Lokalpolisområdeschef",
                             name="Fiktiv Chef", signed_on=day)
    Signatory.objects.create(agreement=agreement, organisation=other, office="Ordförande", name="Fiktiv Ordf",
                             signed_on=day)
    Agreement.objects.filter(pk=agreement.pk).update(status=AgreementStatus.SIGNED)
    agreement.refresh_from_db()
    return agreement


def add_commitment(world: AgreementWorld, agreement: Agreement, org: str, text: str = "Fler trygghetsvandringar",
                   problem: Problem | None = None) -> Commitment:
    return Commitment.objects.create(agreement=agreement, organisation=world.local.orgs[org], text=text,
                                     problem=problem)


def add_presence(world: AgreementWorld, agreement: Agreement, area: str = "husby",
                 per_week: str = "4") -> PresencePromise:
    return PresencePromise.objects.create(agreement=agreement, area=world.local.areas[area],
                                          what="Kvarterspoliser", unit="poliser", per_week=Decimal(per_week))
