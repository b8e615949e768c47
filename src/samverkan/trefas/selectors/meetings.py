"""The forum's meetings: the list (next due by the cadence, planned, held) and one
meeting's record (attendance per organisation, who was discussed, the actions decided).

Callers have the forum from ``forum_for_actor`` (404 for non-members); meetings and
actions are the forum's common record, visible to every member. The list holds no
personal data and is not audited; the meeting page is audited by selectors.agenda.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.http import Http404
from django.utils import timezone

from samverkan.trefas.decision import TrefasAccess
from samverkan.trefas.models import (
    ActionItem,
    Forum,
    ForumMeeting,
    ForumMember,
    ForumOrganisation,
    Listing,
    MeetingAttendance,
    MeetingDiscussion,
    MeetingStatus,
)

HELD_SHOWN = 50  # the held meetings the list shows (the latest)


@dataclass(frozen=True)
class MeetingsOverview:
    next_due_on: date
    overdue: bool
    last_held: ForumMeeting | None
    planned: list[ForumMeeting]
    held: list[ForumMeeting]
    cancelled: list[ForumMeeting]


def meetings_overview(*, forum: Forum, access: TrefasAccess) -> MeetingsOverview:
    """The meetings page: the next meeting is due ``forum.cadence_days`` after the last
    held one (today when none was held); planned meetings soonest first, held and
    cancelled ones latest first. Three queries."""
    rows = ForumMeeting.objects.filter(forum=forum).only(
        "pk", "forum_id", "scheduled_for", "place", "status", "signed_at", "version")
    planned = list(rows.filter(status=MeetingStatus.PLANNED).order_by("scheduled_for", "pk"))
    held = list(rows.filter(status=MeetingStatus.HELD).order_by("-scheduled_for", "-pk")[:HELD_SHOWN])
    cancelled = list(rows.filter(status=MeetingStatus.CANCELLED).order_by("-scheduled_for", "-pk")[:10])
    today = timezone.localdate()
    last_held = held[0] if held else None
    due = (timezone.localdate(last_held.scheduled_for) + timedelta(days=forum.cadence_days)
           if last_held else today)
    overdue = due < today and not any(timezone.localdate(m.scheduled_for) <= due for m in planned)
    return MeetingsOverview(next_due_on=due, overdue=overdue, last_held=last_held, planned=planned,
                            held=held, cancelled=cancelled)


def meeting_for_forum(*, forum: Forum, meeting_id: int) -> ForumMeeting:
    """One meeting of the forum; 404 for any other id (another forum's meeting too)."""
    meeting = ForumMeeting.objects.filter(forum=forum, pk=meeting_id).select_related("signed_by").first()
    if meeting is None:
        raise Http404
    return meeting


def previous_held(meeting: ForumMeeting) -> ForumMeeting | None:
    """The forum's last held meeting before ``meeting`` (the joint picture starts there)."""
    return (ForumMeeting.objects.filter(forum_id=meeting.forum_id, status=MeetingStatus.HELD,
                                        scheduled_for__lt=meeting.scheduled_for)
            .exclude(pk=meeting.pk).order_by("-scheduled_for", "-pk").only("pk", "scheduled_for").first())


@dataclass(frozen=True)
class MemberChoice:
    user_id: int
    name: str
    organisation_id: int
    organisation_name: str


def member_choices(*, forum: Forum) -> list[MemberChoice]:
    """The forum's members who count (active, their organisation an active member
    organisation), by organisation and name: for attendance and responsible persons."""
    orgs = ForumOrganisation.objects.filter(forum=forum, active=True).values("organisation_id")
    rows = (ForumMember.objects.filter(forum=forum, active=True, user__is_active=True,
                                       user__organisation_id__in=orgs)
            .select_related("user__organisation")
            .order_by("user__organisation__name", "user__last_name", "user__first_name", "user_id"))
    return [MemberChoice(m.user_id, m.user.get_full_name() or m.user.get_username(), m.user.organisation_id,
                         m.user.organisation.name) for m in rows]


def member_organisations(*, forum: Forum) -> list[Any]:
    """The forum's active member organisations, by name (an action's organisation)."""
    return [fo.organisation for fo in ForumOrganisation.objects.filter(forum=forum, active=True)
            .select_related("organisation").order_by("organisation__name")]


@dataclass
class OrgAttendance:
    organisation_id: int
    organisation_name: str
    present: list[str] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class MeetingRecord:
    attendance: list[OrgAttendance]
    attendance_recorded: bool
    present_user_ids: frozenset[int]
    discussed_ids: frozenset[int]
    actions: list[ActionItem]


def meeting_record(*, meeting: ForumMeeting) -> MeetingRecord:
    """What was recorded at the meeting: attendance per organisation, the discussed
    listings' ids and the actions decided there. Three queries."""
    by_org: dict[int, OrgAttendance] = {}
    present: set[int] = set()
    rows = (MeetingAttendance.objects.filter(meeting=meeting).select_related("user", "organisation")
            .order_by("organisation__name", "user__last_name", "user__first_name", "pk"))
    for row in rows:
        org = by_org.setdefault(row.organisation_id, OrgAttendance(row.organisation_id, row.organisation.name))
        name = row.user.get_full_name() or row.user.get_username()
        (org.present if row.present else org.absent).append(name)
        if row.present:
            present.add(row.user_id)
    discussed = frozenset(MeetingDiscussion.objects.filter(meeting=meeting).values_list("listing_id", flat=True))
    actions = list(ActionItem.objects.filter(meeting=meeting)
                   .select_related("organisation", "responsible", "listing__person").order_by("due_at", "pk"))
    return MeetingRecord(attendance=list(by_org.values()), attendance_recorded=bool(by_org),
                         present_user_ids=frozenset(present), discussed_ids=discussed, actions=actions)


@dataclass(frozen=True)
class ListingChoice:
    listing_id: int
    label: str
    rating: str


def listing_label(access: TrefasAccess, listing: Listing) -> str:
    """A listed person's name as this viewer may see it (a protected identity's only to
    the organisation whose record it is; others see the listing's number)."""
    person = listing.person
    if access.sees_identity(listing, person):
        return f"{person.first_name} {person.last_name}"
    return f"#{listing.pk}"


def listing_choices(*, forum: Forum, access: TrefasAccess) -> list[ListingChoice]:
    """Everyone on the list (not removed), for "who was discussed"; one query."""
    rows = (Listing.objects.filter(forum=forum, removed_at__isnull=True).select_related("person")
            .only("pk", "rating", "nominated_by_organisation_id", "person__first_name", "person__last_name",
                  "person__protected_identity")
            .order_by("person__last_name", "person__first_name", "pk"))
    return [ListingChoice(row.pk, listing_label(access, row), row.rating) for row in rows]



def member_user(*, forum: Forum, user_id: int) -> Any:
    """A user who is an active member of the forum (a responsible person), or None."""
    member = (ForumMember.objects.filter(forum=forum, user_id=user_id, active=True)
              .select_related("user").first())
    return member.user if member is not None else None


def listing_for_forum(*, forum: Forum, listing_id: int) -> Listing | None:
    """A person on the forum's list (not removed), or None."""
    return Listing.objects.filter(forum=forum, pk=listing_id, removed_at__isnull=True).first()
