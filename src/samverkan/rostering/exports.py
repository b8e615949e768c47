"""Roster exports: CSV, XLSX (openpyxl), iCalendar per expert (icalendar), printable
PDF per group and week (reportlab). Callers pass rows they got from scoped selectors;
names the reader may not see are passed as empty strings."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.rostering.models import RosterAssignment

CSV_COLUMNS = [
    "shift_id",
    "group",
    "shift_code",
    "start",
    "end",
    "agency",
    "expert_id",
    "expert_name",
]


def _local(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def roster_rows(
    assignments: Iterable[RosterAssignment], *, group_code: str, name_visible: dict[int, bool]
) -> list[list[str]]:
    return [
        [
            a.shift_id,
            group_code,
            a.shift_code,
            _local(a.starts_at),
            _local(a.ends_at),
            a.agency.short_code,
            f"e{a.expert_id}",
            a.expert.display_name if name_visible.get(a.agency_id) else "",
        ]
        for a in assignments
    ]


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def inert(value: object) -> str:
    """Spreadsheet formula injection: a text cell that a spreadsheet program could read
    as a formula (first character, also after leading spaces, is = + - @ or a tab or
    line break) is prefixed with an apostrophe so that it is shown as text. Names of
    experts and groups are typed by users, so every text cell of every export goes
    through this."""
    text = str(value)
    if text[:1] in _FORMULA_START or text.lstrip(" ")[:1] in _FORMULA_START:
        return "'" + text
    return text


def to_csv(rows: Sequence[Sequence[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow([inert(c) for c in row])
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(rows: Sequence[Sequence[str]], *, title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = _("Roster")[:31]
    ws.append([inert(title)])
    ws["A1"].font = Font(bold=True, size=14)
    headers = [
        _("Shift"),
        _("Group"),
        _("Shift code"),
        _("Start"),
        _("End"),
        _("Agency"),
        _("Expert id"),
        _("Expert"),
    ]
    ws.append(headers)
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for row in rows:
        # openpyxl stores a string starting with "=" as a formula: neutralise every cell.
        ws.append([inert(c) for c in row])
    for col, width in zip("ABCDEFGH", (26, 14, 10, 18, 18, 22, 10, 28), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A3"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def to_ical(assignments: Iterable[RosterAssignment], *, expert_name: str, host: str) -> bytes:
    from icalendar import Calendar, Event

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


def _pdf_doc(out: io.BytesIO, *, landscape_mode: bool, title: str) -> Any:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    size = landscape(A4) if landscape_mode else A4
    return SimpleDocTemplate(
        out,
        pagesize=size,
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=title,
        author="Samverkan",
    )


def roster_week_pdf(
    *, title: str, subtitle: str, days: Sequence[dt.date], rows: Sequence[tuple[str, Sequence[str]]]
) -> bytes:
    """A printable week: one row per agency, one column per day; each cell the shifts
    with names (or counts)."""
    from reportlab.lib import colors
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

    out = io.BytesIO()
    doc = _pdf_doc(out, landscape_mode=True, title=title)
    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=7, leading=8.5)
    head = [Paragraph(_("Agency"), small)] + [
        Paragraph(d.strftime("%a %Y-%m-%d"), small) for d in days
    ]
    data = [head] + [
        [Paragraph(name, small)] + [Paragraph(c.replace("\n", "<br/>"), small) for c in cells]
        for name, cells in rows
    ]
    table = Table(data, repeatRows=1, colWidths=[90] + [95] * len(days))
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dddddd")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    doc.build(
        [
            Paragraph(title, styles["Title"]),
            Paragraph(subtitle, styles["BodyText"]),
            Spacer(1, 6),
            table,
        ]
    )
    return out.getvalue()


def memo_pdf(
    *,
    title: str,
    paragraphs: Sequence[str],
    table: Sequence[Sequence[str]],
    after: Sequence[str] = (),
) -> bytes:
    """A plain decision memo: heading, paragraphs, one table, closing paragraphs."""
    from reportlab.lib import colors
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

    out = io.BytesIO()
    doc = _pdf_doc(out, landscape_mode=False, title=title)
    styles = getSampleStyleSheet()
    body = styles["BodyText"].clone("memo", fontSize=10.5, leading=14)
    story: list[Any] = [Paragraph(title, styles["Title"])]
    story += [Paragraph(p, body) for p in paragraphs]
    story.append(Spacer(1, 8))
    t = Table([list(r) for r in table], repeatRows=1, hAlign="LEFT")
    t.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dddddd")),
                ("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#eeeeee")),
                ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
                ("FONTSIZE", (0, 0), (-1, -1), 9),
            ]
        )
    )
    story.append(t)
    story.append(Spacer(1, 8))
    story += [Paragraph(p, body) for p in after]
    doc.build(story)
    return out.getvalue()
