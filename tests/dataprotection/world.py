"""A small world for the closure, reminders, retention and registerutdrag tests:
personas in six organisations and a case led by Järva's social services."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from samverkan.caseaccess.decision import CaseAccess
from samverkan.caseaccess.selectors import case_access_for
from samverkan.cases import reference as programmes
from samverkan.cases import services as case_services
from samverkan.cases.models import Case, Programme
from samverkan.directory.models import Organisation
from samverkan.directory.services import reference_data_load
from samverkan.lib.identity_numbers import make_fictitious, parse
from tests.factories import UserFactory

PARTICIPANT_FIRST = "Zlatana"
PARTICIPANT_LAST = "Testdottersson"


@dataclass
class World:
    jarva: Organisation
    skarholmen: Organisation
    police: Organisation
    frivard: Organisation
    school: Organisation
    skatteverket: Organisation
    coordinator: Any  # Järva, lead coordinator of the case
    manager: Any  # Järva, manager on the team
    caseworker: Any  # Järva, caseworker on the team
    observer: Any  # Järva coordinator, observer on the team
    police_worker: Any  # police caseworker on the team
    other_coordinator: Any  # Skärholmen coordinator, not on the team
    dpo: Any  # Järva data-protection officer
    other_dpo: Any  # Skärholmen data-protection officer
    admin: Any  # system administrator
    programme: Programme
    case: Case
    identity: str

    def access(self, user: Any) -> CaseAccess:
        return case_access_for(actor=user, case=self.case)


def make_case(coordinator: Any, *, identity: str, programme: Programme | None = None,
              first: str = PARTICIPANT_FIRST, last: str = PARTICIPANT_LAST, accept: bool = True) -> Case:
    if programme is None:
        from samverkan.cases.selectors import programmes_for_intake

        programme = programmes_for_intake(actor=coordinator).first()
    case = case_services.case_intake(
        actor=coordinator, programme=programme, identity=parse(identity), first_name=first, last_name=last,
        intake_source="police", received_on=timezone.localdate(), intake_summary="Sammanfattning X",
        is_fictitious=True,
    )
    if accept:
        access = case_access_for(actor=coordinator, case=case)
        case = case_services.case_decide(actor=coordinator, case=case, access=access, accepted=True, reason="ok")
    return case


def build() -> World:
    reference_data_load()
    programmes.load()
    org = {o.short_code: o for o in Organisation.objects.all()}
    jarva, skarholmen = org["sdf-jarva"], org["sdf-skarholmen"]
    police, frivard = org["lpo-rinkeby"], org["frivarden-stockholm"]
    school, skatteverket = org["sthlm-utbildningsforvaltningen"], org["skatteverket"]
    coordinator = UserFactory(organisation=jarva, roles=["coordinator"])
    manager = UserFactory(organisation=jarva, roles=["manager"])
    caseworker = UserFactory(organisation=jarva, roles=["caseworker"])
    observer = UserFactory(organisation=jarva, roles=["coordinator"])
    police_worker = UserFactory(organisation=police, roles=["caseworker"])
    other_coordinator = UserFactory(organisation=skarholmen, roles=["coordinator"])
    dpo = UserFactory(organisation=jarva, roles=["dpo"])
    other_dpo = UserFactory(organisation=skarholmen, roles=["dpo"])
    admin = UserFactory(organisation=org["sthlm-stadsledningskontoret"], roles=["system_admin"])
    today = timezone.localdate()
    identity = make_fictitious(today.replace(year=today.year - 15, day=min(today.day, 28)), 421)
    case = make_case(coordinator, identity=identity)
    access = case_access_for(actor=coordinator, case=case)
    for user, role in ((manager, "caseworker"), (caseworker, "caseworker"), (observer, "observer"),
                       (police_worker, "caseworker")):
        case_services.team_add(actor=coordinator, case=case, access=access, user=user, team_role=role)
    return World(jarva=jarva, skarholmen=skarholmen, police=police, frivard=frivard, school=school,
                 skatteverket=skatteverket, coordinator=coordinator, manager=manager, caseworker=caseworker,
                 observer=observer, police_worker=police_worker, other_coordinator=other_coordinator, dpo=dpo,
                 other_dpo=other_dpo, admin=admin, programme=case.programme, case=case, identity=identity)


def fresh_auth(client: Any) -> Any:
    """Mark the session as recently re-authenticated (password and code again)."""
    from samverkan.accounts.reauth import SESSION_REAUTH_AT

    session = client.session
    session[SESSION_REAUTH_AT] = time.time()
    session.save()
    return client


def age_case(case: Case, *, days: int) -> None:
    """Move the case's last entry ``days`` into the past (and its opening with it)."""
    past = timezone.now() - timedelta(days=days)
    Case.objects.filter(pk=case.pk).update(last_entry_at=past, opened_at=past - timedelta(days=400))


def years_ago(years: int, *, extra_days: int = 1) -> int:
    today = timezone.localdate()
    return (today - date(today.year - years, today.month, min(today.day, 28))).days + extra_days
