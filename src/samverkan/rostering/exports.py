"""Roster exports: CSV, XLSX (openpyxl), iCalendar per expert (icalendar), the printable
roster and the capacity memo as PDF (lib.documents: HTML templates, WeasyPrint). Callers
pass rows they got from scoped selectors; names the reader may not see are passed as
empty strings (or counted, in the PDF)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from samverkan.lib.documents import render_pdf
from samverkan.lib.spreadsheets import csv_text, xlsx_append
from samverkan.rostering.models import RosterAssignment
from samverkan.rostering.selectors import Grid


def columns() -> list[str]:
    """The readable headers of the CSV and XLSX roster, in the active language."""
    return [
        _("Date"),
        _("Day"),
        _("Shift"),
        _("Starts"),
        _("Ends"),
        _("Group"),
        _("Agency"),
        _("Expert"),
    ]


def roster_rows(
    assignments: Iterable[RosterAssignment], *, group_name: str, name_visible: dict[int, bool]
) -> list[list[Any]]:
    """One row per assignment: the local date (a date, so a spreadsheet sorts it), the
    day's name in the active language, the shift code, the local start and end times,
    the group's and the agency's names and the expert's name (or that the reader may not
    see it)."""
    hidden = _("(name not shown)")
    rows: list[list[Any]] = []
    for a in assignments:
        starts, ends = timezone.localtime(a.starts_at), timezone.localtime(a.ends_at)
        rows.append(
            [
                starts.date(),
                date_format(starts.date(), "l"),
                a.shift_code,
                f"{starts:%H:%M}",
                f"{ends:%H:%M}",
                group_name,
                a.agency.name,
                a.expert.display_name if name_visible.get(a.agency_id) else hidden,
            ]
        )
    return rows


def to_csv(rows: Sequence[Sequence[Any]]) -> bytes:
    """For Swedish Excel (lib.spreadsheets.csv_text: semicolons, UTF-8 with a
    byte-order mark, CRLF), headers in the active language, every cell inert (names of
    experts and groups are typed by users)."""
    return csv_text([columns(), *rows]).encode("utf-8")


def to_xlsx(rows: Sequence[Sequence[Any]], *, title: str) -> bytes:
    """One sheet: the title, a header row, one row per assignment (dates as dates);
    every text cell inert and stored as a string."""
    from openpyxl import Workbook  # deferred: openpyxl (~0.4 s import), only for a download
    from openpyxl.styles import Font  # deferred: openpyxl, as above

    wb = Workbook()
    ws = wb.active
    ws.title = _("Roster")[:31]
    xlsx_append(ws, [title])
    ws["A1"].font = Font(bold=True, size=14)
    xlsx_append(ws, columns())
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for row in rows:
        xlsx_append(ws, row)
    for cell in ws["A"][2:]:
        cell.number_format = "yyyy-mm-dd"
    for col, width in zip("ABCDEFGH", (12, 12, 8, 8, 8, 22, 24, 28), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A3"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def to_ical(assignments: Iterable[RosterAssignment], *, expert_name: str, host: str) -> bytes:
    from icalendar import Calendar, Event  # deferred: icalendar (~0.12 s import), only for a download

    cal = Calendar()
    cal.add("prodid", "-//Samverkan//roster//SV")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", _("Roster: %(name)s") % {"name": expert_name})
    stamp = timezone.now()
    for a in assignments:
        event = Event()
        event.add("uid", f"roster-{a.shift_id}-e{a.expert_id}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", a.starts_at)
        event.add("dtend", a.ends_at)
        group = a.version.plan.group
        event.add(
            "summary", _("Shift %(code)s, %(group)s") % {"code": a.shift_code, "group": group.name}
        )
        event.add("location", group.name)
        cal.add_component(event)
    return bytes(cal.to_ical())


@dataclass(frozen=True)
class RosterWeek:
    """One printed page of the roster: a week's seven days, and per agency one cell per
    day holding lines such as "D: Anna Testsson, Bo Exempel" (or "D: 2" where the
    reader may not see the names)."""

    number: int
    days: list[dt.date]
    rows: list[tuple[str, list[list[str]]]]


def roster_weeks(grid: Grid) -> list[RosterWeek]:
    """Cut a grid (from selectors.roster_grid, names already withheld where the actor
    may not see them) into weeks of seven days."""
    all_rows = grid.rows()
    weeks = []
    for start in range(0, len(grid.days), 7):
        days = grid.days[start : start + 7]
        rows = []
        for agency, visible, cells in all_rows:
            texts = [
                [
                    f"{code}: {', '.join(names)}" if visible else f"{code}: {count}"
                    for code, names, count in cell.entries
                ]
                for cell in cells[start : start + 7]
            ]
            rows.append((agency.name, texts))
        weeks.append(RosterWeek(number=days[0].isocalendar().week, days=days, rows=rows))
    return weeks


def roster_pdf(*, title: str, subtitle: str, weeks: Sequence[RosterWeek]) -> bytes:
    """The printable roster: every week of the period, one landscape page a week, one
    row per agency and one column per day (day names in the active language)."""
    return render_pdf(
        template_name="rostering/pdf/roster.html",
        title=title,
        context={"subtitle": subtitle, "weeks": weeks},
    )


def memo_pdf(
    *,
    title: str,
    paragraphs: Sequence[str],
    table: Sequence[Sequence[str]],
    after: Sequence[str] = (),
) -> bytes:
    """A plain decision memo: heading, paragraphs, one table (header row first, total
    row last), closing paragraphs."""
    return render_pdf(
        template_name="rostering/pdf/capacity_memo.html",
        title=title,
        context={
            "paragraphs": paragraphs,
            "header": table[0] if table else [],
            "body": table[1:-1],
            "total": table[-1] if len(table) > 1 else [],
            "after": after,
        },
    )
