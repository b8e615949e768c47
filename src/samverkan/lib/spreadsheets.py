"""Spreadsheet cells that are only ever data (CSV and formula injection, OWASP).

A spreadsheet program reads a cell whose text starts with ``=``, ``+``, ``-`` or ``@``
(also after leading spaces, or after a tab or line break) as a formula: a name typed as
``=HYPERLINK("http://evil.example")`` would become a live link, ``@SUM(A1)`` a
calculation. Every CSV and XLSX writer in Samverkan passes every cell through this
module: text that could start a formula is prefixed with an apostrophe, so it is shown
as the characters typed; numbers stay numbers (a negative count is not a formula).
XLSX cells are moreover stored with the string type, never as formulas.

Each export keeps its own file conventions (delimiter, byte-order mark, line ends); this
module only decides what goes in a cell.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")

_NUMBERS = (int, float, Decimal)


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
