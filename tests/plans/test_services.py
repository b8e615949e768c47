import json
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from samverkan.audit.models import AuditEvent
from samverkan.cases.models import Case, CaseStatus
from samverkan.plans import selectors, services
from samverkan.plans.models import ActionPlan, Commitment, PlanVersion

pytestmark = pytest.mark.django_db


def _goal(world, user=None, **kw):
    user = user or world.lead
    kw.setdefault("life_area", "school")
    kw.setdefault("title", "Gå i skolan varje dag")
    return services.goal_create(actor=user, case=world.case, access=world.access(user), **kw)


def _commitment(world, user=None, responsible=None, **kw):
    user = user or world.lead
    kw.setdefault("description", "Boka möte med mentor")
    kw.setdefault("due_on", timezone.localdate() + timedelta(days=7))
    return services.commitment_create(
        actor=user,
        case=world.case,
        access=world.access(user),
        responsible=responsible or user,
        **kw,
    )


def test_goal_is_recorded_by_the_actors_organisation_and_audited(world):
    before = Case.objects.get(pk=world.case.pk).last_entry_at
    goal = _goal(world, world.users["police"], life_area="leaving_network", title="Lämna nätverket")
    assert goal.recorded_by_organisation_id == world.orgs["police"].pk
    assert goal.category == "plan"
    plan = ActionPlan.objects.get(case=world.case)
    assert plan.recorded_by_organisation_id == world.orgs["jarva"].pk  # the plan row is the lead's
    assert Case.objects.get(pk=world.case.pk).last_entry_at >= before
    event = AuditEvent.objects.filter(action="plan.goal_created").get()
    assert json.loads(event.detail)["goal"] == str(goal.public_id)
    assert "Lämna" not in str(event.detail)  # ids only, never the text


def test_goal_validation_and_roles(world):
    with pytest.raises(ValidationError):
        _goal(world, life_area="moon")
    with pytest.raises(ValidationError):
        _goal(world, category="basic")  # identity is not a plan category
    with pytest.raises(PermissionDenied):
        _goal(world, world.users["jarva_observer"])  # observers read only
    Case.objects.filter(pk=world.case.pk).update(status=CaseStatus.CLOSED)
    world.case.refresh_from_db()
    with pytest.raises(ValidationError):
        _goal(world)


def test_only_the_recording_organisation_changes_a_goal(world):
    goal = _goal(world)
    with pytest.raises(PermissionDenied):
        services.goal_update(
            actor=world.users["police"],
            case=world.case,
            access=world.access(world.users["police"]),
            goal=goal,
            expected_version=goal.version,
            life_area="school",
            title="x",
            description="",
            status="ongoing",
            category="plan",
        )


def test_stale_goal_update_writes_nothing(world):
    goal = _goal(world)
    access = world.access(world.lead)
    services.goal_update(
        actor=world.lead,
        case=world.case,
        access=access,
        goal=goal,
        expected_version=1,
        life_area="school",
        title="First saver",
        description="",
        status="ongoing",
        category="plan",
    )
    with pytest.raises(services.StaleEdit):
        services.goal_update(
            actor=world.lead,
            case=world.case,
            access=access,
            goal=goal,
            expected_version=1,
            life_area="work",
            title="Second saver",
            description="",
            status="ongoing",
            category="plan",
        )
    goal.refresh_from_db()
    assert (goal.title, goal.life_area, goal.version) == ("First saver", "school", 2)


def test_commitment_belongs_to_the_responsible_persons_organisation(world):
    goal = _goal(world)
    c = _commitment(world, responsible=world.users["police"], goal=goal)
    assert c.organisation_id == world.orgs["police"].pk
    assert c.recorded_by_organisation_id == world.orgs["jarva"].pk
    with pytest.raises(ValidationError):
        _commitment(world, responsible=world.users["tax"])  # not on the team
    done = _commitment(world, status="done")
    assert done.completed_on == timezone.localdate()


def test_follow_up_by_the_responsible_person_only(world):
    c = _commitment(world, responsible=world.users["police"])
    updated = services.commitment_follow_up(
        actor=world.users["police"],
        case=world.case,
        access=world.access(world.users["police"]),
        commitment=c,
        expected_version=c.version,
        status="done",
        follow_up_note="Klart",
    )
    assert updated.status == "done" and updated.completed_on is not None
    with pytest.raises(PermissionDenied):
        services.commitment_follow_up(
            actor=world.users["school"],
            case=world.case,
            access=world.access(world.users["school"]),
            commitment=updated,
            expected_version=updated.version,
            status="not_done",
            follow_up_note="",
        )
    with pytest.raises(PermissionDenied):  # the full edit stays with the recording organisation
        services.commitment_update(
            actor=world.users["police"],
            case=world.case,
            access=world.access(world.users["police"]),
            commitment=updated,
            expected_version=updated.version,
            description="x",
            responsible=world.users["police"],
            due_on=updated.due_on,
            status="done",
            follow_up_note="",
            goal=None,
            category="plan",
        )
    with pytest.raises(services.StaleEdit):
        services.commitment_follow_up(
            actor=world.users["police"],
            case=world.case,
            access=world.access(world.users["police"]),
            commitment=c,
            expected_version=1,
            status="not_done",
            follow_up_note="stale",
        )
    assert Commitment.objects.get(pk=c.pk).follow_up_note == "Klart"


def test_establish_versions_and_new_draft(world):
    access = world.access(world.lead)
    with pytest.raises(ValidationError):
        services.plan_establish(
            actor=world.lead, case=world.case, access=access, expected_revision=1
        )
    goal = _goal(world)
    _commitment(world, goal=goal)
    plan = ActionPlan.objects.get(case=world.case)
    with pytest.raises(PermissionDenied):  # the lead organisation establishes
        services.plan_establish(
            actor=world.users["police"],
            case=world.case,
            access=world.access(world.users["police"]),
            expected_revision=plan.revision,
        )
    with pytest.raises(services.StaleEdit):
        services.plan_establish(
            actor=world.lead, case=world.case, access=access, expected_revision=plan.revision - 1
        )
    v1 = services.plan_establish(
        actor=world.lead, case=world.case, access=access, expected_revision=plan.revision
    )
    assert (
        v1.number == 1 and len(v1.snapshot["goals"]) == 1 and len(v1.snapshot["commitments"]) == 1
    )
    plan.refresh_from_db()
    assert plan.established_number == 1 and not plan.has_draft_changes
    with pytest.raises(ValidationError):  # nothing changed since
        services.plan_establish(
            actor=world.lead, case=world.case, access=access, expected_revision=plan.revision
        )
    services.goal_update(
        actor=world.lead,
        case=world.case,
        access=access,
        goal=goal,
        expected_version=goal.version,
        life_area="school",
        title="Ändrat mål",
        description="",
        status="ongoing",
        category="plan",
    )
    plan.refresh_from_db()
    assert plan.has_draft_changes
    v2 = services.plan_establish(
        actor=world.lead, case=world.case, access=access, expected_revision=plan.revision
    )
    assert v2.number == 2
    # The earlier version is frozen.
    assert (
        PlanVersion.objects.get(number=1).snapshot["goals"][0]["title"] == "Gå i skolan varje dag"
    )
    assert AuditEvent.objects.filter(action="plan.established").count() == 2


def test_summary_is_lead_only_and_locked(world):
    plan = services.plan_summary_update(
        actor=world.lead,
        case=world.case,
        access=world.access(world.lead),
        expected_version=1,
        summary="Jag vill klara skolan",
    )
    assert plan.version == 2
    with pytest.raises(services.StaleEdit):
        services.plan_summary_update(
            actor=world.lead,
            case=world.case,
            access=world.access(world.lead),
            expected_version=1,
            summary="Lost?",
        )
    with pytest.raises(PermissionDenied):
        services.plan_summary_update(
            actor=world.users["police"],
            case=world.case,
            access=world.access(world.users["police"]),
            expected_version=2,
            summary="x",
        )
    assert ActionPlan.objects.get().summary == "Jag vill klara skolan"


def test_goals_other_org_recorded_and_category_rules(world):
    from tests.world import give_consent

    police_goal = _goal(world, world.users["police"], title="Polisens mål")
    health_goal = _goal(world, world.lead, title="Hälsomål", category="health")

    def titles(user):
        return {
            g.title for g in selectors.goals_visible(case=world.case, access=world.access(user))
        }

    def lead_titles():
        return titles(world.lead)

    def police_titles():
        return titles(world.users["police"])

    assert lead_titles() == {"Hälsomål"}
    assert police_titles() == {"Polisens mål"}
    give_consent(world, categories=["plan", "meeting"])  # health not covered
    assert lead_titles() == {"Hälsomål", "Polisens mål"}
    assert police_titles() == {"Polisens mål"}  # the lead's goals are plan/health, not shared
    assert health_goal.category == "health" and police_goal.category == "plan"
