"""Shared steps of the weekly-meeting tests: weeks as ISO strings, a record opened and
filled through the services (as a runner would), and the page URLs."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from samverkan.picture.models import WeekAction, WeekMeeting, week_start_of
from samverkan.picture.selectors.meetings import meeting_parties
from samverkan.picture.selectors.scope import local_access_for
from samverkan.picture.selectors.week import week_code
from samverkan.picture.services import meetings as services


def this_week() -> date:
    return week_start_of(timezone.localdate())


def last_week() -> date:
    return this_week() - timedelta(days=7)


def meeting_url(area: str, week: date, name: str = "meeting", **extra: Any) -> str:
    return reverse(f"picture:{name}", kwargs={"area": area, "week": week_code(week), **extra})


def open_meeting(world: Any, who: str, area: str, week: date) -> WeekMeeting:
    user = world[who]
    return services.meeting_open(actor=user, access=local_access_for(user), area=world.areas[area], week_start=week)


def add_action(world: Any, who: str, meeting: WeekMeeting, *, org: str = "jarva", text: str = "Byt trasig belysning "
               "vid torget.", due_on: date | None = None) -> WeekAction:
    user = world[who]
    return services.action_add(
        actor=user, access=local_access_for(user), meeting=meeting, text=text,
        organisation_id=world.orgs[org].pk, due_on=due_on or meeting.week_start + timedelta(days=7),
    )


def close_meeting(world: Any, who: str, meeting: WeekMeeting) -> None:
    user = world[who]
    access = local_access_for(user)
    meeting.refresh_from_db()
    if meeting.held_on is None:
        services.meeting_update(actor=user, access=access, meeting=meeting, held_on=meeting.week_start,
                                participant_ids=[o.pk for o in meeting_parties(meeting.area)][:1], seen="",
                                expected_version=meeting.version)
        meeting.refresh_from_db()
    services.meeting_close(actor=user, access=access, meeting=meeting, expected_version=meeting.version)
