"""The case decision as one object (caseaccess.CaseAccess): may/require for every
action, the read-only rule (observers, emergency access), the lead-team and
lead-coordinator rules, entry ownership, and the sharing rule across cases
(entries_visible). The object is pure: most tests build it directly; the last ones go
through the database (case_access_for, entries_visible) with the test world (tests/world.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template import Context, Template
from django.utils import timezone

from samverkan.access.permissions import Permission
from samverkan.caseaccess import CaseAction
from samverkan.caseaccess.decision import CaseAccess
from samverkan.caseaccess.selectors import (
    VisibleCases,
    case_access_for,
    cases_visible_to,
    entries_visible,
    visible_cases,
)
from samverkan.cases.models import TeamRole
from samverkan.journal.models import JournalNote

LEAD, POLICE, SCHOOL = 10, 20, 30
ME = 7
EVERY_PERMISSION = frozenset(Permission)
WRITES = [a for a in CaseAction if a not in (CaseAction.VIEW, CaseAction.REMIND)]
NOW = datetime(2026, 12, 1, 12, tzinfo=timezone.get_fixed_timezone(60))


def make(
    *,
    org: int = LEAD,
    role: str | None = TeamRole.CASEWORKER,
    emergency: bool = False,
    permissions: frozenset[Permission] = EVERY_PERMISSION,
    **kw: object,
) -> CaseAccess:
    fields: dict[str, object] = dict(
        case_id=1, viewer_id=ME, viewer_org_id=org, lead_org_id=LEAD, team_role=role,
        emergency=emergency, consent_active=False, consent_org_ids=frozenset(),
        consent_categories=frozenset(), disclosures=(), permissions=permissions,
    )
    fields.update(kw)
    return CaseAccess(**fields)  # type: ignore[arg-type]


def entry(org: int, responsible: int | None = None) -> SimpleNamespace:
    return SimpleNamespace(recorded_by_organisation_id=org, responsible_id=responsible)


# --- Read-only roles ---------------------------------------------------------------------


@pytest.mark.parametrize("action", WRITES)
def test_an_observer_reads_only(action):
    observer = make(role=TeamRole.OBSERVER)
    assert observer.read_only
    assert observer.may(CaseAction.VIEW) and observer.may(CaseAction.REMIND)
    assert not observer.may(action)
    assert not observer.may(action, entry(LEAD))
    with pytest.raises(PermissionDenied):
        observer.require(action)


@pytest.mark.parametrize("action", WRITES)
def test_emergency_access_reads_only(action):
    glass = make(role=None, emergency=True)
    assert glass.read_only
    assert glass.may(CaseAction.VIEW)
    assert not glass.may(CaseAction.REMIND)  # reminders are for the team
    assert not glass.may(action)
    with pytest.raises(PermissionDenied):
        glass.require(action)


def test_a_caseworker_of_the_lead_team_writes():
    worker = make()
    for action in (CaseAction.WRITE_NOTE, CaseAction.EDIT_PLAN, CaseAction.MANAGE_MEETING,
                   CaseAction.DECIDE, CaseAction.MANAGE_CONSENT, CaseAction.DISCLOSE,
                   CaseAction.ESTABLISH_PLAN, CaseAction.RECORD_FOLLOW_UP):
        assert worker.may(action), action
        worker.require(action)  # no exception


# --- Permissions from the role ------------------------------------------------------------


def test_the_role_must_grant_the_permission():
    reader = make(permissions=frozenset({Permission.CASE_VIEW}))
    assert reader.may(CaseAction.VIEW)
    assert not any(reader.may(a) for a in WRITES)
    assert not make(permissions=frozenset()).may(CaseAction.VIEW)


def test_closure_follow_ups_need_note_writing_or_deciding():
    decider = make(permissions=frozenset({Permission.CASE_VIEW, Permission.CASE_DECIDE}))
    writer = make(permissions=frozenset({Permission.CASE_VIEW, Permission.CASE_NOTE_WRITE}))
    neither = make(permissions=frozenset({Permission.CASE_VIEW, Permission.CASE_PLAN_EDIT}))
    assert decider.may(CaseAction.RECORD_FOLLOW_UP) and writer.may(CaseAction.RECORD_FOLLOW_UP)
    assert not neither.may(CaseAction.RECORD_FOLLOW_UP)


# --- Lead team and lead coordinator --------------------------------------------------------


@pytest.mark.parametrize("action", [CaseAction.DECIDE, CaseAction.MANAGE_CONSENT,
                                    CaseAction.ESTABLISH_PLAN, CaseAction.RECORD_FOLLOW_UP])
def test_lead_team_actions_are_refused_to_other_organisations(action):
    assert make(org=LEAD).may(action)
    assert not make(org=POLICE).may(action)
    with pytest.raises(PermissionDenied):
        make(org=POLICE, role=TeamRole.LEAD_COORDINATOR).require(action)


def test_only_the_lead_coordinator_manages_the_team():
    coordinator = make(role=TeamRole.LEAD_COORDINATOR)
    assert coordinator.is_lead_coordinator and coordinator.may(CaseAction.MANAGE_TEAM)
    assert not make(role=TeamRole.CASEWORKER).may(CaseAction.MANAGE_TEAM)
    # The role in another organisation's team does not make a lead coordinator.
    assert not make(org=POLICE, role=TeamRole.LEAD_COORDINATOR).is_lead_coordinator
    assert not make(org=POLICE, role=TeamRole.LEAD_COORDINATOR).may(CaseAction.MANAGE_TEAM)
    without_permission = make(role=TeamRole.LEAD_COORDINATOR,
                              permissions=EVERY_PERMISSION - {Permission.CASE_TEAM_MANAGE})
    assert not without_permission.may(CaseAction.MANAGE_TEAM)


def test_disclosing_is_not_limited_to_the_lead_team():
    assert make(org=POLICE).may(CaseAction.DISCLOSE)


# --- Entries: one's own organisation's, or the responsible person's -----------------------


@pytest.mark.parametrize("action", [CaseAction.WRITE_NOTE, CaseAction.EDIT_PLAN, CaseAction.MANAGE_MEETING])
def test_entries_are_changed_by_their_own_organisation(action):
    police = make(org=POLICE)
    assert police.may(action, entry(POLICE))
    assert not police.may(action, entry(LEAD))
    with pytest.raises(PermissionDenied):
        police.require(action, entry(LEAD))
    # Owning the entry does not lift the read-only rule.
    assert not make(org=POLICE, role=TeamRole.OBSERVER).may(action, entry(POLICE))


def test_a_commitment_is_followed_up_by_its_organisation_or_the_responsible_person():
    police = make(org=POLICE)
    assert police.may(CaseAction.FOLLOW_UP, entry(POLICE))
    assert police.may(CaseAction.FOLLOW_UP, entry(LEAD, responsible=ME))
    assert not police.may(CaseAction.FOLLOW_UP, entry(LEAD, responsible=ME + 1))
    # ... but changing all of it stays with the recording organisation.
    assert not police.may(CaseAction.EDIT_PLAN, entry(LEAD, responsible=ME))
    assert not make(org=POLICE, emergency=True, role=None).may(CaseAction.FOLLOW_UP, entry(POLICE))


def test_actions_are_named_by_value_too():
    """Templates pass the action's value ({% case_may access "follow_up" c as ok %})."""
    assert make().may("write_note") is True
    with pytest.raises(ValueError):
        make().may("no_such_action")


# --- The sharing rule (can_see) ------------------------------------------------------------


def test_own_organisation_sees_its_entries_and_nothing_else_without_a_basis():
    police = make(org=POLICE)
    assert police.can_see(recording_org_id=POLICE, category="crime", created_at=NOW)
    assert not police.can_see(recording_org_id=LEAD, category="social", created_at=NOW)


def test_consent_shares_the_categories_between_the_organisations_it_names():
    police = make(org=POLICE, consent_active=True, consent_org_ids=frozenset({LEAD, POLICE}),
                  consent_categories=frozenset({"social"}))
    assert police.can_see(recording_org_id=LEAD, category="social", created_at=NOW)
    assert not police.can_see(recording_org_id=LEAD, category="health", created_at=NOW)
    assert not police.can_see(recording_org_id=SCHOOL, category="social", created_at=NOW)
    # An inactive (withdrawn, expired, incomplete) consent shares nothing.
    assert not replace(police, consent_active=False).can_see(recording_org_id=LEAD, category="social",
                                                             created_at=NOW)
    # A viewer outside the consent's organisations gains nothing from it.
    school = replace(police, viewer_org_id=SCHOOL)
    assert not school.can_see(recording_org_id=LEAD, category="social", created_at=NOW)


def test_a_disclosure_covers_its_categories_up_to_its_decision():
    police = make(org=POLICE, disclosures=((LEAD, frozenset({"social"}), NOW),))
    assert police.can_see(recording_org_id=LEAD, category="social", created_at=NOW - timedelta(days=1))
    assert police.can_see(recording_org_id=LEAD, category="social", created_at=NOW)
    assert not police.can_see(recording_org_id=LEAD, category="social", created_at=NOW + timedelta(seconds=1))
    assert not police.can_see(recording_org_id=LEAD, category="family", created_at=NOW - timedelta(days=1))
    assert not police.can_see(recording_org_id=SCHOOL, category="social", created_at=NOW - timedelta(days=1))


def test_protected_identity_is_for_the_lead_team_only():
    opened = NOW - timedelta(days=30)
    everything = dict(consent_active=True, consent_org_ids=frozenset({LEAD, POLICE}),
                      consent_categories=frozenset({"basic"}))
    assert make(org=LEAD).sees_identity(protected=True, opened_at=opened)
    assert not make(org=POLICE, **everything).sees_identity(protected=True, opened_at=opened)
    assert make(org=POLICE, **everything).sees_identity(protected=False, opened_at=opened)
    assert not make(org=POLICE).sees_identity(protected=False, opened_at=opened)


# --- The template tag ------------------------------------------------------------------------


def test_templates_ask_the_object():
    template = Template('{% load caseaccess %}{% case_may access "follow_up" c as ok %}{{ ok }}')
    assert template.render(Context({"access": make(org=POLICE), "c": entry(POLICE)})) == "True"
    assert template.render(Context({"access": make(org=POLICE), "c": entry(LEAD)})) == "False"
    assert template.render(Context({"access": None, "c": entry(LEAD)})) == "False"  # fail closed


# --- Through the database --------------------------------------------------------------------


@pytest.fixture
def world(db):
    from tests.world import build_world

    return build_world()


def test_case_access_for_answers_404_outside_the_team(world):
    with pytest.raises(Http404):
        case_access_for(actor=world.users["tax"], case=world.case)
    assert world.case not in cases_visible_to(actor=world.users["tax"])
    observer = world.access("jarva_observer")
    assert observer.team_role == TeamRole.OBSERVER and not observer.may(CaseAction.WRITE_NOTE)
    assert world.access("jarva_coord").is_lead_coordinator


def _notes(world, who: str, within: VisibleCases | None = None) -> set[str]:
    rows = entries_visible(world.users[who], JournalNote.objects.all(), within=within,
                           created_field="created_at")
    return set(rows.values_list("text", flat=True))


def test_entries_visible_applies_each_cases_sharing_rule(world):
    from tests.world import full_consent

    police = _notes(world, "police")
    assert "SECRET-police-crime-TEXT" in police
    assert "SECRET-jarva_coord-social-TEXT" not in police and "SECRET-school-school-TEXT" not in police
    # The same for one case the caller has opened, and for an outsider: nothing.
    one = VisibleCases.one(world.case, world.access("police"))
    assert _notes(world, "police", within=one) == police
    assert _notes(world, "tax") == set()
    assert visible_cases(actor=world.users["tax"]).accesses == {}
    full_consent(world)
    shared = _notes(world, "police")
    assert {"SECRET-jarva_coord-social-TEXT", "SECRET-school-school-TEXT"} <= shared


def test_entries_visible_honours_a_disclosure_only_up_to_its_decision(world):
    from samverkan.consent import services as consent_services
    from tests.world import basis, write_note

    before = write_note(world, "jarva_coord", "social", "BEFORE-DISCLOSURE", backdate=timedelta(minutes=5))
    consent_services.disclosure_record(
        actor=world.users["jarva_coord"], case=world.case, access=world.access("jarva_coord"),
        basis=basis("osl-10-18a"), to_organisation=world.orgs["police"], categories=["social"],
        description="Uppgifter om riskbeteende",
        balancing_test="Konkreta omständigheter tyder på risk för brott; planerade insatser skadas inte.",
    )
    after = write_note(world, "jarva_coord", "social", "AFTER-DISCLOSURE")
    police = _notes(world, "police")
    assert before.text in police and after.text not in police
    assert before.text not in _notes(world, "school")
