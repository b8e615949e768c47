"""Writing the weekly EST meeting record of an area and its actions.

Who: the record is opened, edited and closed by someone who may run the area's meeting
(LocalAction.RUN_MEETING: the meeting permission and the area in scope). An action's
status is updated between meetings by its own organisation or by a meeting runner
(LocalAction.UPDATE_ACTION). Every service asks the decision itself, so a view that
forgets still cannot write.

What a record holds: the date held, the organisations present (among the area's parties,
selectors.meetings.meeting_parties), what was seen, the actions decided (text, responsible
organisation, due date) and its follow-up of earlier meetings' actions (an ActionFollowUp
per action, and the action's latest status, note and ``followed_up_at``). Closing makes all
of that read-only; the status of the actions it decided goes on living (between meetings
and at later meetings).

Text is about places and events: identity numbers are refused (picture.text). Edits of an
existing row carry the editor's version (StaleEdit → 409 keeping the input). Every write
is audited in its own durable transaction.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.directory.models import Area
from samverkan.lib.concurrency import StaleEdit, update_versioned
from samverkan.picture.decision import LocalAccess, LocalAction
from samverkan.picture.models import ActionFollowUp, ActionStatus, WeekAction, WeekMeeting, week_start_of
from samverkan.picture.selectors.meetings import ACTION_SUBJECT, MEETING_SUBJECT, meeting_parties
from samverkan.picture.selectors.week import week_code
from samverkan.picture.text import identity_number_problem

if TYPE_CHECKING:
    from samverkan.accounts.models import User

__all__ = [
    "StaleEdit",
    "action_add",
    "action_follow_up",
    "action_update_status",
    "meeting_close",
    "meeting_open",
    "meeting_update",
]

SEEN_MAX = 4000
ACTION_TEXT_MAX = 1000
NOTE_MAX = 2000


def _text(value: str, *, field: str, limit: int, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: _("Say what is to be done.")})
    if len(value) > limit:
        raise ValidationError({field: _("The text is too long (at most %(limit)s characters).") % {"limit": limit}})
    problem = identity_number_problem(value)
    if problem:
        raise ValidationError({field: problem})
    return value


def _open_for_writing(meeting: WeekMeeting) -> WeekMeeting:
    """The record, locked for the rest of the transaction, if it is not closed."""
    locked = WeekMeeting.objects.select_for_update().select_related("area__district").get(pk=meeting.pk)
    if locked.closed:
        raise ValidationError(_("The record is closed and can no longer be changed."))
    return locked


def _audit_meeting(action: Action, actor: User, meeting: WeekMeeting, **detail: object) -> None:
    audit.record(
        action=action, actor=actor, subject_type=MEETING_SUBJECT, subject_id=meeting.pk,
        subject_organisation_id=meeting.area.district.administration_id,
        detail={"area": meeting.area.code, "week": week_code(meeting.week_start), **detail},
    )


def meeting_open(*, actor: User, access: LocalAccess, area: Area, week_start: date) -> WeekMeeting:
    """Start the area's record for the week (the existing one if someone else just did).
    A week that has not begun has no meeting yet."""
    access.require(LocalAction.RUN_MEETING, area)
    if week_start != week_start_of(week_start):
        raise ValidationError(_("A week starts on a Monday."))
    if week_start > week_start_of(timezone.localdate()):
        raise ValidationError(_("The week has not begun yet."))
    with transaction.atomic(durable=True):
        existing = WeekMeeting.objects.filter(area=area, week_start=week_start).select_related("area__district").first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                meeting = WeekMeeting.objects.create(area=area, week_start=week_start, created_by=actor)
        except IntegrityError:
            # Opened by someone else at the same moment: theirs is the record.
            return WeekMeeting.objects.select_related("area__district").get(area=area, week_start=week_start)
        meeting.area = area
        _audit_meeting(Action.PICTURE_MEETING_OPENED, actor, meeting)
    return meeting


def meeting_update(
    *, actor: User, access: LocalAccess, meeting: WeekMeeting, held_on: date | None, participant_ids: list[int],
    seen: str, expected_version: int | None,
) -> WeekMeeting:
    """Record the date held, who was present and what was seen."""
    access.require(LocalAction.RUN_MEETING, meeting.area)
    seen = _text(seen, field="seen", limit=SEEN_MAX)
    if held_on is not None and held_on > timezone.localdate():
        raise ValidationError({"held_on": _("The meeting cannot have been held in the future.")})
    with transaction.atomic(durable=True):
        locked = _open_for_writing(meeting)
        allowed = {o.pk for o in meeting_parties(locked.area)}
        chosen = set(participant_ids)
        if not chosen <= allowed:
            raise ValidationError({"participants": _("Choose among the organisations that take part locally.")})
        update_versioned(
            WeekMeeting.objects.filter(closed=False), pk=locked.pk, version=expected_version,
            held_on=held_on, seen=seen, updated_at=timezone.now(),
        )
        locked.participants.set(sorted(chosen))
        _audit_meeting(Action.PICTURE_MEETING_UPDATED, actor, locked, participants=len(chosen))
    locked.refresh_from_db()
    return locked


def action_add(
    *, actor: User, access: LocalAccess, meeting: WeekMeeting, text: str, organisation_id: int, due_on: date,
) -> WeekAction:
    """An action the meeting decides: what is done, by which of the parties, by when."""
    access.require(LocalAction.RUN_MEETING, meeting.area)
    text = _text(text, field="text", limit=ACTION_TEXT_MAX, required=True)
    if due_on < meeting.week_start:
        raise ValidationError({"due_on": _("The due date cannot be before the meeting's week.")})
    with transaction.atomic(durable=True):
        locked = _open_for_writing(meeting)
        if organisation_id not in {o.pk for o in meeting_parties(locked.area)}:
            raise ValidationError(
                {"organisation": _("Choose one of the organisations that take part locally.")}
            )
        action = WeekAction.objects.create(
            meeting=locked, text=text, organisation_id=organisation_id, due_on=due_on, created_by=actor,
        )
        audit.record(
            action=Action.PICTURE_MEETING_ACTION_ADDED, actor=actor, subject_type=ACTION_SUBJECT,
            subject_id=action.pk, subject_organisation_id=organisation_id,
            detail={"meeting": locked.pk, "area": locked.area.code},
        )
    return action


def action_follow_up(
    *, actor: User, access: LocalAccess, meeting: WeekMeeting, action: WeekAction, status: str, note: str,
    expected_version: int | None,
) -> WeekAction:
    """This meeting's follow-up of an action decided at an earlier meeting of the same
    area: done, not done, cancelled or still open, with a note. Recorded again at the same
    meeting replaces what it recorded; a later meeting records its own."""
    access.require(LocalAction.RUN_MEETING, meeting.area)
    if status not in ActionStatus.values:
        raise ValidationError({"status": _("Choose a status.")})
    note = _text(note, field="note", limit=NOTE_MAX)
    if action.meeting.area_id != meeting.area_id or action.meeting.week_start >= meeting.week_start:
        raise ValidationError(_("Only actions decided at an earlier meeting of the area are followed up here."))
    with transaction.atomic(durable=True):
        locked = _open_for_writing(meeting)
        later = (
            ActionFollowUp.objects.filter(action=action, meeting__week_start__gt=locked.week_start).exists()
        )
        if later:
            raise ValidationError(_("A later meeting has already followed this action up."))
        update_versioned(
            WeekAction, pk=action.pk, version=expected_version, status=status, follow_up=note,
            followed_up_at=locked, updated_at=timezone.now(),
        )
        ActionFollowUp.objects.update_or_create(
            action=action, meeting=locked, defaults={"status": status, "note": note, "recorded_by": actor},
        )
        audit.record(
            action=Action.PICTURE_MEETING_ACTION_FOLLOWED_UP, actor=actor, subject_type=ACTION_SUBJECT,
            subject_id=action.pk, subject_organisation_id=action.organisation_id,
            detail={"meeting": locked.pk, "status": status},
        )
    action.refresh_from_db()
    return action


def action_update_status(
    *, actor: User, access: LocalAccess, action: WeekAction, status: str, expected_version: int | None,
) -> WeekAction:
    """Between meetings: the responsible organisation (or a meeting runner) says an action
    is done, not done, cancelled or open again. The next meeting follows it up."""
    access.require(LocalAction.UPDATE_ACTION, action)
    if status not in ActionStatus.values:
        raise ValidationError({"status": _("Choose a status.")})
    with transaction.atomic(durable=True):
        update_versioned(WeekAction, pk=action.pk, version=expected_version, status=status,
                         updated_at=timezone.now())
        audit.record(
            action=Action.PICTURE_MEETING_ACTION_UPDATED, actor=actor, subject_type=ACTION_SUBJECT,
            subject_id=action.pk, subject_organisation_id=action.organisation_id,
            detail={"status": status, "was": action.status},
        )
    action.refresh_from_db()
    return action


def meeting_close(*, actor: User, access: LocalAccess, meeting: WeekMeeting, expected_version: int | None) -> None:
    """Close the record: its date, organisations present, what was seen, the actions it
    decided and its follow-ups can no longer be changed. Needs the date held."""
    access.require(LocalAction.RUN_MEETING, meeting.area)
    with transaction.atomic(durable=True):
        locked = _open_for_writing(meeting)
        if locked.held_on is None:
            raise ValidationError(_("Enter the date the meeting was held before closing the record."))
        update_versioned(
            WeekMeeting.objects.filter(closed=False), pk=locked.pk, version=expected_version, closed=True,
            updated_at=timezone.now(),
        )
        _audit_meeting(Action.PICTURE_MEETING_CLOSED, actor, locked, actions=locked.actions.count())
