"""Validating a roster CSV from another system against every hard rule; nothing stored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.rostering import problem as pb
from samverkan.rostering.engine import csvio, validator
from samverkan.rostering.models import (
    RosterPlan,
)
from samverkan.rostering.services.common import (
    _violation_dicts,
)

if TYPE_CHECKING:
    from samverkan.accounts.models import User


def upload_validate(*, actor: User | None, plan: RosterPlan, content: bytes) -> dict[str, Any]:
    """Check a roster CSV from another system against every hard rule for ``plan``'s
    group and period (engine validator). Returns counts and violations; nothing stored."""
    problem = pb.build_problem(plan)
    try:
        roster = csvio.read_roster(content.decode("utf-8-sig"), problem.shifts)
    except (UnicodeDecodeError, ValueError, KeyError) as exc:
        raise ValidationError(
            _("The file could not be read as a roster CSV: %(why)s") % {"why": type(exc).__name__}
        ) from None
    violations = validator.validate(problem, roster)
    with transaction.atomic(durable=True):
        audit.record(
            action=Action.ROSTER_VALIDATED_UPLOAD,
            actor=actor,
            subject_type="action_group",
            subject_id=plan.group_id,
            detail={"assignments": len(roster.assignments), "violations": len(violations)},
        )
    return {"assignments": len(roster.assignments), "violations": _violation_dicts(violations)}

