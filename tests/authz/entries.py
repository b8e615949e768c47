"""The authorisation matrix's case (tests/world.py's organisations and personas): one
case in SIG unga Järva with an entry of every kind from every team organisation, each
carrying a unique marker, seen by personas from six organisations (plus managers and
data-protection officers). Built once per test module (tests/authz/conftest.py) and
shared by the matrix.

Markers are ``MK<NAME>ZZ`` with NAME of letters and digits without Z or "MK", so no
marker is a substring of another; the matrix searches every response for them,
case-insensitively.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from samverkan.caseaccess.decision import CaseAccess
from samverkan.caseaccess.selectors import case_access_for
from samverkan.cases import services as case_services
from samverkan.cases.models import Case, FollowUp
from samverkan.consent.models import Consent, Disclosure, LegalBasis
from samverkan.directory.models import Organisation
from samverkan.journal import services as journal_services
from samverkan.journal.models import JournalNote
from samverkan.lib.identity_numbers import make_fictitious, parse
from samverkan.meetings import services as meeting_services
from samverkan.meetings.models import Minutes
from samverkan.people.services import guardian_add
from samverkan.plans import services as plan_services
from samverkan.plans.models import ActionPlan, Goal
from samverkan.reminders.models import Reminder
from tests import world as the_world
from tests.world import TEAM_ORGS, World, make_personas, open_case, organisations, years_ago

# The matrix's personas (the columns) and their team roles on its case (None: not on the team).
TEAM_ROLES: dict[str, str | None] = {
    "jarva_coord": "lead_coordinator",
    "jarva_cw": "caseworker",
    "police": "caseworker",
    "probation": "caseworker",
    "school": "caseworker",
    # Outsiders hold the strongest case role, so their 404 comes from the case, not the role.
    "tax": None,
    "skarholmen": None,
    # Organisation-wide roles (statistics, registers, retention, register extracts).
    "jarva_manager": None,
    "police_manager": None,
    "skarholmen_manager": None,
    "jarva_dpo": None,
    "skarholmen_dpo": None,
}
# persona -> (organisation, roles, team role or None when not on the team)
PERSONAS: dict[str, tuple[str, list[str], str | None]] = {
    name: (the_world.PERSONAS[name][0], list(the_world.PERSONAS[name][1]), team_role)
    for name, team_role in TEAM_ROLES.items()
}

# Everything but "health": the consent's category scope is part of every state.
CONSENT_CATEGORIES = ["basic", "plan", "meeting", "social", "school", "crime", "family", "work",
                      "housing", "leisure"]

AGE_DAYS_OVER_18 = 60  # the participant turned 18 this many days ago


def marker(name: str) -> str:
    assert "Z" not in name and "MK" not in name and name.isalnum() and name.isupper(), name
    return f"MK{name}ZZ"


@dataclass(frozen=True)
class Entry:
    """Something recorded in the case, with what decides who may see it."""

    key: str
    kind: str  # note, draft, goal, commitment, summary, meeting, minutes, decision, closure,
    #            follow_up, disclosure, guardian, person, reminder, consent_document, case_text
    org: str  # recording organisation (persona org key)
    category: str
    when: datetime  # created_at (notes) or updated_at (plan and meeting entries)
    marker: str
    author: str | None = None  # persona who wrote it (drafts and own reminders)
    to_org: str | None = None  # disclosures


def _backdate(model: Any, pk: int, field_name: str, when: datetime) -> None:
    model.objects.filter(pk=pk).update(**{field_name: when})


def build_world(*, before_case: Any = None) -> World:
    """``before_case(users)`` runs once the personas exist and before the case does."""
    orgs = organisations()
    users = make_personas(orgs, list(PERSONAS), extra={
        name: {"first_name": "Staff", "last_name": name.replace("_", "").capitalize()} for name in PERSONAS})
    baseline = before_case(users) if before_case else None
    today = timezone.localdate()
    now = timezone.now()
    birth = years_ago(18, days=AGE_DAYS_OVER_18, today=today)
    identity = parse(make_fictitious(birth, 417), today=today)
    coord = users["jarva_coord"]
    case = open_case(
        coord, identity=identity, programme="sig-unga-jarva", first_name=marker("PERSONFIRST"),
        last_name=marker("PERSONLAST"), intake_source="police", received_on=today - timedelta(days=80),
        intake_summary=marker("INTAKESUMMARY"), referred_by=orgs["police"], reason=marker("DECISIONREASON"),
        team={users[name]: team_role for name, (_org, _roles, team_role) in PERSONAS.items()
              if team_role and team_role != "lead_coordinator"},
    )
    world = World(case=case, orgs=orgs, users=users, identity=identity)
    world.objects["police_member"] = case.team.get(user=users["police"], active=True)
    world.objects["baseline"] = baseline
    entries = world.entries

    def add(entry: Entry, obj: Any = None) -> None:
        assert entry.key not in entries
        entries[entry.key] = entry
        if obj is not None:
            world.objects[entry.key] = obj

    before = now - timedelta(hours=3)  # entries a disclosure (decided 2 h ago) covers
    decided = now - timedelta(hours=2)
    later = now + timedelta(seconds=1)  # written after the disclosures

    # The participant and their guardians (registered when they were a minor).
    add(Entry("person_first", "person", "jarva", "basic", case.opened_at, marker("PERSONFIRST")))
    add(Entry("person_last", "person", "jarva", "basic", case.opened_at, marker("PERSONLAST")))
    add(Entry("intake_summary", "case_text", "jarva", "social", case.opened_at, marker("INTAKESUMMARY")))
    add(Entry("decision_reason", "case_text", "jarva", "social", case.opened_at, marker("DECISIONREASON")))
    guardianships = []
    for n, name in enumerate(("GUARDIANONE", "GUARDIANTWO")):
        g_identity = parse(make_fictitious(years_ago(45 + n, today=today), 500 + n), today=today)
        guardianships.append(guardian_add(
            actor=coord, child=case.person, identity=g_identity, first_name=marker(name),
            last_name="Vardnadshavare", is_fictitious=True, subject_organisation_id=orgs["jarva"].pk,
        ))
        add(Entry(f"guardian{n}", "guardian", "jarva", "family", case.opened_at, marker(name)))
    world.objects["guardianships"] = guardianships

    def access_of(name: str) -> CaseAccess:
        return case_access_for(actor=users[name], case=case)

    # Journal notes: signed ones per organisation and category, and drafts.
    def note(key: str, who: str, category: str, *, when: datetime | None = None, sign: bool = True) -> None:
        text = marker("NOTE" + key.upper().replace("_", ""))
        obj = journal_services.note_create(actor=users[who], case=case, access=access_of(who),
                                           category=category, occurred_on=today, text=text)
        if when is not None:
            _backdate(JournalNote, obj.pk, "created_at", when)
        if sign:
            obj = journal_services.note_sign(actor=users[who], case=case, access=access_of(who),
                                              note=JournalNote.objects.get(pk=obj.pk))
        obj.refresh_from_db()
        org = PERSONAS[who][0]
        add(Entry(f"note_{key}", "note" if sign else "draft", org, category, obj.created_at, text,
                  author=who), obj)

    note("jarva_social_before", "jarva_coord", "social", when=before)
    note("jarva_social_after", "jarva_cw", "social", when=later)
    note("jarva_basic", "jarva_coord", "basic")
    note("police_crime_before", "police", "crime", when=before)
    note("police_crime_after", "police", "crime", when=later)
    note("probation_work", "probation", "work")
    note("school_school", "school", "school")
    note("school_health", "school", "health")
    note("jarva_draft", "jarva_cw", "social", sign=False)
    note("police_draft", "police", "crime", sign=False)

    # The action plan: the lead's aim, goals and commitments from every organisation.
    plan_services.plan_summary_update(actor=coord, case=case, access=access_of("jarva_coord"),
                                      expected_version=1, summary=marker("PLANSUMMARY"))

    def goal(key: str, who: str, category: str, area: str, *, when: datetime | None = None) -> None:
        text = marker("GOAL" + key.upper().replace("_", ""))
        obj = plan_services.goal_create(actor=users[who], case=case, access=access_of(who), life_area=area,
                                        title=text, description="", category=category)
        if when is not None:
            _backdate(Goal, obj.pk, "updated_at", when)
        obj.refresh_from_db()
        add(Entry(f"goal_{key}", "goal", PERSONAS[who][0], category, obj.updated_at, text, author=who), obj)

    goal("jarva", "jarva_coord", "plan", "housing")
    goal("jarva_social_before", "jarva_cw", "social", "family", when=before)
    goal("police", "police", "plan", "leaving_network")
    goal("probation", "probation", "work", "work")
    goal("school", "school", "school", "school")

    def commitment(key: str, who: str, responsible: str, category: str, days: int) -> None:
        text = marker("COMMIT" + key.upper().replace("_", ""))
        obj = plan_services.commitment_create(
            actor=users[who], case=case, access=access_of(who), description=text,
            responsible=users[responsible], due_on=today + timedelta(days=days), category=category,
            follow_up_note=marker("FOLLOWNOTE" + key.upper().replace("_", "")),
        )
        obj.refresh_from_db()
        org = PERSONAS[who][0]
        add(Entry(f"commitment_{key}", "commitment", org, category, obj.updated_at, text, author=who), obj)
        add(Entry(f"commitment_{key}_note", "commitment", org, category, obj.updated_at,
                  marker("FOLLOWNOTE" + key.upper().replace("_", "")), author=who))

    commitment("jarva", "jarva_coord", "jarva_cw", "plan", 3)
    commitment("jarva_for_police", "jarva_coord", "police", "plan", 2)
    commitment("police", "police", "police", "crime", 4)
    commitment("probation", "probation", "probation", "plan", 5)
    commitment("school", "school", "school", "plan", 6)
    plan = ActionPlan.objects.get(case=case)
    add(Entry("plan_summary", "summary", "jarva", "plan", plan.updated_at, marker("PLANSUMMARY")))
    plan_services.plan_establish(actor=coord, case=case, access=access_of("jarva_coord"),
                                 expected_revision=ActionPlan.objects.get(case=case).revision)

    # Meetings (held, with signed minutes and decisions) by each organisation, and one
    # coming up in three days with the whole team invited (for the reminders).
    team = list(case.team.filter(active=True))
    for who in ("jarva_coord", "police", "probation", "school"):
        org = PERSONAS[who][0]
        key = org.upper()
        mtg = meeting_services.meeting_create(
            actor=users[who], case=case, access=access_of(who), starts_at=now - timedelta(days=2),
            place=marker("PLACE" + key), attendees=team, agenda=marker("AGENDA" + key),
        )
        mtg.refresh_from_db()
        add(Entry(f"meeting_{org}", "meeting", org, "meeting", mtg.updated_at, marker("AGENDA" + key)), mtg)
        add(Entry(f"meeting_{org}_place", "meeting", org, "meeting", mtg.updated_at, marker("PLACE" + key)))
        minutes = meeting_services.minutes_create(actor=users[who], case=case, access=access_of(who),
                                                  meeting=mtg, text=marker("MINUTES" + key))
        decision = meeting_services.decision_add(actor=users[who], case=case, access=access_of(who),
                                                 minutes=minutes, text=marker("DECISION" + key),
                                                 responsible=users[who], due_on=today + timedelta(days=20))
        minutes = meeting_services.minutes_sign(actor=users[who], case=case, access=access_of(who),
                                                minutes=Minutes.objects.get(pk=minutes.pk),
                                                expected_version=Minutes.objects.get(pk=minutes.pk).version)
        minutes = Minutes.objects.get(pk=minutes.pk)
        add(Entry(f"minutes_{org}", "minutes", org, "meeting", minutes.updated_at, marker("MINUTES" + key),
                  author=who), minutes)
        add(Entry(f"decision_{org}", "decision", org, "meeting", minutes.updated_at, marker("DECISION" + key),
                  author=who), decision)
    # The police's minutes on the lead's meeting: visible only when both are.
    jarva_meeting = world.objects["meeting_jarva"]
    pm = meeting_services.minutes_create(actor=users["police"], case=case, access=access_of("police"),
                                         meeting=jarva_meeting, text=marker("MINUTESPOLICEONJARVA"), sign=True)
    pm.refresh_from_db()
    add(Entry("minutes_police_on_jarva", "minutes", "police", "meeting", pm.updated_at,
              marker("MINUTESPOLICEONJARVA"), author="police"), pm)
    draft = meeting_services.minutes_create(actor=users["jarva_cw"], case=case, access=access_of("jarva_cw"),
                                            meeting=jarva_meeting, text=marker("MINUTESDRAFTJARVA"))
    add(Entry("minutes_draft_jarva", "draft_minutes", "jarva", "meeting", draft.updated_at,
              marker("MINUTESDRAFTJARVA"), author="jarva_cw"), draft)
    upcoming = meeting_services.meeting_create(
        actor=coord, case=case, access=access_of("jarva_coord"), starts_at=now + timedelta(days=3),
        place=marker("PLACEUPCOMING"), attendees=team, agenda=marker("AGENDAUPCOMING"),
    )
    upcoming.refresh_from_db()
    add(Entry("meeting_upcoming", "meeting", "jarva", "meeting", upcoming.updated_at,
              marker("AGENDAUPCOMING")), upcoming)

    # Statutory disclosures (2 h ago): the lead's social information to the police, and
    # the police's crime information to the lead. They cover entries written before.
    basis_to_police = LegalBasis.objects.get(code="osl-10-18a")
    basis_general = LegalBasis.objects.get(code="osl-10-2")
    for key, frm, to, basis, cats, who in (
        ("jarva_to_police", "jarva", "police", basis_to_police, ["social"], "jarva_coord"),
        ("police_to_jarva", "police", "jarva", basis_general, ["crime"], "police"),
    ):
        d = Disclosure.objects.create(
            case=case, basis=basis, from_organisation=orgs[frm], to_organisation=orgs[to], categories=cats,
            description=marker("DISCLOSURE" + key.upper().replace("_", "")),
            balancing_test=marker("BALANCING" + key.upper().replace("_", "")) + " " + "x" * 40,
            decided_by=users[who], decided_at=decided,
        )
        world.disclosures.append((frm, to, frozenset(cats), decided))
        for name in ("DISCLOSURE", "BALANCING"):
            add(Entry(f"{name.lower()}_{key}", "disclosure", frm, "basic", decided,
                      marker(name + key.upper().replace("_", "")), to_org=to), d)

    # An own reminder (only its user sees it) and a consent form document (lead team only).
    r = Reminder.objects.create(user=users["jarva_cw"], case=case, kind="custom", due_on=today,
                                note=marker("OWNREMINDER"), recorded_by_organisation=orgs["jarva"],
                                created_by=users["jarva_cw"])
    add(Entry("own_reminder", "reminder", "jarva", "basic", r.created_at, marker("OWNREMINDER"),
              author="jarva_cw"), r)
    add(Entry("consent_document", "consent_document", "jarva", "basic", now, marker("CONSENTDOC")))

    # Closure by the lead, with the 6-month follow-up recorded.
    case.refresh_from_db()
    closure = case_services.case_close(actor=coord, case=case, access=access_of("jarva_coord"),
                                       outcome="plan_completed", note=marker("CLOSURENOTE"))
    closure.refresh_from_db()
    add(Entry("closure", "closure", "jarva", closure.category, closure.created_at, marker("CLOSURENOTE")), closure)
    case.refresh_from_db()
    fu = FollowUp.objects.get(case=case, months_after=6)
    case_services.follow_up_record(
        actor=coord, case=case, access=access_of("jarva_coord"), follow_up=fu, expected_version=fu.version,
        status="done", answers={"in_education_or_work": "yes", "housing_stable": "yes",
                                "new_crime_known": "no", "network_contact": "no"},
        comment=marker("FOLLOWUPCOMMENT"), recorded_on=today,
    )
    fu.refresh_from_db()
    add(Entry("follow_up", "follow_up", "jarva", fu.category, fu.updated_at, marker("FOLLOWUPCOMMENT")), fu)
    world.objects["follow_up_planned"] = FollowUp.objects.get(case=case, months_after=12)
    case.refresh_from_db()
    world.case = Case.objects.select_related("programme", "person").get(pk=case.pk)
    return world


# --- Consent states ---------------------------------------------------------------------

STATES = ["none", "valid", "expired", "withdrawn", "scope_excludes_viewer", "lapsed_at_18"]

# state -> organisations the effective consent shares between (the expected table; the
# categories are CONSENT_CATEGORIES whenever the set is not empty).
SHARING: dict[str, frozenset[str]] = {
    "none": frozenset(),
    "valid": frozenset(TEAM_ORGS),
    "expired": frozenset(),
    "withdrawn": frozenset(),
    "scope_excludes_viewer": frozenset({"jarva", "probation", "school"}),  # not the police
    "lapsed_at_18": frozenset(),
}


def apply_state(world: World, state: str) -> list[Consent]:
    """Record the consents of ``state`` (inside the calling test's transaction). The
    participant turned 18 AGE_DAYS_OVER_18 days ago."""
    today = timezone.localdate()
    coord = world.users["jarva_coord"]
    orgs = [world.orgs[o] for o in TEAM_ORGS]

    def consent(giver: str, *, given: int, to: int, guardianship: Any = None,
                organisations: list[Organisation] | None = None, withdrawn: bool = False,
                document: bool = False) -> Consent:
        c = Consent.objects.create(
            case=world.case, giver=giver, guardianship=guardianship, given_on=today - timedelta(days=given),
            valid_from=today - timedelta(days=given), valid_to=today + timedelta(days=to),
            categories=CONSENT_CATEGORIES, recorded_by=coord,
            withdrawn_at=timezone.now() - timedelta(minutes=5) if withdrawn else None,
            document=world.consent_document if document else "",
        )
        c.organisations.set(organisations if organisations is not None else orgs)
        return c

    if state == "none":
        return []
    if state == "valid":
        return [consent("person", given=30, to=20, document=True)]
    if state == "expired":
        return [consent("person", given=50, to=-1, document=True)]
    if state == "withdrawn":
        return [consent("person", given=30, to=150, withdrawn=True, document=True)]
    if state == "scope_excludes_viewer":
        return [consent("person", given=30, to=150, document=True,
                        organisations=[world.orgs[o] for o in ("jarva", "probation", "school")])]
    if state == "lapsed_at_18":
        # Both guardians and the young person consented 10 days before the 18th birthday.
        given = AGE_DAYS_OVER_18 + 10
        gs = world.objects["guardianships"]
        return [consent("guardian", given=given, to=200, guardianship=gs[0], document=True),
                consent("guardian", given=given, to=200, guardianship=gs[1]),
                consent("young_person", given=given, to=200)]
    raise AssertionError(state)


# --- Who may see what (the rule the matrix checks the pages against) ----------------------------

DPO_READS_EVERYTHING = True  # registerutdrag: issue 3 item 13 ("across all organisations")


def sees(world: World, persona: str, state: str, entry: Entry) -> bool:
    """Whether ``persona`` may see ``entry`` in consent ``state``, on the case's own pages
    (access.policy's rule, written out independently)."""
    org, _roles, team_role = PERSONAS[persona]
    if team_role is None:
        return False
    lead_team = org == "jarva"
    shared = SHARING[state]

    def by_rule(e: Entry) -> bool:
        if e.org == org:
            return True
        if org in shared and e.org in shared and e.category in CONSENT_CATEGORIES:
            return True
        return any(frm == e.org and to == org and e.category in cats and e.when <= at
                   for frm, to, cats, at in world.disclosures)

    kind = entry.kind
    if kind in ("draft", "draft_minutes", "reminder"):
        return entry.author == persona
    if kind in ("guardian", "consent_document", "case_text"):
        return lead_team
    if kind == "disclosure":
        return lead_team or org in (entry.org, entry.to_org)
    if kind == "person":
        return lead_team or by_rule(entry)
    if kind in ("minutes", "decision"):
        meeting = world.entries["meeting_jarva"] if entry.key == "minutes_police_on_jarva" else \
            world.entries[f"meeting_{entry.key.split('_')[1]}"]
        return by_rule(entry) and by_rule(meeting)
    return by_rule(entry)
