"""Reading meetings, minutes and decisions through the case's sharing rule.

Callers have opened the case with caseaccess.selectors.case_for_actor (404 outside the team).
Meetings and minutes are entries (recording organisation + category "meeting") and are
filtered with access.items_q; a statutory disclosure covers them only as last changed
at or before it (``updated_at``). Decisions are read through their minutes. Drafts of
minutes are visible to their author only. Page selectors cost a fixed number of queries
whatever the number of meetings, attendees, minutes or decisions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from samverkan.access import policy
from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.caseaccess.decision import CaseAccess
from samverkan.caseaccess.selectors import VisibleCases, entries_visible, visible_cases
from samverkan.cases.models import TeamMember
from samverkan.cases.selectors import team_for_case
from samverkan.lib.workdays import next_working_day, office_time
from samverkan.meetings.models import (
    Attendee,
    Decision,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Minutes,
)

if TYPE_CHECKING:
    from samverkan.accounts.models import User

DEFAULT_MEETING_TIME = time(10, 0)


def _q(access: CaseAccess, prefix: str = "") -> Q:
    return access.items_q(
        org_field=f"{prefix}recorded_by_organisation_id",
        category_field=f"{prefix}category",
        created_field=f"{prefix}updated_at",
    )


def meetings_visible(*, case: Any, access: CaseAccess) -> QuerySet[Meeting]:
    """The case's meetings the viewer's organisation may see, newest first."""
    return (
        Meeting.objects.filter(case_id=case.pk)
        .filter(_q(access))
        .select_related("recorded_by_organisation")
        .order_by("-starts_at", "-pk")
    )


# Meetings have no end time: two planned meetings of a case starting less than this apart
# are taken to be the same booking (a warning when booking, meetings.forms.MeetingForm).
CLASH_WINDOW = timedelta(hours=1)


def meetings_clashing(
    *, case: Any, access: CaseAccess, starts_at: datetime, exclude: Meeting | None = None
) -> list[Meeting]:
    """Planned meetings of the case the viewer may see that start within CLASH_WINDOW of
    ``starts_at`` (``exclude``: the meeting being changed)."""
    qs = meetings_visible(case=case, access=access).filter(
        status=MeetingStatus.PLANNED,
        starts_at__gt=starts_at - CLASH_WINDOW,
        starts_at__lt=starts_at + CLASH_WINDOW,
    )
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return list(qs.order_by("starts_at", "pk"))


def meeting_for_actor(*, case: Any, access: CaseAccess, public_id: UUID) -> Meeting:
    """One visible meeting; 404 when missing or not shared with the viewer."""
    return policy.get_or_404(meetings_visible(case=case, access=access), public_id=public_id)


def minutes_visible(*, case: Any, access: CaseAccess) -> QuerySet[Minutes]:
    """Signed minutes the viewer's organisation may see, plus the viewer's own drafts.
    The meeting itself must be visible too."""
    return (
        Minutes.objects.filter(case_id=case.pk)
        .filter(_q(access))
        .filter(_q(access, "meeting__"))
        .filter(Q(signed_at__isnull=False) | Q(author_id=access.viewer_id))
        .select_related("author", "recorded_by_organisation", "corrects")
    )


def minutes_for_actor(
    *, case: Any, access: CaseAccess, meeting: Meeting, public_id: UUID
) -> Minutes:
    return policy.get_or_404(
        minutes_visible(case=case, access=access).filter(meeting=meeting), public_id=public_id
    )


def decision_for_actor(
    *, case: Any, access: CaseAccess, meeting: Meeting, public_id: UUID
) -> Decision:
    """A decision in visible minutes of ``meeting``; 404 otherwise."""
    minutes = minutes_visible(case=case, access=access).filter(meeting=meeting).values("pk")
    return policy.get_or_404(
        Decision.objects.filter(case_id=case.pk, minutes__in=minutes).select_related(
            "responsible", "organisation", "minutes", "commitment_link"
        ),
        public_id=public_id,
    )


@dataclass(frozen=True)
class FollowUp:
    """When the next follow-up is due on the programme's cadence."""

    due_on: date
    overdue: bool
    planned: Meeting | None  # the next planned meeting, if one is booked
    cadence_days: int
    last: Meeting | None


def next_follow_up(
    *, case: Any, access: CaseAccess, now: datetime | None = None
) -> FollowUp:
    """The next booked meeting, or else the last meeting (or the decision to accept the
    case) plus Programme.meeting_cadence_days. Only meetings the viewer may see count."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    cadence = case.programme.meeting_cadence_days
    active = meetings_visible(case=case, access=access).exclude(status=MeetingStatus.CANCELLED)
    planned = (
        active.filter(status=MeetingStatus.PLANNED, starts_at__gte=now)
        .order_by("starts_at", "pk")
        .first()
    )
    last = active.filter(starts_at__lt=now).order_by("-starts_at", "-pk").first()
    if planned is not None:
        return FollowUp(
            due_on=timezone.localdate(planned.starts_at),
            overdue=False,
            planned=planned,
            cadence_days=cadence,
            last=last,
        )
    if last is not None:
        base = timezone.localdate(last.starts_at)
    else:
        base = timezone.localdate(case.decided_at or case.opened_at)
    due = base + timedelta(days=cadence)
    return FollowUp(due_on=due, overdue=due < today, planned=None, cadence_days=cadence, last=last)


def meeting_suggestion(
    *, case: Any, access: CaseAccess, now: datetime | None = None
) -> dict[str, Any]:
    """Initial values for the next follow-up meeting: on the due date (not in the past),
    moved to the first Swedish working day from it (no weekend or public holiday:
    lib.workdays), at the last meeting's time within office hours and its place, with its
    attendees still on the team."""
    now = now or timezone.now()
    follow = next_follow_up(case=case, access=access, now=now)
    day = next_working_day(max(follow.due_on, timezone.localdate(now) + timedelta(days=1)))
    last = follow.last
    at = office_time(timezone.localtime(last.starts_at).time() if last else DEFAULT_MEETING_TIME)
    team = team_for_case(case=case)
    if last is not None:
        attendees = list(
            team.filter(user_id__in=Attendee.objects.filter(meeting=last).values("user_id"))
        )
    else:
        attendees = list(team)
    return {
        "kind": MeetingKind.FOLLOW_UP if last else MeetingKind.START,
        "starts_at": timezone.make_aware(datetime.combine(day, at)),
        "place": last.place if last else "",
        "attendees": attendees,
    }


def meeting_list(*, actor: User, case: Any, access: CaseAccess) -> list[Meeting]:
    """Visible meetings with attendees, for the case's meeting page. Audited (count)."""
    meetings = list(
        meetings_visible(case=case, access=access).prefetch_related(
            Prefetch("attendees", queryset=Attendee.objects.select_related("user", "organisation"))
        )
    )
    audit.record(
        action=Action.MEETINGS_VIEWED,
        actor=actor,
        subject_type="case",
        subject_id=case.public_id,
        subject_organisation_id=case.lead_organisation_id,
        detail={"meetings": len(meetings)},
    )
    return meetings


@dataclass
class MeetingDetail:
    meeting: Meeting
    attendees: list[Attendee]
    minutes: list[Minutes]


def meeting_detail(
    *, actor: User, case: Any, access: CaseAccess, public_id: UUID
) -> MeetingDetail:
    """One meeting with its attendees, the visible minutes and their decisions (with the
    commitment each became). Audited (ids and counts)."""
    meeting = meeting_for_actor(case=case, access=access, public_id=public_id)
    attendees = list(
        Attendee.objects.filter(meeting=meeting).select_related("user", "organisation")
    )
    minutes = list(
        minutes_visible(case=case, access=access)
        .filter(meeting=meeting)
        .prefetch_related(
            Prefetch(
                "decisions",
                queryset=Decision.objects.select_related(
                    "responsible", "organisation", "commitment_link__commitment"
                ),
            )
        )
    )
    audit.record(
        action=Action.MEETING_VIEWED,
        actor=actor,
        subject_type="case",
        subject_id=case.public_id,
        subject_organisation_id=case.lead_organisation_id,
        detail={"meeting": str(meeting.public_id), "minutes": len(minutes)},
    )
    return MeetingDetail(meeting=meeting, attendees=attendees, minutes=minutes)


def attendee_choices(*, case: Any) -> QuerySet[TeamMember]:
    """Active team members who can be invited (staff directory data)."""
    return team_for_case(case=case)


# --- For reminders (bevakning) ----------------------------------------------------------


@dataclass(frozen=True)
class UpcomingMeeting:
    meeting: Meeting
    case: Any
    access: CaseAccess


def meetings_upcoming(
    *,
    actor: User | None = None,
    case: Any = None,
    access: CaseAccess | None = None,
    within_days: int = 14,
    now: datetime | None = None,
    attending_only: bool = False,
) -> list[UpcomingMeeting]:
    """Planned meetings starting from ``now`` up to ``within_days`` days ahead, soonest
    first.

    Either ``case`` + ``access`` (one case the caller has opened), or ``actor``: every
    case the actor may open, each filtered by the actor's own CaseAccess — a fixed number
    of queries whatever the number of cases. ``attending_only`` keeps the meetings the
    actor is invited to. Not audited: the caller audits what it shows."""
    now = now or timezone.now()
    base = Meeting.objects.filter(
        status=MeetingStatus.PLANNED,
        starts_at__gte=now,
        starts_at__lte=now + timedelta(days=within_days),
    )
    if case is not None:
        if access is None:
            raise ValueError("meetings_upcoming(case=...) needs the viewer's access")
        within = VisibleCases.one(case, access)
    else:
        if actor is None:
            raise ValueError("meetings_upcoming needs an actor or a case")
        within = visible_cases(actor=actor)
    if not within.accesses:
        return []
    qs = entries_visible(actor, base, within=within)
    if attending_only and actor is not None:
        qs = qs.filter(attendees__user_id=actor.pk)
    rows = qs.select_related("recorded_by_organisation").order_by("starts_at", "pk")
    return [
        UpcomingMeeting(meeting=m, case=within.cases[m.case_id], access=within.accesses[m.case_id])
        for m in rows
    ]
