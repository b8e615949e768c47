"""Goals of the plan, by life area: recorded by the actor's organisation, changed only by
its team members (optimistic locking: a stale save raises StaleEdit)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.audit.actions import Action
from samverkan.caseaccess import CaseAction
from samverkan.caseaccess.decision import CaseAccess
from samverkan.cases.models import Case, InformationCategory
from samverkan.cases.services import case_touch
from samverkan.lib.concurrency import update_versioned
from samverkan.plans.models import Goal, GoalStatus, LifeArea
from samverkan.plans.services.common import (
    _CATEGORIES,
    _audit,
    _plan_changed,
    _require_edit,
    plan_get_or_create,
)

if TYPE_CHECKING:
    from samverkan.accounts.models import User


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
