"""One participant's case from intake to closure: intake with guardians, the decision,
the team, then consents, notes, plan and meetings (the other topics), closure, and the
case's dates moved back to the story's."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone

from samverkan.accounts.models import User
from samverkan.cases import services as cases
from samverkan.cases.models import Case, Closure, FollowUp
from samverkan.demo.individual_track.action_plans import make_plan
from samverkan.demo.individual_track.common import Loader, Spec, aware
from samverkan.demo.individual_track.consents import record_consents, record_disclosure
from samverkan.demo.individual_track.meetings import hold_meetings
from samverkan.demo.individual_track.notes import write_notes
from samverkan.lib.identity_numbers import make_fictitious, parse


def load_case(loader: Loader, spec: Spec) -> None:
    jarva = spec.district == "jarva"
    lead = loader.users["jarva.samordnare" if jarva else "skarholmen.samordnare"]
    code = (
        f"sig-unga-{spec.district}"
        if spec.kind == "young"
        else f"sig-unga-vuxna-{spec.district}"
    )
    programme = loader.programmes[code]
    received = loader.today - timedelta(days=spec.received_days_ago)
    identity = parse(make_fictitious(spec.birth, spec.serial), today=loader.today)
    referred = loader.orgs["lpo-rinkeby"] if spec.intake_source == "police" and jarva else None
    case = cases.case_intake(
        actor=lead,
        programme=programme,
        identity=identity,
        first_name=loader.fake.first_name(),
        last_name=loader.fake.last_name(),
        intake_source=spec.intake_source,
        received_on=received,
        referred_by=referred,
        intake_summary="Aktualiserad efter samtal om oro för kriminalitet i området.",
        protected_identity=spec.protected,
        address=loader.fake.street_address(),
        phone="070-000 00 00",
        is_fictitious=True,
    )
    loader.created += 1
    access = loader.access(lead, case)
    # Guardians of a minor (both with joint custody); they are fictitious as well.
    for g in range(spec.guardians):
        parent_birth = spec.birth.replace(year=spec.birth.year - 28 - g * 3)
        cases.case_guardian_add(
            actor=lead,
            case=case,
            access=access,
            identity=parse(
                make_fictitious(parent_birth, 500 + spec.serial % 400 + g), today=loader.today
            ),
            first_name=loader.fake.first_name(),
            last_name=case.person.last_name,
        )
    decided_at = aware(received + timedelta(days=loader.rng.randint(7, 20)))
    if spec.status == "intake":
        backdate(case, received, None, None)
        return
    accepted = spec.status != "declined"
    case = cases.case_decide(
        actor=lead,
        case=case,
        access=access,
        accepted=accepted,
        reason="" if accepted else "Personen vill inte delta och uppfyller inte kriterierna.",
    )
    if not accepted:
        backdate(case, received, decided_at, None)
        return
    team = build_team(loader, case, spec, lead)
    access = loader.access(lead, case)
    record_consents(loader, case, spec, lead, access)
    write_notes(loader, case, team, received)
    if jarva and spec.kind == "young" and spec.index % 7 == 3:
        record_disclosure(loader, case, lead)
    make_plan(loader, case, spec, team, lead)
    if spec.status == "active" and spec.index % 2 == 0:
        hold_meetings(loader, case, team, lead)
    closed_at = None
    if spec.status == "closed":
        closed_at = decided_at + timedelta(days=spec.duration_days)
        cases.case_close(
            actor=lead,
            case=case,
            access=loader.access(lead, case),
            outcome=spec.outcome,
            note="Avslutat enligt plan och uppföljning.",
        )
    backdate(case, received, decided_at, closed_at)


def build_team(loader: Loader, case: Case, spec: Spec, lead: User) -> dict[str, User]:
    access = loader.access(lead, case)
    team: dict[str, User] = {"lead": lead}
    if spec.district == "jarva":
        wanted = [("jarva.handlaggare", "caseworker"), ("polis.rinkeby", "contact")]
    else:
        # Skärholmen: the caseworker leads the case together with the coordinator.
        wanted = [("skarholmen.handlaggare", "lead_coordinator")]
    wanted.append(("skola", "contact") if spec.kind == "young" else ("frivarden", "caseworker"))
    for username, role in wanted:
        if spec.index % 5 == 4 and username in ("polis.rinkeby", "frivarden"):
            continue  # not every organisation takes part in every case
        cases.team_add(
            actor=lead, case=case, access=access, user=loader.users[username], team_role=role
        )
        team[username] = loader.users[username]
    return team


def backdate(
    case: Case, received: date, decided: datetime | None, closed: datetime | None
) -> None:
    """Move the case's own timestamps back to the story's dates (demo only)."""
    opened = aware(received, 9)
    updates: dict[str, Any] = {"opened_at": opened}
    if decided is not None:
        updates["decided_at"] = decided
    if closed is not None:
        closed = min(closed, timezone.now() - timedelta(days=1))
        updates.update(closed_at=closed, last_entry_at=closed)
        Closure.objects.filter(case=case).update(created_at=closed)
        closed_on = timezone.localdate(closed)
        for months in (6, 12):
            FollowUp.objects.filter(case=case, months_after=months).update(
                due_on=cases.follow_up_due(closed_on, months)
            )
    Case.objects.filter(pk=case.pk).update(**updates)
