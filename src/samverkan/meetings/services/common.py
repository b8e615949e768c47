"""What every meeting service shares: the case's audit entry and the checks: managing
meetings in an open case, a meeting the actor's organisation called, a draft of the
actor's own minutes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from samverkan.audit import services as audit
from samverkan.caseaccess import CaseAction
from samverkan.caseaccess.decision import CaseAccess
from samverkan.cases.models import Case
from samverkan.meetings.models import Meeting, Minutes
from samverkan.plans.services import require_writable

if TYPE_CHECKING:
    from samverkan.accounts.models import User


_audit = audit.record_case_event  # subject: the case and its lead organisation


def _require_manage(actor: User, case: Case, access: CaseAccess) -> None:
    access.require(CaseAction.MANAGE_MEETING)
    require_writable(case)


def _require_own_meeting(case: Case, access: CaseAccess, meeting: Meeting) -> None:
    """A meeting of this case recorded by the actor's organisation."""
    if meeting.case_id != case.pk:
        raise PermissionDenied
    access.require(CaseAction.MANAGE_MEETING, meeting)


def _require_own_draft(actor: User, case: Case, minutes: Minutes) -> None:
    if minutes.case_id != case.pk or minutes.author_id != actor.pk:
        raise PermissionDenied
    if minutes.signed_at is not None:
        raise ValidationError(_("Signed minutes cannot be changed; write a correction instead."))
