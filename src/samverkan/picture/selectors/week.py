"""The weekly joint picture: which areas and districts a person reaches, ISO weeks in
URLs, the filters, and the overview page.

Areas and districts are addressed by their codes (never by anything about a person).
Outside a person's scope (picture.decision.LocalAccess) the page does not exist: 404.
The picture of one week itself is built by selectors.week_picture.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Sum
from django.http import Http404
from django.utils import timezone

from samverkan.directory.models import Area, District
from samverkan.picture.decision import LocalAccess
from samverkan.picture.models import WeekCount, week_start_of

_WEEK_RE = re.compile(r"^(\d{4})-W(\d{2})$")

# Time of day in local time: (code, first hour, hour after the last).
TIMES_OF_DAY: dict[str, tuple[int, int]] = {
    "night": (0, 6), "morning": (6, 12), "afternoon": (12, 18), "evening": (18, 24),
}


def parse_week(text: str) -> date:
    """The Monday of an ISO week written as ``2026-W49``; Http404 for anything else
    (a malformed week, week 53 of a year with 52 weeks, a year out of range)."""
    match = _WEEK_RE.match(text or "")
    if not match:
        raise Http404("no such week")
    year, week = int(match.group(1)), int(match.group(2))
    try:
        return date.fromisocalendar(year, week, 1)
    except ValueError:
        raise Http404("no such week") from None


def week_code(monday: date) -> str:
    """``2026-W49`` for the ISO week of ``monday``."""
    year, week, _day = monday.isocalendar()
    return f"{year}-W{week:02d}"


def current_week() -> date:
    return week_start_of(timezone.localdate())


def same_week_last_year(monday: date) -> date:
    """The same ISO week number a year earlier (week 53 → the year's last week)."""
    year, week, _day = monday.isocalendar()
    try:
        return date.fromisocalendar(year - 1, week, 1)
    except ValueError:
        return monday - timedelta(weeks=52)


@dataclass(frozen=True)
class WeekFilters:
    """What the map, the grid and the list are narrowed to. The comparison with earlier
    weeks (kept per week, category and source) follows category and source only."""

    category: str = ""  # a category code
    source: str = ""  # an OrganisationKind value
    time_of_day: str = ""  # a key of TIMES_OF_DAY
    weekday: int = 0  # ISO weekday 1 (Monday) .. 7 (Sunday); 0: every day

    @property
    def any(self) -> bool:
        return bool(self.category or self.source or self.time_of_day or self.weekday)

    @property
    def by_time(self) -> bool:
        return bool(self.time_of_day or self.weekday)


# --- scope ------------------------------------------------------------------------------


def area_for(*, access: LocalAccess, code: str) -> Area:
    """The area with this code if the person sees its picture; 404 otherwise (also for
    an area that exists out of scope: nobody learns which codes exist)."""
    area = Area.objects.select_related("district").filter(code=code).first()
    if area is None or not access.sees_area(area.pk):
        raise Http404("no such area")
    return area


def district_for(*, access: LocalAccess, code: str) -> tuple[District, list[Area]]:
    """The district and those of its areas the person sees; 404 when they see none."""
    areas = list(
        Area.objects.select_related("district").filter(access.areas_q(), district__code=code).order_by("name")
    )
    if not areas:
        raise Http404("no such district")
    return areas[0].district, areas


@dataclass(frozen=True)
class AreaRow:
    area: Area
    this_week: int


@dataclass(frozen=True)
class DistrictRows:
    district: District
    areas: list[AreaRow]

    @property
    def this_week(self) -> int:
        return sum(row.this_week for row in self.areas)


def overview(*, access: LocalAccess, monday: date) -> list[DistrictRows]:
    """The areas the person sees, by district, with the week's number of reports (from
    the weekly counts): two queries whatever the number of reports."""
    areas = list(Area.objects.select_related("district").filter(access.areas_q()).order_by("district__name", "name"))
    counts = dict(
        WeekCount.objects.filter(area_id__in=[a.pk for a in areas], week_start=monday)
        .values("area_id").annotate(n=Sum("count")).values_list("area_id", "n")
    ) if areas else {}
    by_district: dict[int, DistrictRows] = {}
    for area in areas:
        rows = by_district.setdefault(area.district_id, DistrictRows(district=area.district, areas=[]))
        rows.areas.append(AreaRow(area=area, this_week=counts.get(area.pk) or 0))
    return list(by_district.values())
