"""The lead organisation's part of the plan: its summary (the overall aim) and
establishing (fastställa) the plan as a numbered version with a frozen snapshot."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.audit.actions import Action
from samverkan.caseaccess import CaseAction
from samverkan.caseaccess.decision import CaseAccess
from samverkan.cases.models import Case
from samverkan.cases.services import case_touch
from samverkan.lib.concurrency import StaleEdit, update_versioned
from samverkan.plans.models import ActionPlan, Commitment, Goal, PlanVersion
from samverkan.plans.services.common import _audit, _require_edit, plan_get_or_create

if TYPE_CHECKING:
    from samverkan.accounts.models import User


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
