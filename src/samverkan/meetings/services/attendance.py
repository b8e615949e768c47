"""Recording who attended a meeting (team members and the participant); the meeting
is then held."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.audit.actions import Action
from samverkan.caseaccess.decision import CaseAccess
from samverkan.cases.models import Case
from samverkan.cases.services import case_touch
from samverkan.lib.concurrency import update_versioned
from samverkan.meetings.models import Attendee, Meeting, MeetingStatus, ParticipantAttendance
from samverkan.meetings.services.common import _audit, _require_manage, _require_own_meeting

if TYPE_CHECKING:
    from samverkan.accounts.models import User


@transaction.atomic
def meeting_record_attendance(
    *,
    actor: User,
    case: Case,
    access: CaseAccess,
    meeting: Meeting,
    expected_version: int,
    attended_user_ids: Iterable[int],
    participant_attendance: str,
) -> Meeting:
    """Record who attended (invited team members and the participant); the meeting is
    then held. Only after it has started."""
    _require_manage(actor, case, access)
    _require_own_meeting(case, access, meeting)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("The meeting is cancelled."))
    if meeting.starts_at > timezone.now():
        raise ValidationError(_("The meeting has not taken place yet."))
    if (
        participant_attendance not in ParticipantAttendance.values
        or participant_attendance == "invited"
    ):
        raise ValidationError(
            {"participant_attendance": _("Choose whether the participant attended.")}
        )
    attended = set(attended_user_ids)
    update_versioned(
        Meeting.objects.exclude(status=MeetingStatus.CANCELLED),
        pk=meeting.pk,
        version=expected_version,
        status=MeetingStatus.HELD,
        participant_attendance=participant_attendance,
        updated_at=timezone.now(),
    )
    Attendee.objects.filter(meeting=meeting, user_id__in=attended).update(attended=True)
    Attendee.objects.filter(meeting=meeting).exclude(user_id__in=attended).update(attended=False)
    meeting.refresh_from_db()
    case_touch(case=case)
    _audit(
        Action.MEETING_ATTENDANCE_RECORDED,
        actor,
        case,
        {
            "meeting": str(meeting.public_id),
            "attended": len(attended),
            "participant": participant_attendance,
        },
    )
    return meeting
