"""Follow-up meetings: one held, with attendance and signed minutes, and the next one."""

from __future__ import annotations

from datetime import timedelta

from samverkan.accounts.models import User
from samverkan.cases.models import Case, TeamMember
from samverkan.demo.individual_track.common import Loader, aware
from samverkan.meetings.services import (
    meeting_create,
    meeting_record_attendance,
    minutes_create,
)


def hold_meetings(loader: Loader, case: Case, team: dict[str, User], lead: User) -> None:
    members = list(TeamMember.objects.filter(case=case, active=True))
    place = f"{case.district.name}, stadsdelsförvaltningen"
    held = meeting_create(
        actor=lead,
        case=case,
        access=loader.access(lead, case),
        starts_at=aware(loader.today - timedelta(days=loader.rng.randint(5, 20)), 14),
        place=place,
        attendees=members,
        agenda="Uppföljning av planen.",
    )
    held = meeting_record_attendance(
        actor=lead,
        case=case,
        access=loader.access(lead, case),
        meeting=held,
        expected_version=held.version,
        attended_user_ids=[m.user_id for m in members][:3],
        participant_attendance="attended",
    )
    minutes_create(
        actor=lead,
        case=case,
        access=loader.access(lead, case),
        meeting=held,
        sign=True,
        text="Genomgång av åtagandena. Deltagaren berättade om skolan och fritiden.",
    )
    meeting_create(
        actor=lead,
        case=case,
        access=loader.access(lead, case),
        starts_at=aware(loader.today + timedelta(days=loader.rng.randint(7, 21)), 14),
        place=place,
        attendees=members,
        agenda="Nästa uppföljning.",
    )
