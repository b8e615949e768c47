"""The promised police presence against what the police reported, week by week, in
plain words ("reported 3 of 4 promised officers"). Two queries whatever the number of
promises and weeks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.http import Http404
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from samverkan.agreement.models import Agreement, PresencePromise, PresenceReport
from samverkan.picture.models import week_start_of

WEEKS_SHOWN = 8


@dataclass
class PresenceCell:
    week_start: date
    report: PresenceReport | None
    promised: Decimal
    unit: str

    @property
    def value(self) -> Decimal | None:
        return self.report.value if self.report else None

    @property
    def words(self) -> str:
        if self.report is None:
            return _("nothing reported")
        return _("reported %(value)s of %(promised)s promised %(unit)s") % {
            "value": number(self.report.value), "promised": number(self.promised), "unit": self.unit}

    @property
    def short_of_promise(self) -> bool:
        return self.report is not None and self.report.value < self.promised


@dataclass
class PresenceRow:
    promise: PresencePromise
    cells: list[PresenceCell]

    @property
    def reported_weeks(self) -> int:
        return sum(1 for c in self.cells if c.report is not None)

    @property
    def kept_weeks(self) -> int:
        return sum(1 for c in self.cells if c.report is not None and c.report.value >= self.promise.per_week)


def number(value: Decimal) -> str:
    """12.0 → "12", 2.5 → "2,5" (Swedish) or "2.5": figures as people write them."""
    if value == value.to_integral_value():
        return str(int(value))
    return formats.number_format(value, decimal_pos=1)


def last_weeks(today: date | None = None, count: int = WEEKS_SHOWN) -> list[date]:
    """The Mondays of the last ``count`` weeks, the current week last."""
    current = week_start_of(today or timezone.localdate())
    return [current - timedelta(weeks=n) for n in range(count - 1, -1, -1)]


def presence_table(*, agreement: Agreement, weeks: list[date] | None = None) -> tuple[list[date], list[PresenceRow]]:
    weeks = weeks or last_weeks()
    promises = list(agreement.presence_promises.select_related("area").order_by("area__name", "pk"))
    reports = {
        (r.promise_id, r.week_start): r
        for r in PresenceReport.objects.filter(promise__agreement=agreement, week_start__in=weeks)
    }
    rows = [
        PresenceRow(promise=p, cells=[PresenceCell(week_start=w, report=reports.get((p.pk, w)), promised=p.per_week,
                                                   unit=p.unit)
                                      for w in weeks])
        for p in promises
    ]
    return weeks, rows


def promise_for(*, agreement: Agreement, promise_id: int) -> PresencePromise:
    promise = agreement.presence_promises.select_related("area").filter(pk=promise_id).first()
    if promise is None:
        raise Http404
    return promise


def report_for_week(*, promise: PresencePromise, week_start: date) -> PresenceReport | None:
    return PresenceReport.objects.filter(promise=promise, week_start=week_start_of(week_start)).first()
