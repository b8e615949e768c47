"""Commitments of the plan: who does what by when, for which goal. The committing
organisation is the responsible person's; the responsible person may also record the
follow-up (status and note), since they carry it out."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.audit.actions import Action
from samverkan.caseaccess import CaseAction
from samverkan.caseaccess.decision import CaseAccess
from samverkan.cases.models import Case, InformationCategory, TeamMember
from samverkan.cases.services import case_touch
from samverkan.lib.concurrency import update_versioned
from samverkan.plans.models import Commitment, CommitmentStatus, Goal
from samverkan.plans.services.common import (
    _CATEGORIES,
    _audit,
    _plan_changed,
    _require_edit,
    plan_get_or_create,
)

if TYPE_CHECKING:
    from samverkan.accounts.models import User


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
