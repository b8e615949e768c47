"""Writing the action plan: goals, commitments, the summary, and establishing versions.

Every function checks the access policy (CASE_PLAN_EDIT inside a case the actor may
open; observers and emergency access read only), writes with optimistic locking
(``expected_version``: a stale save raises StaleEdit and writes nothing), audits in the
same transaction (ids and categories only, never text) and touches the case (retention).

Entries belong to the organisation that recorded them: only its team members change
them. The responsible person of a commitment may also record its follow-up (status and
note), since they carry it out.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.caseaccess import CaseAction
from samverkan.caseaccess.decision import CaseAccess
from samverkan.cases.models import Case, CaseStatus, InformationCategory, TeamMember
from samverkan.cases.services import case_touch
from samverkan.lib.concurrency import StaleEdit as StaleEdit  # re-exported: services.StaleEdit
from samverkan.lib.concurrency import update_versioned
from samverkan.plans.models import (
    PLAN_ENTRY_CATEGORIES,
    ActionPlan,
    Commitment,
    CommitmentStatus,
    Goal,
    GoalStatus,
    LifeArea,
    PlanVersion,
)

if TYPE_CHECKING:
    from samverkan.accounts.models import User

_CATEGORIES = {value for value, _label in PLAN_ENTRY_CATEGORIES}


_audit = audit.record_case_event  # subject: the case and its lead organisation


def require_writable(case: Case) -> None:
    """Plans and meetings change only while the case is open (intake or active)."""
    if case.status not in (CaseStatus.INTAKE, CaseStatus.ACTIVE):
        raise ValidationError(_("The case is closed: its plan and meetings can no longer change."))


def _require_edit(actor: User, case: Case, access: CaseAccess) -> None:
    access.require(CaseAction.EDIT_PLAN)
    require_writable(case)


def plan_get_or_create(*, case: Case) -> ActionPlan:
    """The case's plan row (created on the first write; recorded by the lead
    organisation in category "plan"). Callers have checked the policy."""
    plan, _created = ActionPlan.objects.get_or_create(
        case=case,
        defaults={
            "recorded_by_organisation_id": case.lead_organisation_id,
            "category": InformationCategory.PLAN,
        },
    )
    return plan


def _plan_changed(plan: ActionPlan) -> None:
    ActionPlan.objects.filter(pk=plan.pk).update(
        revision=F("revision") + 1, has_draft_changes=True, updated_at=timezone.now()
    )


def _clean_goal(life_area: str, title: str, category: str, status: str) -> dict[str, str]:
    errors = {}
    if life_area not in LifeArea.values:
        errors["life_area"] = _("Choose a life area.")
    if not title.strip():
        errors["title"] = _("Write the goal.")
    if category not in _CATEGORIES:
        errors["category"] = _("Choose an information category.")
    if status not in GoalStatus.values:
        errors["status"] = _("Choose a status.")
    return errors


@transaction.atomic
def goal_create(
    *,
    actor: User,
    case: Case,
    access: CaseAccess,
    life_area: str,
    title: str,
    description: str = "",
    category: str = InformationCategory.PLAN,
) -> Goal:
    """A goal recorded by the actor's organisation."""
    _require_edit(actor, case, access)
    errors = _clean_goal(life_area, title, category, GoalStatus.ONGOING)
    if errors:
        raise ValidationError(errors)
    plan = plan_get_or_create(case=case)
    goal = Goal.objects.create(
        plan=plan,
        case=case,
        life_area=life_area,
        title=title.strip(),
        description=description.strip(),
        category=category,
        recorded_by_organisation_id=actor.organisation_id,
        created_by=actor,
    )
    _plan_changed(plan)
    case_touch(case=case)
    _audit(
        Action.PLAN_GOAL_CREATED,
        actor,
        case,
        {"goal": str(goal.public_id), "category": category, "organisation": actor.organisation_id},
    )
    return goal


@transaction.atomic
def goal_update(
    *,
    actor: User,
    case: Case,
    access: CaseAccess,
    goal: Goal,
    expected_version: int,
    life_area: str,
    title: str,
    description: str,
    status: str,
    category: str,
) -> Goal:
    """Change a goal of the actor's own organisation; StaleEdit if it changed meanwhile."""
    _require_edit(actor, case, access)
    if goal.case_id != case.pk or not access.may(CaseAction.EDIT_PLAN, goal):
        raise PermissionDenied
    errors = _clean_goal(life_area, title, category, status)
    if errors:
        raise ValidationError(errors)
    update_versioned(
        Goal,
        pk=goal.pk,
        version=expected_version,
        life_area=life_area,
        title=title.strip(),
        description=description.strip(),
        status=status,
        category=category,
        updated_at=timezone.now(),
    )
    goal.refresh_from_db()
    _plan_changed(goal.plan)
    case_touch(case=case)
    _audit(
        Action.PLAN_GOAL_UPDATED,
        actor,
        case,
        {"goal": str(goal.public_id), "category": category, "version": goal.version},
    )
    return goal


def _responsible_membership(case: Case, responsible: Any) -> TeamMember:
    member = TeamMember.objects.filter(case=case, user=responsible, active=True).first()
    if member is None:
        raise ValidationError(
            {"responsible": _("The responsible person must be on the case team.")}
        )
    return member


def _clean_commitment(description: str, category: str, status: str) -> dict[str, str]:
    errors = {}
    if not description.strip():
        errors["description"] = _("Describe what will be done.")
    if category not in _CATEGORIES:
        errors["category"] = _("Choose an information category.")
    if status not in CommitmentStatus.values:
        errors["status"] = _("Choose a status.")
    return errors


def _completed_on(status: str, previous: date | None = None) -> date | None:
    if status == CommitmentStatus.DONE:
        return previous or timezone.localdate()
    return None


@transaction.atomic
def commitment_create(
    *,
    actor: User,
    case: Case,
    access: CaseAccess,
    description: str,
    responsible: Any,
    due_on: date,
    goal: Goal | None = None,
    category: str = InformationCategory.PLAN,
    status: str = CommitmentStatus.PLANNED,
    follow_up_note: str = "",
    source: dict[str, Any] | None = None,
) -> Commitment:
    """A commitment recorded by the actor's organisation. The committing organisation is
    the responsible person's (an active team member). ``goal`` must belong to this case
    and have been fetched through the plan selectors (so the actor may see it).
    ``source`` adds ids to the audit row (e.g. the meeting decision it came from)."""
    _require_edit(actor, case, access)
    errors = _clean_commitment(description, category, status)
    if errors:
        raise ValidationError(errors)
    if goal is not None and goal.case_id != case.pk:
        raise ValidationError({"goal": _("That goal belongs to another case.")})
    member = _responsible_membership(case, responsible)
    plan = plan_get_or_create(case=case)
    commitment = Commitment.objects.create(
        plan=plan,
        case=case,
        goal=goal,
        description=description.strip(),
        organisation_id=member.organisation_id,
        responsible=responsible,
        due_on=due_on,
        status=status,
        follow_up_note=follow_up_note.strip(),
        completed_on=_completed_on(status),
        recorded_by_organisation_id=actor.organisation_id,
        category=category,
        created_by=actor,
    )
    _plan_changed(plan)
    case_touch(case=case)
    _audit(
        Action.PLAN_COMMITMENT_CREATED,
        actor,
        case,
        {
            "commitment": str(commitment.public_id),
            "category": category,
            "organisation": member.organisation_id,
            "responsible": responsible.pk,
            **(source or {}),
        },
    )
    return commitment


@transaction.atomic
def commitment_update(
    *,
    actor: User,
    case: Case,
    access: CaseAccess,
    commitment: Commitment,
    expected_version: int,
    description: str,
    responsible: Any,
    due_on: date,
    status: str,
    follow_up_note: str,
    goal: Goal | None,
    category: str,
) -> Commitment:
    """Change a commitment of the actor's own organisation; StaleEdit if it changed."""
    _require_edit(actor, case, access)
    if commitment.case_id != case.pk or not access.may(CaseAction.EDIT_PLAN, commitment):
        raise PermissionDenied
    errors = _clean_commitment(description, category, status)
    if errors:
        raise ValidationError(errors)
    if goal is not None and goal.case_id != case.pk:
        raise ValidationError({"goal": _("That goal belongs to another case.")})
    if responsible.pk != commitment.responsible_id:
        organisation_id = _responsible_membership(case, responsible).organisation_id
    else:
        organisation_id = commitment.organisation_id
    update_versioned(
        Commitment,
        pk=commitment.pk,
        version=expected_version,
        description=description.strip(),
        responsible=responsible,
        organisation_id=organisation_id,
        due_on=due_on,
        status=status,
        follow_up_note=follow_up_note.strip(),
        goal=goal,
        category=category,
        completed_on=_completed_on(status, commitment.completed_on),
        updated_at=timezone.now(),
    )
    commitment.refresh_from_db()
    _plan_changed(commitment.plan)
    case_touch(case=case)
    _audit(
        Action.PLAN_COMMITMENT_UPDATED,
        actor,
        case,
        {
            "commitment": str(commitment.public_id),
            "category": category,
            "status": status,
            "version": commitment.version,
        },
    )
    return commitment


@transaction.atomic
def commitment_follow_up(
    *,
    actor: User,
    case: Case,
    access: CaseAccess,
    commitment: Commitment,
    expected_version: int,
    status: str,
    follow_up_note: str,
) -> Commitment:
    """Record how a commitment went (status and follow-up note); StaleEdit if it changed."""
    _require_edit(actor, case, access)
    if commitment.case_id != case.pk or not access.may(CaseAction.FOLLOW_UP, commitment):
        raise PermissionDenied
    if status not in CommitmentStatus.values:
        raise ValidationError({"status": _("Choose a status.")})
    update_versioned(
        Commitment,
        pk=commitment.pk,
        version=expected_version,
        status=status,
        follow_up_note=follow_up_note.strip(),
        completed_on=_completed_on(status, commitment.completed_on),
        updated_at=timezone.now(),
    )
    commitment.refresh_from_db()
    _plan_changed(commitment.plan)
    case_touch(case=case)
    _audit(
        Action.PLAN_COMMITMENT_FOLLOWED_UP,
        actor,
        case,
        {
            "commitment": str(commitment.public_id),
            "status": status,
            "version": commitment.version,
        },
    )
    return commitment


@transaction.atomic
def plan_summary_update(
    *, actor: User, case: Case, access: CaseAccess, expected_version: int, summary: str
) -> ActionPlan:
    """The plan's overall aim (lead organisation's team; category "plan")."""
    _require_edit(actor, case, access)
    access.require(CaseAction.ESTABLISH_PLAN)
    plan = plan_get_or_create(case=case)
    update_versioned(
        ActionPlan,
        pk=plan.pk,
        version=expected_version,
        summary=summary.strip(),
        revision=F("revision") + 1,
        has_draft_changes=True,
        updated_at=timezone.now(),
    )
    plan.refresh_from_db()
    case_touch(case=case)
    _audit(Action.PLAN_SUMMARY_UPDATED, actor, case, {"plan": plan.pk, "version": plan.version})
    return plan


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def plan_snapshot(*, plan: ActionPlan) -> dict[str, Any]:
    """The whole plan as JSON. Every entry keeps its recording organisation, category and
    times so that a later reader is filtered exactly like on the live plan."""
    goals = list(Goal.objects.filter(plan=plan).order_by("life_area", "created_at", "pk"))
    goal_ids = {g.pk: str(g.public_id) for g in goals}
    commitments = list(
        Commitment.objects.filter(plan=plan)
        .select_related("organisation", "responsible")
        .order_by("due_on", "pk")
    )
    return {
        "summary": {
            "text": plan.summary,
            "org": plan.recorded_by_organisation_id,
            "category": plan.category,
            "created_at": _iso(plan.created_at),
            "updated_at": _iso(plan.updated_at),
        },
        "goals": [
            {
                "id": str(g.public_id),
                "life_area": g.life_area,
                "title": g.title,
                "description": g.description,
                "status": g.status,
                "org": g.recorded_by_organisation_id,
                "category": g.category,
                "created_at": _iso(g.created_at),
                "updated_at": _iso(g.updated_at),
            }
            for g in goals
        ],
        "commitments": [
            {
                "id": str(c.public_id),
                "goal": goal_ids.get(c.goal_id) if c.goal_id else None,
                "description": c.description,
                "organisation": c.organisation_id,
                "organisation_name": c.organisation.name,
                "responsible": c.responsible_id,
                "responsible_name": c.responsible.get_full_name(),
                "due_on": _iso(c.due_on),
                "status": c.status,
                "follow_up_note": c.follow_up_note,
                "completed_on": _iso(c.completed_on),
                "org": c.recorded_by_organisation_id,
                "category": c.category,
                "created_at": _iso(c.created_at),
                "updated_at": _iso(c.updated_at),
            }
            for c in commitments
        ],
    }


@transaction.atomic
def plan_establish(
    *, actor: User, case: Case, access: CaseAccess, expected_revision: int
) -> PlanVersion:
    """Establish (fastställa) the plan as the next version: a frozen snapshot with number,
    time and who. Lead organisation's team only. StaleEdit when the plan changed after
    the actor read it (they must review it first); later edits start a new draft."""
    _require_edit(actor, case, access)
    access.require(CaseAction.ESTABLISH_PLAN)
    plan = ActionPlan.objects.select_for_update().filter(case=case).first()
    if plan is None:
        raise ValidationError(_("The plan is empty: add goals first."))
    if plan.revision != expected_revision:
        raise StaleEdit
    if plan.established_number and not plan.has_draft_changes:
        raise ValidationError(
            _("Nothing has changed since version %(n)d was established.")
            % {"n": plan.established_number}
        )
    if not Goal.objects.filter(plan=plan).exists():
        raise ValidationError(_("The plan is empty: add goals first."))
    number = plan.established_number + 1
    version = PlanVersion.objects.create(
        plan=plan,
        number=number,
        established_at=timezone.now(),
        established_by=actor,
        established_by_organisation_id=actor.organisation_id,
        snapshot=plan_snapshot(plan=plan),
    )
    ActionPlan.objects.filter(pk=plan.pk).update(
        established_number=number, has_draft_changes=False, revision=F("revision") + 1
    )
    case_touch(case=case)
    _audit(
        Action.PLAN_ESTABLISHED,
        actor,
        case,
        {
            "plan": plan.pk,
            "number": number,
            "goals": len(version.snapshot["goals"]),
            "commitments": len(version.snapshot["commitments"]),
        },
    )
    return version
