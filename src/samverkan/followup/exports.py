"""CSV and XLSX of the suppressed tables only: every value written is a display string
("<5", the hidden mark, a dash) or a number that may be shown; raw small counts
never reach a file."""

from __future__ import annotations

import io
import re

from django.utils.translation import gettext as _

from samverkan.followup.selectors import Statistics, StatTable
from samverkan.lib.spreadsheets import csv_text, xlsx_append


def _legend() -> str:
    return _("<5 = fewer than five; × = hidden so that small numbers cannot be calculated from totals.")


def table_rows(table: StatTable) -> list[list[str]]:
    """Header, body and total rows of one table, as display strings."""
    header = [table.row_header, *table.col_labels]
    if table.total_label:
        header.append(table.total_label)
    if table.extra_label:
        header.append(table.extra_label)
    rows = [header]
    for label, cells, total, extra in table.rows():
        row = [label, *cells]
        if table.total_label:
            row.append(total)
        if table.extra_label:
            row.append(extra)
        rows.append(row)
    cols, grand = table.total_row()
    if cols:
        row = [_("Total"), *cols]
        if table.total_label:
            row.append(grand)
        rows.append(row)
    return rows


def _number(value: str) -> int | float | str:
    if value.isdigit():
        return int(value)
    whole, comma, fraction = value.partition(",")
    if comma and whole.isdigit() and fraction.isdigit():
        return float(f"{whole}.{fraction}")  # a decimal written with the Swedish comma
    return value


def to_csv(stats: Statistics) -> str:
    """For Swedish Excel (lib.spreadsheets.csv_text: semicolons, byte-order mark; the
    tables' decimals are already written with the decimal comma). Labels such as
    programme and area names are entered by admins: every cell, the headings and notes
    too, is made inert there."""
    rows: list[list[str]] = [[stats.organisation, str(stats.year or stats.period or _("All years"))]]
    for table in stats.tables:
        rows.append([])
        rows.append([table.caption])
        rows.extend(table_rows(table))
        if table.note:
            rows.append([table.note])
    rows.append([])
    rows.append([_legend()])
    return csv_text(rows)


def _sheet_title(text: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", " ", text)[:28].strip() or "Tabell"
    title, n = base, 2
    while title in used:
        title, n = f"{base[:25]} {n}", n + 1
    used.add(title)
    return title


def to_xlsx(stats: Statistics) -> bytes:
    from openpyxl import Workbook  # deferred: openpyxl (~0.4 s import), only for a download
    from openpyxl.styles import Font  # deferred: openpyxl, as above

    book = Workbook()
    first = book.active
    book.remove(first)
    used: set[str] = set()
    for table in stats.tables:
        sheet = book.create_sheet(_sheet_title(table.caption, used))
        xlsx_append(sheet, [table.caption])
        sheet["A1"].font = Font(bold=True)
        xlsx_append(sheet, [stats.organisation, str(stats.year or stats.period or _("All years"))])
        for i, row in enumerate(table_rows(table)):
            xlsx_append(sheet, [row[0], *(_number(v) for v in row[1:])] if i else row)
        if table.note:
            xlsx_append(sheet, [table.note])
        xlsx_append(sheet, [_legend()])
        sheet.column_dimensions["A"].width = 40
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
