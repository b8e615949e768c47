"""Spreadsheet cells that are only ever data (CSV and formula injection, OWASP).

A spreadsheet program reads a cell whose text starts with ``=``, ``+``, ``-`` or ``@``
(also after leading spaces, or after a tab or line break) as a formula: a name typed as
``=HYPERLINK("http://evil.example")`` would become a live link, ``@SUM(A1)`` a
calculation. Every CSV and XLSX writer in Samverkan passes every cell through this
module: text that could start a formula is prefixed with an apostrophe, so it is shown
as the characters typed; numbers stay numbers (a negative count is not a formula).
XLSX cells are moreover stored with the string type, never as formulas.

Every CSV file Samverkan writes is for Swedish Excel (csv_text / csv_lines): semicolons
between cells (the comma is the Swedish decimal separator), UTF-8 with a byte-order mark
(so Excel does not read the text as Latin-1), CRLF line ends, decimals with the decimal
comma and dates as YYYY-MM-DD (which Excel reads as dates).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")

_NUMBERS = (int, float, Decimal)

# Swedish Excel: the list separator is the semicolon, the decimal separator the comma.
CSV_DELIMITER = ";"
BYTE_ORDER_MARK = "\ufeff"


def inert(text: str) -> str:
    """``text`` as a spreadsheet will show it: prefixed with an apostrophe when its first
    character, also after leading spaces, could start a formula."""
    if text[:1] in FORMULA_START or text.lstrip(" ")[:1] in FORMULA_START:
        return "'" + text
    return text


def csv_cell(value: Any) -> str:
    """One CSV cell: None is empty, a number is written as it is, anything else as
    neutralised text."""
    if value is None:
        return ""
    if isinstance(value, _NUMBERS) and not isinstance(value, bool):
        return str(value)
    return inert(str(value))


def csv_row(values: Iterable[Any]) -> list[str]:
    """A CSV row of neutralised cells (see csv_cell)."""
    return [csv_cell(v) for v in values]


def xlsx_cell(value: Any) -> Any:
    """One XLSX value: numbers, dates and empty cells keep their type; anything else
    is neutralised text."""
    if value is None or isinstance(value, (*_NUMBERS, dt.date, dt.time, dt.timedelta)):
        return value
    return inert(str(value))


def xlsx_append(sheet: Any, values: Iterable[Any]) -> None:
    """Append one row to an openpyxl worksheet: every text cell neutralised and stored
    as a string (openpyxl would otherwise store any text starting with "=" as a
    formula)."""
    sheet.append([xlsx_cell(v) for v in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


def excel_cell(value: Any) -> str:
    """One CSV cell for Swedish Excel: a number with the decimal comma (a value we
    formatted, so never a formula), a date as YYYY-MM-DD, a time of day as HH:MM in the
    local time zone, anything else through csv_cell."""
    if isinstance(value, bool):
        return csv_cell(value)
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", ",")
    if isinstance(value, float):
        return repr(value).replace(".", ",")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.datetime):
        from django.utils import timezone  # deferred: this module stays usable without settings

        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return local.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return csv_cell(value)


class _Line:
    """A file-like object whose write returns the line (for streaming responses)."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """A CSV file for Swedish Excel, line by line (for a StreamingHttpResponse): the
    byte-order mark first, then one semicolon-separated line per row, every cell through
    excel_cell. An empty row is an empty line."""
    writer = csv.writer(_Line(), delimiter=CSV_DELIMITER, lineterminator="\r\n")
    yield BYTE_ORDER_MARK
    for row in rows:
        yield writer.writerow([excel_cell(v) for v in row])


def csv_text(rows: Iterable[Iterable[Any]]) -> str:
    """The whole CSV file for Swedish Excel as text (see csv_lines); encode it as UTF-8
    (the byte-order mark is its first character)."""
    out = io.StringIO()
    for line in csv_lines(rows):
        out.write(line)
    return out.getvalue()
