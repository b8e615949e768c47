"""The forum's meetings: planning and cancelling, and during or after a meeting the
attendance, who was discussed, the minutes and their signature.

Who may: the forum's coordinators (TrefasAction.RUN_MEETINGS, trefas.decision). Every
write is audited in its own transaction. Signed minutes are immutable: these services
refuse with a clear message, and the database refuses too (trefas.guard). Minutes edits
use optimistic locking on ForumMeeting.version (lib.concurrency).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.lib.concurrency import StaleEdit, update_versioned
from samverkan.trefas.decision import TrefasAccess, TrefasAction
from samverkan.trefas.models import (
    Forum,
    ForumMeeting,
    ForumMember,
    ForumOrganisation,
    Listing,
    MeetingAttendance,
    MeetingDiscussion,
    MeetingStatus,
)

if TYPE_CHECKING:
    from samverkan.accounts.models import User

__all__ = [
    "StaleEdit", "attendance_record", "discussions_record", "forum_members", "meeting_cancel", "meeting_plan",
    "minutes_save", "minutes_sign",
]

SUBJECT = "trefas_meeting"
MINUTES_MAX = 20000


def _audit(action: Action, *, actor: User, meeting: ForumMeeting, **detail: object) -> None:
    # The meeting is the forum's, not one organisation's record.
    audit.record(action=action, actor=actor, subject_type=SUBJECT, subject_id=meeting.pk,
                 detail={"forum": meeting.forum_id, **detail})


def _check_forum(access: TrefasAccess, forum_id: int) -> None:
    if access.forum_id != forum_id:
        raise ValidationError(_("The meeting belongs to another forum."))


def _check_recordable(meeting: ForumMeeting) -> None:
    """Attendance, discussions and minutes: only for a meeting that is not cancelled,
    not signed and has started (today or earlier)."""
    if meeting.signed_at is not None:
        raise ValidationError(_("The minutes are signed and can no longer be changed."))
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("The meeting was cancelled."))
    if timezone.localdate(meeting.scheduled_for) > timezone.localdate():
        raise ValidationError(_("The meeting has not taken place yet. Record it on the day of the meeting or later."))


def _unsigned(meeting: ForumMeeting) -> QuerySet[ForumMeeting]:
    """The meeting's row while it is still unsigned and not cancelled: an update that
    meets a signed or cancelled meeting matches nothing (StaleEdit)."""
    return ForumMeeting.objects.filter(pk=meeting.pk, signed_at__isnull=True).exclude(
        status=MeetingStatus.CANCELLED)


@transaction.atomic(durable=True)
def meeting_plan(*, actor: User, access: TrefasAccess, forum: Forum, scheduled_for: datetime,
                 place: str) -> ForumMeeting:
    """Plan a meeting of the forum (coordinators). Audited."""
    access.require(TrefasAction.RUN_MEETINGS)
    _check_forum(access, forum.pk)
    place = place.strip()
    if not place:
        raise ValidationError(_("Say where the meeting is."))
    if scheduled_for < timezone.now() - timedelta(days=1):
        raise ValidationError(_("A new meeting cannot be planned in the past."))
    meeting = ForumMeeting.objects.create(forum=forum, scheduled_for=scheduled_for, place=place[:200],
                                          created_by=actor)
    _audit(Action.TREFAS_MEETING_CREATED, actor=actor, meeting=meeting)
    return meeting


@transaction.atomic(durable=True)
def meeting_cancel(*, actor: User, access: TrefasAccess, meeting: ForumMeeting,
                   expected_version: int | None) -> ForumMeeting:
    """Cancel a planned meeting (coordinators; the page asks for confirmation first).
    Only a planned meeting with no minutes, attendance or actions can be cancelled."""
    access.require(TrefasAction.RUN_MEETINGS)
    _check_forum(access, meeting.forum_id)
    if meeting.status != MeetingStatus.PLANNED or meeting.signed_at is not None:
        raise ValidationError(_("Only a planned meeting can be cancelled."))
    if meeting.minutes or meeting.attendance.exists() or meeting.actions.exists():
        raise ValidationError(_("The meeting already has minutes, attendance or actions and cannot be cancelled."))
    update_versioned(_unsigned(meeting), pk=meeting.pk, version=expected_version, status=MeetingStatus.CANCELLED)
    _audit(Action.TREFAS_MEETING_UPDATED, actor=actor, meeting=meeting, change="cancelled")
    meeting.refresh_from_db()
    return meeting


def forum_members(forum_id: int) -> dict[int, int]:
    """user id -> organisation id of the forum's members who count: an active member,
    an active user, whose organisation is an active member organisation."""
    return dict(
        ForumMember.objects.filter(
            forum_id=forum_id, active=True, user__is_active=True,
            user__organisation_id__in=ForumOrganisation.objects.filter(forum_id=forum_id, active=True)
            .values("organisation_id"),
        ).values_list("user_id", "user__organisation_id")
    )


@transaction.atomic(durable=True)
def attendance_record(*, actor: User, access: TrefasAccess, meeting: ForumMeeting,
                      present_user_ids: Iterable[int], expected_version: int | None) -> ForumMeeting:
    """Record who of the forum's members was present (the rest absent). Marks the
    meeting held. Refused once the minutes are signed. Audited (counts only)."""
    access.require(TrefasAction.RUN_MEETINGS)
    _check_forum(access, meeting.forum_id)
    _check_recordable(meeting)
    members = forum_members(meeting.forum_id)
    present = set(present_user_ids)
    if present - set(members):
        raise ValidationError(_("Only the forum's members can be recorded as present."))
    update_versioned(_unsigned(meeting), pk=meeting.pk, version=expected_version, status=MeetingStatus.HELD)
    MeetingAttendance.objects.filter(meeting=meeting).delete()
    MeetingAttendance.objects.bulk_create(
        MeetingAttendance(meeting=meeting, user_id=user_id, organisation_id=org_id, present=user_id in present)
        for user_id, org_id in sorted(members.items())
    )
    _audit(Action.TREFAS_MEETING_UPDATED, actor=actor, meeting=meeting, change="attendance",
           present=len(present), members=len(members))
    meeting.refresh_from_db()
    return meeting


@transaction.atomic(durable=True)
def discussions_record(*, actor: User, access: TrefasAccess, meeting: ForumMeeting,
                       listing_ids: Iterable[int], expected_version: int | None) -> ForumMeeting:
    """Record which listed people the meeting went through (replaces the earlier
    choice). A discussed person's ``last_discussed_on`` becomes the meeting's date and a
    pending review request is cleared when the rating was reviewed since it was made; a
    person taken off the choice gets back the date of their latest other discussion.
    Marks the meeting held. Refused once the minutes are signed. Audited (ids only)."""
    access.require(TrefasAction.RUN_MEETINGS)
    _check_forum(access, meeting.forum_id)
    _check_recordable(meeting)
    wanted = set(listing_ids)
    active = set(Listing.objects.filter(forum_id=meeting.forum_id, removed_at__isnull=True, pk__in=wanted)
                 .values_list("pk", flat=True))
    if wanted - active:
        raise ValidationError(_("Only people on the forum's list can be marked as discussed."))
    update_versioned(_unsigned(meeting), pk=meeting.pk, version=expected_version, status=MeetingStatus.HELD)
    before = set(MeetingDiscussion.objects.filter(meeting=meeting).values_list("listing_id", flat=True))
    added, dropped = wanted - before, before - wanted
    MeetingDiscussion.objects.filter(meeting=meeting, listing_id__in=dropped).delete()
    MeetingDiscussion.objects.bulk_create(MeetingDiscussion(meeting=meeting, listing_id=pk) for pk in sorted(added))
    day = timezone.localdate(meeting.scheduled_for)
    # Plain updates: these columns are the meeting's record, not the rating someone may
    # be editing, so they do not bump the listing's version.
    Listing.objects.filter(pk__in=wanted).update(last_discussed_on=day)
    Listing.objects.filter(
        pk__in=wanted, review_requested_at__isnull=False,
        rating_reviewed_at__gte=F("review_requested_at"),
    ).update(review_requested_at=None, review_request_reason="")
    if dropped:
        latest = (MeetingDiscussion.objects.filter(listing_id=OuterRef("pk")).exclude(meeting_id=meeting.pk)
                  .values("listing_id").annotate(last=Max("meeting__scheduled_for")).values("last"))
        for listing in Listing.objects.filter(pk__in=dropped).annotate(last=Subquery(latest)).only("pk"):
            last = listing.last
            Listing.objects.filter(pk=listing.pk).update(
                last_discussed_on=timezone.localdate(last) if last is not None else None)
    _audit(Action.TREFAS_MEETING_UPDATED, actor=actor, meeting=meeting, change="discussed",
           listings=sorted(wanted))
    meeting.refresh_from_db()
    return meeting


@transaction.atomic(durable=True)
def minutes_save(*, actor: User, access: TrefasAccess, meeting: ForumMeeting, text: str,
                 expected_version: int | None) -> ForumMeeting:
    """Save the draft minutes (coordinators). StaleEdit when someone saved since the
    editor loaded them; refused once signed. Marks the meeting held. Audited."""
    access.require(TrefasAction.RUN_MEETINGS)
    _check_forum(access, meeting.forum_id)
    _check_recordable(meeting)
    text = text.strip()
    if len(text) > MINUTES_MAX:
        raise ValidationError(_("The minutes are too long."))
    update_versioned(_unsigned(meeting), pk=meeting.pk, version=expected_version, minutes=text,
                     status=MeetingStatus.HELD)
    _audit(Action.TREFAS_MEETING_UPDATED, actor=actor, meeting=meeting, change="minutes")
    meeting.refresh_from_db()
    return meeting


@transaction.atomic(durable=True)
def minutes_sign(*, actor: User, access: TrefasAccess, meeting: ForumMeeting,
                 expected_version: int | None) -> ForumMeeting:
    """Sign the minutes as they were read (``expected_version``): from then on they,
    the attendance and the meeting's time and place never change. Audited."""
    access.require(TrefasAction.RUN_MEETINGS)
    _check_forum(access, meeting.forum_id)
    _check_recordable(meeting)
    if not meeting.minutes.strip():
        raise ValidationError(_("Write the minutes before you sign them."))
    update_versioned(_unsigned(meeting), pk=meeting.pk, version=expected_version, status=MeetingStatus.HELD,
                     signed_by=actor, signed_at=timezone.now())
    _audit(Action.TREFAS_MINUTES_SIGNED, actor=actor, meeting=meeting)
    meeting.refresh_from_db()
    return meeting
