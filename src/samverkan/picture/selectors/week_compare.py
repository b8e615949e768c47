"""Pure parts of the weekly picture, kept apart so they are tested without a database:
the comparison of a week's counts with the previous 4 and 52 weeks and its plain-words
"what changed", and the ~250 m grid (cell geometry and a label a person understands).

Counts come from WeekCount only (never from counting reports), so the comparison reads
at most 54 weeks x categories x sources small rows whatever the number of reports.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _

# A change is told in words only when the week differs from the usual by at least this
# many reports (one or two more are noise at these numbers).
MIN_DIFFERENCE = 3
RECENT_WEEKS = 4
YEAR_WEEKS = 52


def number(value: float) -> str:
    """A count or an average as people read it: whole numbers from 10, one decimal
    below (in the language's format: 0,5 in Swedish)."""
    if value >= 10 or float(value).is_integer():
        return formats.number_format(round(value), use_l10n=True)
    return formats.number_format(round(value, 1), decimal_pos=1, use_l10n=True)


@dataclass(frozen=True)
class CategoryCount:
    category: Any  # a Category
    this_week: int
    recent_average: float  # the previous 4 weeks
    year_average: float  # the previous 52 weeks
    last_year: int  # the same ISO week a year earlier
    change: str  # plain words, "" when nothing notable changed


def _times(ratio: float) -> str:
    rounded = round(ratio)
    if rounded == 2:
        return _("about twice the usual %(usual)s")
    if rounded == 3:
        return _("about three times the usual %(usual)s")
    return _("about %(times)s times the usual %(usual)s")


def what_changed(name: str, this_week: int, recent: float, year: float) -> str:
    """One sentence when ``this_week`` differs clearly from the usual (the average of
    the previous 4 weeks), with the year's weekly average for perspective; "" otherwise.

    >>> what_changed("Graffiti", 14, 7, 5)  # doctest: +SKIP
    'Graffiti: 14 this week, about twice the usual 7. Over the past year: 5 a week.'
    """
    if abs(this_week - recent) < MIN_DIFFERENCE:
        return ""
    values = {"category": name, "count": number(this_week), "usual": number(recent)}
    if recent == 0:
        sentence = _("%(category)s: %(count)s this week, none in the previous four weeks.") % values
    elif this_week == 0:
        sentence = _("%(category)s: none this week, usually about %(usual)s.") % values
    else:
        ratio = this_week / recent
        if ratio >= 1.75:
            phrase = _times(ratio) % {"times": number(round(ratio)), "usual": values["usual"]}
        elif ratio > 1:
            phrase = _("clearly more than the usual %(usual)s") % values
        elif ratio <= 0.6 and ratio >= 0.4:
            phrase = _("about half the usual %(usual)s") % values
        else:
            phrase = _("clearly fewer than the usual %(usual)s") % values
        sentence = _("%(category)s: %(count)s this week, %(phrase)s.") % {**values, "phrase": phrase}
    if year == 0:
        return sentence + " " + _("None in the year before.")
    return sentence + " " + _("Over the past year: %(year)s a week.") % {"year": number(year)}


def compare(rows: Iterable[tuple[int, date, int]], categories: Iterable[Any], monday: date,
            last_year: date) -> list[CategoryCount]:
    """Counts per category for the week of ``monday`` against the previous 4 and 52
    weeks and the same week last year. ``rows`` are (category id, week start, count),
    summed or not; weeks without reports count as none. Categories with nothing in any
    of these weeks are left out."""
    recent_from = monday - timedelta(weeks=RECENT_WEEKS)
    year_from = monday - timedelta(weeks=YEAR_WEEKS)
    this: dict[int, int] = {}
    recent: dict[int, int] = {}
    year: dict[int, int] = {}
    previous: dict[int, int] = {}
    for category_id, week_start, count in rows:
        if week_start == monday:
            this[category_id] = this.get(category_id, 0) + count
        elif week_start < monday:
            if week_start >= recent_from:
                recent[category_id] = recent.get(category_id, 0) + count
            if week_start >= year_from:
                year[category_id] = year.get(category_id, 0) + count
        if week_start == last_year:
            previous[category_id] = previous.get(category_id, 0) + count
    result = []
    for category in categories:
        pk = category.pk
        if not (this.get(pk) or year.get(pk) or previous.get(pk)):
            continue
        n, r, y = this.get(pk, 0), recent.get(pk, 0) / RECENT_WEEKS, year.get(pk, 0) / YEAR_WEEKS
        result.append(CategoryCount(category=category, this_week=n, recent_average=r, year_average=y,
                                    last_year=previous.get(pk, 0), change=what_changed(category.name, n, r, y)))
    return result


# --- the grid ------------------------------------------------------------------------------

CELL_METRES = 250
METRES_PER_DEGREE = 111_320


@dataclass(frozen=True)
class Grid:
    """Square cells of CELL_METRES centred on ``origin`` (an area's centre): cell (0, 0)
    is the centre cell, (1, -2) one cell north and two west of it."""

    origin_lat: float
    origin_lon: float
    origin_name: str  # the place cells are told relative to ("" : by coordinates)

    @property
    def dlat(self) -> float:
        return CELL_METRES / METRES_PER_DEGREE

    @property
    def dlon(self) -> float:
        return CELL_METRES / (METRES_PER_DEGREE * math.cos(math.radians(self.origin_lat)))

    def bounds(self, row: int, col: int) -> tuple[float, float, float, float]:
        """(south, west, north, east) of a cell, in degrees."""
        lat = self.origin_lat + row * self.dlat
        lon = self.origin_lon + col * self.dlon
        return (round(lat - self.dlat / 2, 6), round(lon - self.dlon / 2, 6),
                round(lat + self.dlat / 2, 6), round(lon + self.dlon / 2, 6))

    def label(self, row: int, col: int, words: dict[str, str] | None = None) -> str:
        """Where the cell is, in words: "500 m north and 250 m east of the centre of
        Husby" (or its centre's coordinates when the area has no centre). ``words``
        (from ``label_words``) saves translating the same phrases for every cell."""
        w = words or label_words()
        if not self.origin_name:
            south, west, north, east = self.bounds(row, col)
            return w["around"] % {
                "lat": formats.number_format((south + north) / 2, decimal_pos=4, use_l10n=True),
                "lon": formats.number_format((west + east) / 2, decimal_pos=4, use_l10n=True)}
        if row == 0 and col == 0:
            return w["centre"] % {"place": self.origin_name}
        parts = []
        if row:
            parts.append(w["north" if row > 0 else "south"] % {"metres": abs(row) * CELL_METRES})
        if col:
            parts.append(w["east" if col > 0 else "west"] % {"metres": abs(col) * CELL_METRES})
        where = parts[0] if len(parts) == 1 else w["and"] % {"first": parts[0], "second": parts[1]}
        return w["of"] % {"where": where, "place": self.origin_name}


def label_words() -> dict[str, str]:
    """The phrases of the cell labels in the active language (metres stay below 10 km:
    no thousands separator needed)."""
    return {
        "around": _("Around %(lat)s N, %(lon)s E"),
        "centre": _("At the centre of %(place)s"),
        "north": _("%(metres)s m north"), "south": _("%(metres)s m south"),
        "east": _("%(metres)s m east"), "west": _("%(metres)s m west"),
        "and": _("%(first)s and %(second)s"),
        "of": _("%(where)s of the centre of %(place)s"),
    }


# Stockholm city centre: the grid's origin when no area shown has a centre point.
FALLBACK_ORIGIN = (59.3293, 18.0686)


def grid_for(areas: list[Any], district_name: str = "") -> Grid:
    """The grid of one area (centred on its centre) or of a district's areas (centred on
    the mean of their centres)."""
    centres = [(float(a.centre_lat), float(a.centre_lon)) for a in areas
               if a.centre_lat is not None and a.centre_lon is not None]
    if not centres:
        return Grid(*FALLBACK_ORIGIN, origin_name="")
    lat = sum(c[0] for c in centres) / len(centres)
    lon = sum(c[1] for c in centres) / len(centres)
    if len(areas) == 1:
        name = areas[0].name
    else:
        name = _("the areas of %(district)s") % {"district": district_name} if len(centres) == len(areas) else ""
    return Grid(origin_lat=round(lat, 6), origin_lon=round(lon, 6), origin_name=name)


def as_float(value: Decimal | float | None) -> float | None:
    return None if value is None else float(value)
