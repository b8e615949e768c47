"""Swedish working days and office hours: the one helper every suggestion of a date or a
meeting time uses (meetings' next follow-up, …).

A working day is Monday to Friday and not a public holiday nor a de facto holiday: the
``holidays`` package's Swedish calendar (country SE) with the categories ``public``
(e.g. Good Friday, Ascension Day, National Day, Christmas Day) and ``de_facto``
(Midsummer Eve, Christmas Eve and New Year's Eve — not holidays by law, but days nobody
books a meeting on). Office hours are 09:00 to 16:00 local time.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays

OFFICE_OPENS = time(9, 0)
OFFICE_CLOSES = time(16, 0)  # the latest start of a suggested meeting
_CATEGORIES = ("public", "de_facto")
_SEARCH_DAYS = 30  # there is always a working day within a month


@lru_cache(maxsize=32)
def _days_off(year: int) -> frozenset[date]:
    calendar = holidays.country_holidays("SE", years=year, categories=_CATEGORIES)
    # Some versions of the calendar list every Sunday; weekends are handled separately.
    return frozenset(d for d, name in calendar.items() if str(name).strip().lower() not in {"söndag", "sunday"})


def holiday_name(day: date) -> str | None:
    """The (English) name of the Swedish holiday on ``day``, or None."""
    if day not in _days_off(day.year):
        return None
    name = holidays.country_holidays("SE", years=day.year, categories=_CATEGORIES).get(day)
    return str(name) if name else None


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a Swedish public or de facto holiday."""
    return day.weekday() < 5 and day not in _days_off(day.year)


def next_working_day(day: date) -> date:
    """``day`` itself if it is a working day, else the first working day after it."""
    for offset in range(_SEARCH_DAYS):
        candidate = day + timedelta(days=offset)
        if is_working_day(candidate):
            return candidate
    raise ValueError(f"no working day within {_SEARCH_DAYS} days of {day}")  # cannot happen


def office_time(at: time) -> time:
    """``at`` moved into office hours: before opening → opening, after the latest start →
    the latest start."""
    if at < OFFICE_OPENS:
        return OFFICE_OPENS
    if at > OFFICE_CLOSES:
        return OFFICE_CLOSES
    return at


def next_working_slot(start: datetime) -> datetime:
    """The first working-day, office-hours moment at or after ``start`` (an aware or naive
    local datetime; the result keeps its tzinfo). After the latest start of the day it
    goes to the next working day's opening."""
    day, at = start.date(), start.time().replace(second=0, microsecond=0)
    if at > OFFICE_CLOSES:
        day, at = day + timedelta(days=1), OFFICE_OPENS
    if not is_working_day(day):
        day, at = next_working_day(day), at
    return datetime.combine(day, office_time(at), tzinfo=start.tzinfo)
