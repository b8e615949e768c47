"""The picture of one week for one area or for the areas of a district a person sees:
counts per category against the previous 4 and 52 weeks (WeekCount), the ~250 m grid,
the points for the map and the list of reports, all under the same filters.

A constant number of queries whatever the number of reports: the categories, the weekly
counts (one aggregate over at most 54 weeks), the grid (one GROUP BY, whose sum is also the
list's count), the map points (capped at MAP_POINTS_MAX), and the list's page. The reports are
read through the (area, week_start, -occurred_at) index. Reading the page is audited in
the same transaction (picture.week_viewed), the PDF as an export (picture.week_exported).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Count, F, FloatField, QuerySet, Sum, Value
from django.db.models.functions import Cast, Floor

from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.directory.models import Area, District
from samverkan.picture.decision import LocalAccess
from samverkan.picture.models import Category, IncidentReport, ReportStatus, WeekAction, WeekCount, WeekMeeting
from samverkan.picture.selectors.week import TIMES_OF_DAY, WeekFilters, same_week_last_year, week_code
from samverkan.picture.selectors.week_compare import (
    YEAR_WEEKS,
    CategoryCount,
    Grid,
    compare,
    grid_for,
    label_words,
)

if TYPE_CHECKING:
    from samverkan.accounts.models import User

MAP_POINTS_MAX = 2000  # points drawn on the map; more are counted in the grid, not drawn
GRID_CELLS_MAX = 100  # cells listed (busiest first)
LIST_PAGE_SIZE = 25
PDF_LIST_MAX = 300  # reports printed in the PDF


@dataclass(frozen=True)
class GridCell:
    label: str
    count: int
    bounds: tuple[float, float, float, float]  # (south, west, north, east)


@dataclass
class WeekPicture:
    areas: list[Area]
    district: District | None  # set on a district's page
    monday: date
    filters: WeekFilters
    categories: list[Category]
    counts: list[CategoryCount]
    grid: Grid
    cells: list[GridCell]
    cells_total: int  # cells with reports (cells beyond GRID_CELLS_MAX are not listed)
    points: list[tuple[float, float, str]]  # (lat, lon, category code), newest first
    points_capped: bool
    reports: Page[Any]
    changes: list[str] = field(default_factory=list)

    @property
    def week(self) -> str:
        return week_code(self.monday)

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    @property
    def total(self) -> int:
        """The filtered reports of the week (the list's count)."""
        return int(self.reports.paginator.count)

    @property
    def this_week_total(self) -> int:
        return sum(c.this_week for c in self.counts)


def _reports(areas: list[Area], monday: date, filters: WeekFilters, categories: dict[str, Category]) -> QuerySet[Any]:
    qs = IncidentReport.objects.filter(
        area_id__in=[a.pk for a in areas], week_start=monday, status=ReportStatus.ACTIVE)
    if filters.category:
        qs = qs.filter(category_id=categories[filters.category].pk if filters.category in categories else -1)
    if filters.source:
        qs = qs.filter(source_kind=filters.source)
    if filters.time_of_day:
        first, after = TIMES_OF_DAY[filters.time_of_day]
        qs = qs.filter(occurred_at__hour__gte=first, occurred_at__hour__lt=after)
    if filters.weekday:
        qs = qs.filter(occurred_at__iso_week_day=filters.weekday)
    return qs


def _counts(areas: list[Area], monday: date, filters: WeekFilters, categories: list[Category],
            by_code: dict[str, Category]) -> list[CategoryCount]:
    last_year = same_week_last_year(monday)
    qs = WeekCount.objects.filter(area_id__in=[a.pk for a in areas],
                                  week_start__gte=min(last_year, monday - timedelta(weeks=YEAR_WEEKS)),
                                  week_start__lte=monday)
    if filters.category:
        qs = qs.filter(category_id=by_code[filters.category].pk if filters.category in by_code else -1)
    if filters.source:
        qs = qs.filter(source_kind=filters.source)
    rows = qs.values("category_id", "week_start").annotate(n=Sum("count")).order_by().values_list(
        "category_id", "week_start", "n")
    return compare(rows, categories, monday, last_year)


class _CountedPaginator(Paginator):
    """A paginator told its count (the grid's sum) instead of asking the database again."""

    def __init__(self, object_list: Any, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known_count = count

    @property
    def count(self) -> int:
        return self._known_count


def _cells(reports: QuerySet[Any], grid: Grid) -> tuple[list[GridCell], int, int]:
    """Reports per grid cell, computed by the database (one GROUP BY): exact whatever
    the number of reports, busiest cells first. Returns the cells listed, the number of
    cells with reports and the number of reports."""
    row = Floor((Cast(F("lat"), FloatField()) - Value(grid.origin_lat)) / Value(grid.dlat) + Value(0.5))
    col = Floor((Cast(F("lon"), FloatField()) - Value(grid.origin_lon)) / Value(grid.dlon) + Value(0.5))
    rows = list(reports.annotate(cell_row=row, cell_col=col).values("cell_row", "cell_col")
                .annotate(n=Count("pk")).order_by("-n", "-cell_row", "cell_col")
                .values_list("cell_row", "cell_col", "n"))
    words = label_words()
    cells = [GridCell(label=grid.label(int(r), int(c), words), count=n, bounds=grid.bounds(int(r), int(c)))
             for r, c, n in rows[:GRID_CELLS_MAX]]
    return cells, len(rows), sum(n for _r, _c, n in rows)


def all_categories() -> list[Category]:
    """Every category (retired ones too: their reports are still in the picture)."""
    return list(Category.objects.all())


def build_week_picture(*, areas: list[Area], district: District | None, monday: date, filters: WeekFilters,
                       categories: list[Category], page: int | str = 1,
                       page_size: int = LIST_PAGE_SIZE) -> WeekPicture:
    """The week's picture of ``areas`` (already checked against the person's scope)."""
    by_code = {c.code: c for c in categories}
    by_pk = {c.pk: c for c in categories}
    counts = _counts(areas, monday, filters, categories, by_code)
    reports = _reports(areas, monday, filters, by_code)
    grid = grid_for(areas, district.name if district else "")
    cells, cells_total, total = _cells(reports, grid)
    points_rows = list(reports.order_by("-occurred_at", "-pk").values_list("lat", "lon", "category_id")
                       [:MAP_POINTS_MAX + 1])
    points = [(float(lat), float(lon), by_pk[cat].code) for lat, lon, cat in points_rows[:MAP_POINTS_MAX]]
    listing = reports.select_related("category", "place", "area").order_by("-occurred_at", "-pk")
    reports_page = _CountedPaginator(listing, page_size, count=total).get_page(page)
    return WeekPicture(
        areas=areas, district=district, monday=monday, filters=filters, categories=categories, counts=counts,
        grid=grid, cells=cells, cells_total=cells_total, points=points,
        points_capped=len(points_rows) > MAP_POINTS_MAX, reports=reports_page,
        changes=[c.change for c in counts if c.change],
    )


def _audit(action: Action, *, actor: User, picture: WeekPicture, **extra: Any) -> None:
    if picture.district is not None:
        subject_type, subject_id = "district", picture.district.pk
        organisation = picture.district.administration_id
    else:
        subject_type, subject_id = "area", picture.areas[0].pk
        organisation = picture.areas[0].district.administration_id
    detail: dict[str, Any] = {"week": picture.week, "areas": [a.pk for a in picture.areas],
                              "reports": picture.total, **extra}
    if picture.filters.any:
        detail["filtered"] = True
    audit.record(action=action, actor=actor, subject_type=subject_type, subject_id=subject_id,
                 subject_organisation_id=organisation, detail=detail)


def week_page(*, actor: User, access: LocalAccess, areas: list[Area], district: District | None, monday: date,
              filters: WeekFilters, categories: list[Category], page: int | str = 1) -> WeekPicture:
    """The week page's picture; audited (picture.week_viewed) in the same transaction.
    ``areas`` come from selectors.week.area_for / district_for (the scope is checked
    there); asserted again here so no caller can skip it."""
    if not all(access.sees_area(a.pk) for a in areas):
        raise ValueError("areas outside the scope")
    with transaction.atomic():
        picture = build_week_picture(areas=areas, district=district, monday=monday, filters=filters,
                                     categories=categories, page=page)
        _audit(Action.PICTURE_WEEK_VIEWED, actor=actor, picture=picture, page=picture.reports.number)
    return picture


@dataclass
class WeekExport:
    picture: WeekPicture
    meeting: WeekMeeting | None
    actions: list[WeekAction]
    followed_up: list[WeekAction]
    list_capped: bool


def week_export(*, actor: User, access: LocalAccess, area: Area, monday: date, filters: WeekFilters,
                categories: list[Category]) -> WeekExport:
    """The week of one area for the meeting's PDF: the picture (list capped at
    PDF_LIST_MAX), and the week's meeting record with its actions when there is one;
    audited as an export (picture.week_exported)."""
    if not access.sees_area(area.pk):
        raise ValueError("area outside the scope")
    with transaction.atomic():
        picture = build_week_picture(areas=[area], district=None, monday=monday, filters=filters,
                                     categories=categories, page_size=PDF_LIST_MAX)
        meeting = WeekMeeting.objects.filter(area=area, week_start=monday).first()
        actions: list[WeekAction] = []
        followed: list[WeekAction] = []
        if meeting is not None:
            for action in WeekAction.objects.select_related("organisation", "meeting").filter(
                    meeting=meeting) | WeekAction.objects.select_related("organisation", "meeting").filter(
                    followed_up_at=meeting):
                (actions if action.meeting_id == meeting.pk else followed).append(action)
        _audit(Action.PICTURE_WEEK_EXPORTED, actor=actor, picture=picture, kind="week_pdf",
               meeting=meeting.pk if meeting else None)
    return WeekExport(picture=picture, meeting=meeting, actions=actions, followed_up=followed,
                      list_capped=picture.reports.paginator.num_pages > 1)
