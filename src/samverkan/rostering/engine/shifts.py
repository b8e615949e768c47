"""Shift generation from a pattern, and the shift-level facts the rules need.

Patterns: ``"3x8"`` (D 06-14, E 14-22, N 22-06), ``"2x12"`` (D 07-19, N 19-07) or a
custom sequence of ``(code, start time, hours)``. A shift belongs to the calendar day it
starts on: ``is_weekend`` means it starts on a Saturday or Sunday, ``is_holiday`` that it
starts on a Swedish public holiday (``holidays`` package, country SE) — plain Sundays are
not counted as holidays, so weekend and holiday are distinct facts.

Breaks (ATL 15 §: no more than 5 hours of work in a row without a break) belong to the
pattern: the built-in patterns place a 30-minute break after 4 hours (and, in 12-hour
shifts, another after 8); a custom shift lists its own (``BreakTemplate``: offset from the
shift's start and length, in hours) or, when it lists none, gets the standard placement
(``standard_breaks``: 30-minute breaks spaced evenly so that no stretch exceeds the rule's
limit). In round-the-clock work the breaks are pauses at the workplace (ATL 15 § third
paragraph), so they count as working time: a shift's hours are its whole length.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays

from .model import Requirement, Rules, Shift

ShiftTemplate = tuple[str, time, float]  # (code, start, hours)
BreakTemplate = tuple[float, float]  # (hours after the shift's start, length in hours)

PATTERNS: dict[str, tuple[ShiftTemplate, ...]] = {
    "3x8": (("D", time(6, 0), 8.0), ("E", time(14, 0), 8.0), ("N", time(22, 0), 8.0)),
    "2x12": (("D", time(7, 0), 12.0), ("N", time(19, 0), 12.0)),
}

PATTERN_BREAKS: dict[str, dict[str, tuple[BreakTemplate, ...]]] = {
    "3x8": {"D": ((4.0, 0.5),), "E": ((4.0, 0.5),), "N": ((4.0, 0.5),)},
    "2x12": {"D": ((4.0, 0.5), (8.0, 0.5)), "N": ((4.0, 0.5), (8.0, 0.5))},
}
STANDARD_BREAK_HOURS = 0.5

# The eleven agencies of the motion (Swedish names are proper nouns, not UI text).
DEFAULT_AGENCIES: tuple[str, ...] = (
    "Arbetsförmedlingen",
    "Ekobrottsmyndigheten",
    "Försäkringskassan",
    "Kriminalvården",
    "Kronofogden",
    "Kustbevakningen",
    "Migrationsverket",
    "Polisen",
    "Skatteverket",
    "Säkerhetspolisen",
    "Tullverket",
)


def pattern_templates(pattern: str | Sequence[ShiftTemplate]) -> tuple[ShiftTemplate, ...]:
    """The shift templates of a named pattern, or a custom list checked for sanity."""
    if isinstance(pattern, str):
        try:
            return PATTERNS[pattern]
        except KeyError:
            raise ValueError(f"unknown shift pattern {pattern!r}") from None
    templates = tuple((str(c), t, float(h)) for c, t, h in pattern)
    if not templates:
        raise ValueError("a custom shift pattern needs at least one shift")
    for code, _start, hours in templates:
        if not code or hours <= 0 or hours > 24:
            raise ValueError(f"bad shift template {code!r}: hours must be in (0, 24]")
    return templates


def hours_per_day(pattern: str | Sequence[ShiftTemplate]) -> float:
    """Staffed hours per day by one position under ``pattern`` (24 for 3x8 and 2x12)."""
    return sum(h for _c, _s, h in pattern_templates(pattern))


@lru_cache(maxsize=64)
def _se_holidays(year: int) -> frozenset[date]:
    try:
        cal = holidays.country_holidays("SE", years=year, include_sundays=False)  # type: ignore[call-arg]
    except TypeError:  # older/newer signature without include_sundays
        cal = holidays.country_holidays("SE", years=year)
    out = set()
    for day, name in cal.items():
        # Some versions list every Sunday ("Söndag"/"Sunday"); those are weekends, not holidays.
        if str(name).strip().lower() in {"söndag", "sunday"}:
            continue
        out.add(day)
    return frozenset(out)


def is_public_holiday(day: date) -> bool:
    """True on a Swedish public holiday (not merely a Sunday)."""
    return day in _se_holidays(day.year)


def standard_breaks(hours: float, break_after_hours: float = 5.0) -> tuple[BreakTemplate, ...]:
    """The fewest 30-minute breaks, spaced evenly, so that no stretch of a shift of
    ``hours`` exceeds ``break_after_hours`` (none for a short enough shift)."""
    if hours <= break_after_hours + 1e-9:
        return ()
    if break_after_hours <= 0:
        raise ValueError("break_after_hours must be positive")
    n = 1
    while (hours - n * STANDARD_BREAK_HOURS) / (n + 1) > break_after_hours + 1e-9:
        n += 1
        if n * STANDARD_BREAK_HOURS >= hours:
            raise ValueError(f"no break placement keeps {hours} h within {break_after_hours} h stretches")
    stretch = (hours - n * STANDARD_BREAK_HOURS) / (n + 1)
    # Whole minutes, so that break times read well.
    return tuple(
        (round(((k + 1) * stretch + k * STANDARD_BREAK_HOURS) * 60) / 60, STANDARD_BREAK_HOURS) for k in range(n)
    )


def longest_stretch(shift: Shift) -> float | None:
    """Longest stretch of ``shift`` worked without a break, in hours (None when its breaks
    are not described)."""
    if shift.breaks is None:
        return None
    cursor = shift.start
    best = 0.0
    for s, e in sorted(shift.breaks):
        s, e = max(s, shift.start), min(e, shift.end)
        if e <= s:
            continue
        best = max(best, (s - cursor).total_seconds() / 3600)
        cursor = max(cursor, e)
    return max(best, (shift.end - cursor).total_seconds() / 3600)


def breaks_ok(shift: Shift, rules: Rules) -> bool:
    """True unless the shift's described breaks leave a stretch longer than the limit."""
    stretch = longest_stretch(shift)
    return stretch is None or stretch <= rules.break_after_hours + 1e-9


def shift_id(group: str, start: datetime) -> str:
    return f"{group}:{start:%Y%m%dT%H%M}"


def generate_shifts(
    group: str,
    period_start: date,
    days: int,
    pattern: str | Sequence[ShiftTemplate] = "3x8",
    breaks: Mapping[str, Sequence[BreakTemplate]] | None = None,
    break_after_hours: float = 5.0,
) -> list[Shift]:
    """All shifts of ``group`` starting on the ``days`` days from ``period_start``, in
    start order. Ids are deterministic: ``f"{group}:{start:%Y%m%dT%H%M}"``. ``breaks``
    (per shift code) overrides the pattern's; a code with none gets ``standard_breaks``."""
    templates = sorted(pattern_templates(pattern), key=lambda t: t[1])
    given: dict[str, tuple[BreakTemplate, ...]] = {}
    if isinstance(pattern, str):
        given.update(PATTERN_BREAKS.get(pattern, {}))
    for code, items in (breaks or {}).items():
        given[code] = tuple((float(o), float(h)) for o, h in items)
    per_code = {
        code: given[code] if code in given else standard_breaks(hours, break_after_hours)
        for code, _s, hours in templates
    }
    out: list[Shift] = []
    for d in range(days):
        day = period_start + timedelta(days=d)
        weekend = day.weekday() >= 5
        holiday = is_public_holiday(day)
        for code, start_t, hours in templates:
            start = datetime.combine(day, start_t)
            end = start + timedelta(hours=hours)
            shift_breaks = tuple(
                (start + timedelta(hours=o), start + timedelta(hours=o + h)) for o, h in per_code[code]
            )
            out.append(
                Shift(
                    id=shift_id(group, start),
                    group=group,
                    start=start,
                    end=end,
                    code=code,
                    is_weekend=weekend,
                    is_holiday=holiday,
                    breaks=shift_breaks,
                )
            )
    return out


def requirements_for(
    shifts: Iterable[Shift],
    agencies: Iterable[str] = DEFAULT_AGENCIES,
    count: int = 2,
    qualifications: frozenset[str] = frozenset(),
) -> list[Requirement]:
    """``count`` experts of every agency on every shift (the motion's 2 x 11 default)."""
    agency_list = list(agencies)
    return [
        Requirement(shift_id=s.id, agency=a, count=count, qualifications=qualifications)
        for s in shifts
        for a in agency_list
    ]


def night_hours(start: datetime, end: datetime, rules: Rules) -> float:
    """Hours of [start, end) falling within the night window (default 22:00-06:00)."""
    total = 0.0
    day = start.date() - timedelta(days=1)
    while datetime.combine(day, time(0)) < end:
        n_start = datetime.combine(day, rules.night_start)
        n_end = datetime.combine(day, rules.night_end)
        if n_end <= n_start:
            n_end += timedelta(days=1)
        lo, hi = max(start, n_start), min(end, n_end)
        if hi > lo:
            total += (hi - lo).total_seconds() / 3600
        day += timedelta(days=1)
    return total


def is_night_shift(shift: Shift, rules: Rules) -> bool:
    """A night shift has at least ``rules.night_worker_min_night_hours`` in the night window;
    whoever works one in the period counts as a night worker (ATL § 13 a)."""
    return night_hours(shift.start, shift.end, rules) >= rules.night_worker_min_night_hours - 1e-9
