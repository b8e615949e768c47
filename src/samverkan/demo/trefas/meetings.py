"""The forum's meetings every 21 days over the last four months — held, with attendance,
the people discussed, signed minutes and the actions decided (some done, some open, some
overdue) — and the next meeting, planned."""

from __future__ import annotations

from datetime import date, timedelta

from samverkan.demo.trefas.common import Loader, aware
from samverkan.trefas.models import (
    ActionItem,
    ActionStatus,
    ForumMeeting,
    MeetingAttendance,
    MeetingDiscussion,
    MeetingStatus,
    Rating,
)

HELD_DAYS_AGO = [108, 87, 66, 45, 24, 3]  # every 21 days; the next is 18 days ahead
NEXT_IN_DAYS = 18
PLACE = "Järva stadsdelsförvaltning, sammanträdesrum Tensta"
ATTENDEES = ["coordinator", "soc", "police", "probation", "prison", "soc_jurist", "police_jurist"]
ACTIONS = {
    "soc": ["Erbjuda familjen stödsamtal", "Kontakta skolan om närvaron", "Pröva placering utanför Järva"],
    "police": ["Hembesök tillsammans med socialtjänsten", "Öka närvaron vid skolan kvällstid",
               "Orosanmälan om yngre syskon"],
    "probation": ["Boka extra övervakningssamtal", "Följa upp villkoren om boende"],
    "prison": ["Planera permission med särskilda villkor"],
    "city": ["Samordna insatser med fritidsgården", "Kalla till extra avstämning i forumet"],
}
MINUTES = (
    "Närvarande enligt närvarolistan. Juristerna för staden och polisen deltog.\n\n"
    "1. Läget sedan förra mötet: polisen redogjorde för konflikten mellan grupperna (delning godkänd av "
    "polisens jurist).\n"
    "2. Genomgång av listan: röda först, därefter ändrade bedömningar och personer som inte gåtts igenom på "
    "två cykler. {changed} bedömningar ändrades.\n"
    "3. Kommande frigivningar och permissioner.\n"
    "4. Åtgärder: beslutade enligt åtgärdslistan; försenade åtgärder följdes upp.\n\n"
    "Nästa möte om tre veckor."
)


def _user_key(org_key: str) -> str:
    return "coordinator" if org_key == "city" else org_key


def hold_meetings(loader: Loader) -> list[ForumMeeting]:
    assert loader.forum is not None
    coordinator = loader.users["coordinator"]
    last_discussed: dict[int, date] = {}
    meetings = []
    stale = {x.pk for x in loader.listings if x.rating == Rating.GREEN and (x.rating_reviewed_at.date()
                                                                            < loader.today - timedelta(days=21))}
    for k, days in enumerate(HELD_DAYS_AGO):
        day = loader.today - timedelta(days=days)
        when = aware(day, 13)
        meeting = ForumMeeting.objects.create(
            forum=loader.forum, scheduled_for=when, place=PLACE, status=MeetingStatus.HELD,
            minutes=MINUTES.format(changed=loader.rng.randint(2, 6)), created_by=coordinator,
        )
        ForumMeeting.objects.filter(pk=meeting.pk).update(created_at=when - timedelta(days=21))
        MeetingAttendance.objects.bulk_create([
            MeetingAttendance(meeting=meeting, user=loader.users[key], organisation=loader.org_of(key),
                              present=not (key == "prison" and k == 2))
            for key in ATTENDEES
        ])
        # Signed last: signed minutes and their attendance are immutable (trefas.guard).
        ForumMeeting.objects.filter(pk=meeting.pk).update(
            signed_by=coordinator, signed_at=min(when + timedelta(days=1), loader.now))
        recent = k >= len(HELD_DAYS_AGO) - 2
        discussed = [
            x for x in loader.listings
            if x.rating == Rating.RED
            or (x.rating == Rating.YELLOW and loader.rng.random() < 0.75)
            or (x.rating == Rating.GREEN and loader.rng.random() < 0.3 and not (recent and x.pk in stale))
        ]
        MeetingDiscussion.objects.bulk_create([MeetingDiscussion(meeting=meeting, listing=x) for x in discussed])
        for x in discussed:
            last_discussed[x.pk] = day
        _decide_actions(loader, meeting, day, discussed)
        meetings.append(meeting)
    for x in loader.listings:
        if x.pk in last_discussed:
            type(x).objects.filter(pk=x.pk).update(last_discussed_on=last_discussed[x.pk])
    planned = ForumMeeting.objects.create(
        forum=loader.forum, scheduled_for=aware(loader.today + timedelta(days=NEXT_IN_DAYS), 13), place=PLACE,
        status=MeetingStatus.PLANNED, created_by=coordinator,
    )
    meetings.append(planned)
    return meetings


def _decide_actions(loader: Loader, meeting: ForumMeeting, day: date, discussed: list) -> None:
    """Two or three actions per meeting: done when long past, otherwise some open and
    some overdue (due before today and not done)."""
    age = (loader.today - day).days
    org_keys = ["soc", "police", "city", "probation", "prison"]
    items = []
    for j in range(2 + (age % 2)):
        org_key = org_keys[(j + age) % len(org_keys)]
        due = day + timedelta(days=14)
        listing = discussed[(j * 3 + age) % len(discussed)] if discussed and org_key != "city" else None
        done = age > 60 or (age > 14 and j == 0)
        items.append(ActionItem(
            forum=meeting.forum, organisation=loader.orgs[org_key], responsible=loader.users[_user_key(org_key)],
            title=loader.rng.choice(ACTIONS[org_key]), due_at=aware(due, 16),
            status=ActionStatus.DONE if done else ActionStatus.OPEN,
            done_at=aware(due - timedelta(days=loader.rng.randint(1, 10)), 11) if done else None,
            done_by=loader.users[_user_key(org_key)] if done else None,
            meeting=meeting, listing=listing, created_by=loader.users["coordinator"],
        ))
    created = ActionItem.objects.bulk_create(items)
    ActionItem.objects.filter(pk__in=[a.pk for a in created]).update(created_at=aware(day, 15))
