"""Minutes of a meeting: drafts change only by their author, signed minutes never
change; a correction is new minutes referencing the old."""

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
from samverkan.meetings.models import Meeting, MeetingStatus, Minutes
from samverkan.meetings.services.common import _audit, _require_manage, _require_own_draft

if TYPE_CHECKING:
    from samverkan.accounts.models import User


@transaction.atomic
def minutes_create(
    *,
    actor: User,
    case: Case,
    access: CaseAccess,
    meeting: Meeting,
    text: str,
    sign: bool = False,
    corrects: Minutes | None = None,
) -> Minutes:
    """Minutes recorded by the actor's organisation (a draft, or signed at once); with
    ``corrects``, a correction of the organisation's signed minutes."""
    _require_manage(actor, case, access)
    if meeting.case_id != case.pk:
        raise PermissionDenied
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("The meeting is cancelled."))
    if not text.strip():
        raise ValidationError({"text": _("Write the minutes.")})
    if corrects is not None:
        if corrects.meeting_id != meeting.pk or corrects.signed_at is None:
            raise ValidationError(_("Only signed minutes of this meeting can be corrected."))
        access.require(CaseAction.MANAGE_MEETING, corrects)  # one's own organisation's
    minutes = Minutes.objects.create(
        meeting=meeting,
        case=case,
        recorded_by_organisation_id=actor.organisation_id,
        category=InformationCategory.MEETING,
        author=actor,
        text=text.strip(),
        corrects=corrects,
        signed_at=timezone.now() if sign else None,
    )
    case_touch(case=case)
    _audit(
        Action.MINUTES_CORRECTED if corrects else Action.MINUTES_CREATED,
        actor,
        case,
        {"meeting": str(meeting.public_id), "minutes": str(minutes.public_id)},
    )
    if sign:
        _audit(Action.MINUTES_SIGNED, actor, case, {"minutes": str(minutes.public_id)})
    return minutes


@transaction.atomic
def minutes_update_draft(
    *,
    actor: User,
    case: Case,
    access: CaseAccess,
    minutes: Minutes,
    expected_version: int,
    text: str,
) -> Minutes:
    """Change the actor's own draft; StaleEdit if it changed or was signed meanwhile."""
    _require_manage(actor, case, access)
    _require_own_draft(actor, case, minutes)
    if not text.strip():
        raise ValidationError({"text": _("Write the minutes.")})
    update_versioned(
        Minutes.objects.filter(signed_at__isnull=True),
        pk=minutes.pk,
        version=expected_version,
        text=text.strip(),
        updated_at=timezone.now(),
    )
    minutes.refresh_from_db()
    case_touch(case=case)
    _audit(
        Action.MINUTES_UPDATED,
        actor,
        case,
        {"minutes": str(minutes.public_id), "version": minutes.version},
    )
    return minutes


@transaction.atomic
def minutes_sign(
    *, actor: User, case: Case, access: CaseAccess, minutes: Minutes, expected_version: int
) -> Minutes:
    """Sign the actor's own draft (as last seen: StaleEdit if it changed). Final."""
    _require_manage(actor, case, access)
    _require_own_draft(actor, case, minutes)
    update_versioned(
        Minutes.objects.filter(signed_at__isnull=True),
        pk=minutes.pk,
        version=expected_version,
        signed_at=timezone.now(),
        updated_at=timezone.now(),
    )
    minutes.refresh_from_db()
    case_touch(case=case)
    _audit(Action.MINUTES_SIGNED, actor, case, {"minutes": str(minutes.public_id)})
    return minutes
