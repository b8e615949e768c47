"""What log review counts as an access and as a flag, and the calendar arithmetic
(pure functions; configurable through settings)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

from samverkan.audit.actions import Action

# Reads of personal data: what a log review samples. (Changes are audited too, but the
# review is about who looked at whom.)
ACCESS_ACTIONS: tuple[str, ...] = tuple(
    a.value
    for a in (
        Action.CASE_VIEWED,
        Action.CASE_LISTED,
        Action.EMERGENCY_ACCESS,
        Action.PERSON_LOOKUP,
        Action.PERSON_VIEWED,
        Action.NOTES_VIEWED,
        Action.CONSENT_DOCUMENT_VIEWED,
        Action.DISCLOSURE_REGISTER_VIEWED,
        Action.PLAN_VIEWED,
        Action.PLAN_VERSION_VIEWED,
        Action.PLAN_PDF_GENERATED,
        Action.MEETINGS_VIEWED,
        Action.MEETING_VIEWED,
        Action.SUBJECT_ACCESS_LOOKUP,
        Action.SUBJECT_ACCESS_EXPORTED,
        Action.TIP_VIEWED,
        # Trefas: every read of the list, a person, a meeting, an incident, the releases,
        # the shares or the groups (issue 10, item 10).
        Action.TREFAS_LIST_VIEWED,
        Action.TREFAS_PERSON_VIEWED,
        Action.TREFAS_MEETING_VIEWED,
        Action.TREFAS_INCIDENT_VIEWED,
        Action.TREFAS_RELEASES_VIEWED,
        Action.TREFAS_SHARES_VIEWED,
        Action.TREFAS_GROUPS_VIEWED,
    )
)
# Subjects that are a person or a case: counted for "many persons per user and day". A
# Trefas listing is one person on a forum's list; a read of a whole forum (the list, a
# meeting's agenda) names no one person and is not counted here.
PERSON_SUBJECT_TYPES = ("case", "person", "trefas_listing")
# Canonical audit detail (sorted keys, no spaces: audit.services._canonical_detail).
EMERGENCY_DETAIL = '"emergency":true'
PROTECTED_DETAIL = '"protected":true'
# A Trefas read that concerns a person rated red (trefas views record detail red=true):
# flagged like a protected identity.
RED_DETAIL = '"red":true'

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class ReviewRules:
    sample_size: int = 20
    many_subjects_per_day: int = 30  # flagged when a user accessed MORE distinct persons/cases
    office_start_hour: int = 7
    office_end_hour: int = 19
    office_weekdays: tuple[int, ...] = (0, 1, 2, 3, 4)  # Monday = 0
    timezone: str = "Europe/Stockholm"

    @classmethod
    def from_settings(cls) -> ReviewRules:
        return cls(
            sample_size=int(getattr(settings, "SAMVERKAN_LOGREVIEW_SAMPLE_SIZE", cls.sample_size)),
            many_subjects_per_day=int(
                getattr(
                    settings, "SAMVERKAN_LOGREVIEW_MANY_SUBJECTS_PER_DAY", cls.many_subjects_per_day
                )
            ),
            office_start_hour=int(
                getattr(settings, "SAMVERKAN_LOGREVIEW_OFFICE_START_HOUR", cls.office_start_hour)
            ),
            office_end_hour=int(
                getattr(settings, "SAMVERKAN_LOGREVIEW_OFFICE_END_HOUR", cls.office_end_hour)
            ),
            office_weekdays=tuple(
                getattr(settings, "SAMVERKAN_LOGREVIEW_OFFICE_WEEKDAYS", cls.office_weekdays)
            ),
            timezone=str(getattr(settings, "SAMVERKAN_LOGREVIEW_TIMEZONE", cls.timezone)),
        )


def parse_month(text: str) -> date:
    """'YYYY-MM' -> the first day of that month; ValueError otherwise."""
    match = _MONTH.match(text.strip())
    if not match:
        raise ValueError(text)
    return date(int(match.group(1)), int(match.group(2)), 1)


def previous_month(today: date) -> date:
    first = today.replace(day=1)
    return (first - timedelta(days=1)).replace(day=1)


def next_month(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def micros(moment: datetime) -> int:
    return (moment - _EPOCH) // timedelta(microseconds=1)


def _local(day: date, hour: int, tz: ZoneInfo) -> int:
    return (
        micros(datetime.combine(day, time(hour), tzinfo=tz))
        if hour < 24
        else micros(datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz))
    )


def month_bounds(month: date, rules: ReviewRules) -> tuple[int, int]:
    """[start, end) of the month in microseconds since the epoch, in the local zone."""
    tz = ZoneInfo(rules.timezone)
    return _local(month, 0, tz), _local(next_month(month), 0, tz)


def days_of(month: date) -> list[date]:
    day, end, out = month, next_month(month), []
    while day < end:
        out.append(day)
        day += timedelta(days=1)
    return out


def day_bounds(month: date, rules: ReviewRules) -> list[tuple[int, int]]:
    """[start, end) of each local calendar day of the month (DST-correct)."""
    tz = ZoneInfo(rules.timezone)
    return [(_local(d, 0, tz), _local(d + timedelta(days=1), 0, tz)) for d in days_of(month)]


def office_intervals(month: date, rules: ReviewRules) -> list[tuple[int, int]]:
    """[start, end) of office hours on each office weekday of the month."""
    tz = ZoneInfo(rules.timezone)
    return [
        (_local(d, rules.office_start_hour, tz), _local(d, rules.office_end_hour, tz))
        for d in days_of(month)
        if d.weekday() in rules.office_weekdays
    ]
