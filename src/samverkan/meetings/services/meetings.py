"""Calling, changing and cancelling meetings (and who is invited). A meeting belongs to
the organisation that called it: only its members change it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.audit.actions import Action
from samverkan.caseaccess.decision import CaseAccess
from samverkan.cases.models import Case, InformationCategory, TeamMember
from samverkan.cases.services import case_touch
from samverkan.lib.concurrency import update_versioned
from samverkan.meetings.models import (
    Attendee,
    Meeting,
    MeetingKind,
    MeetingStatus,
    ParticipantAttendance,
)
from samverkan.meetings.services.common import _audit, _require_manage, _require_own_meeting

if TYPE_CHECKING:
    from samverkan.accounts.models import User


def _clean_meeting(
    kind: str,
    starts_at: datetime,
    place: str,
    attendees: list[TeamMember],
    case: Case,
    participant_attendance: str,
) -> None:
    errors: dict[str, str] = {}
    if kind not in MeetingKind.values:
        errors["kind"] = _("Choose the kind of meeting.")
    if not place.strip():
        errors["place"] = _("Write where the meeting is.")
    if participant_attendance not in ParticipantAttendance.values:
        errors["participant_attendance"] = _("Choose whether the participant is invited.")
    if any(m.case_id != case.pk or not m.active for m in attendees):
        errors["attendees"] = _("Attendees must be on the case team.")
    if timezone.is_naive(starts_at):
        errors["starts_at"] = _("Give the date and time.")
    if errors:
        raise ValidationError(errors)


def _set_attendees(meeting: Meeting, attendees: Iterable[TeamMember]) -> None:
    wanted = {m.user_id: m.organisation_id for m in attendees}
    Attendee.objects.filter(meeting=meeting).exclude(user_id__in=wanted).delete()
    existing = set(Attendee.objects.filter(meeting=meeting).values_list("user_id", flat=True))
    Attendee.objects.bulk_create(
        [
            Attendee(meeting=meeting, user_id=u, organisation_id=o)
            for u, o in wanted.items()
            if u not in existing
        ]
    )


@transaction.atomic
def meeting_create(
    *,
    actor: User,
    case: Case,
    access: CaseAccess,
    starts_at: datetime,
    place: str,
    attendees: list[TeamMember],
    agenda: str = "",
    kind: str = MeetingKind.FOLLOW_UP,
    participant_attendance: str = ParticipantAttendance.INVITED,
) -> Meeting:
    """Call a meeting, recorded by the actor's organisation in category "meeting"."""
    _require_manage(actor, case, access)
    _clean_meeting(kind, starts_at, place, attendees, case, participant_attendance)
    meeting = Meeting.objects.create(
        case=case,
        kind=kind,
        starts_at=starts_at,
        place=place.strip(),
        agenda=agenda.strip(),
        participant_attendance=participant_attendance,
        recorded_by_organisation_id=actor.organisation_id,
        category=InformationCategory.MEETING,
        created_by=actor,
    )
    _set_attendees(meeting, attendees)
    case_touch(case=case)
    _audit(
        Action.MEETING_CREATED,
        actor,
        case,
        {"meeting": str(meeting.public_id), "attendees": len(attendees)},
    )
    return meeting


@transaction.atomic
def meeting_update(
    *,
    actor: User,
    case: Case,
    access: CaseAccess,
    meeting: Meeting,
    expected_version: int,
    starts_at: datetime,
    place: str,
    attendees: list[TeamMember],
    agenda: str,
    kind: str,
    participant_attendance: str,
) -> Meeting:
    """Change a meeting the actor's organisation called; StaleEdit if it changed."""
    _require_manage(actor, case, access)
    _require_own_meeting(case, access, meeting)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("The meeting is cancelled."))
    _clean_meeting(kind, starts_at, place, attendees, case, participant_attendance)
    update_versioned(
        Meeting.objects.exclude(status=MeetingStatus.CANCELLED),
        pk=meeting.pk,
        version=expected_version,
        starts_at=starts_at,
        place=place.strip(),
        agenda=agenda.strip(),
        kind=kind,
        participant_attendance=participant_attendance,
        updated_at=timezone.now(),
    )
    _set_attendees(meeting, attendees)
    meeting.refresh_from_db()
    case_touch(case=case)
    _audit(
        Action.MEETING_UPDATED,
        actor,
        case,
        {"meeting": str(meeting.public_id), "version": meeting.version},
    )
    return meeting


@transaction.atomic
def meeting_cancel(
    *, actor: User, case: Case, access: CaseAccess, meeting: Meeting, expected_version: int
) -> Meeting:
    _require_manage(actor, case, access)
    _require_own_meeting(case, access, meeting)
    update_versioned(
        Meeting.objects.filter(status=MeetingStatus.PLANNED),
        pk=meeting.pk,
        version=expected_version,
        status=MeetingStatus.CANCELLED,
        updated_at=timezone.now(),
    )
    meeting.refresh_from_db()
    case_touch(case=case)
    _audit(Action.MEETING_CANCELLED, actor, case, {"meeting": str(meeting.public_id)})
    return meeting
