"""Spreadsheet cells are data: text that could start a formula is neutralised, numbers
stay numbers, XLSX text is stored as text."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from openpyxl import Workbook, load_workbook

from samverkan.lib.spreadsheets import csv_cell, csv_lines, csv_row, csv_text, excel_cell, inert, xlsx_append

FORMULAS = ['=HYPERLINK("http://evil.example")', "+1+1", "@SUM(A1)", "-2+3", "  =1+1", "\t=1",
            "\r=1", "\n=1", " \t@x"]


@pytest.mark.parametrize("text", FORMULAS)
def test_formula_text_gets_an_apostrophe(text):
    assert inert(text) == "'" + text
    assert csv_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["Anna Testsson", "", "<5", "×", "–", "12", "45 %", "a=b", "Hedin <b>"])
def test_plain_text_is_left_alone(text):
    assert inert(text) == text


def test_numbers_stay_numbers_and_none_is_empty():
    assert csv_row([-5, 3, 2.5, Decimal("-1.5"), None, True, "-5"]) == ["-5", "3", "2.5", "-1.5", "", "True", "'-5"]


def test_xlsx_keeps_types_and_stores_text_as_text():
    book = Workbook()
    sheet = book.active
    xlsx_append(sheet, [*FORMULAS, -5, 2.5, dt.date(2026, 12, 7), None, "Anna"])
    saved = io.BytesIO()
    book.save(saved)
    row = next(load_workbook(saved).active.iter_rows())
    texts = row[: len(FORMULAS)]
    assert all(c.data_type == "s" for c in texts), [c.data_type for c in texts]
    assert [c.value for c in texts] == ["'" + f.replace("\r", "\n") for f in FORMULAS]  # XLSX keeps no \r
    number, decimal, day = row[len(FORMULAS)], row[len(FORMULAS) + 1], row[len(FORMULAS) + 2]
    assert (number.value, number.data_type) == (-5, "n") and decimal.value == 2.5
    assert day.value.date() == dt.date(2026, 12, 7)
    assert row[-1].value == "Anna"


# One CSV writer for every download (csv_text / csv_lines): Swedish Excel's conventions.


def test_swedish_excel_conventions():
    text = csv_text([["Namn", "Andel", "Dag"], ["Anna; Bo", Decimal("12.5"), dt.date(2026, 12, 28)]])
    assert text.startswith("\ufeff")  # UTF-8 with a byte-order mark once encoded
    assert text.encode("utf-8").startswith(b"\xef\xbb\xbf")
    assert text.count("\r\n") == 2
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows == [["Namn", "Andel", "Dag"], ["Anna; Bo", "12,5", "2026-12-28"]]


def test_excel_cells():
    assert excel_cell(3) == "3" and excel_cell(-3) == "-3"  # a number is no formula
    assert excel_cell(0.25) == "0,25" and excel_cell(Decimal("-1.50")) == "-1,50"
    assert excel_cell(None) == ""
    assert excel_cell("=1+1") == "'=1+1" and excel_cell("  @SUM(A1)") == "'  @SUM(A1)"
    moment = dt.datetime(2026, 12, 28, 5, 30, tzinfo=dt.UTC)
    assert excel_cell(moment) == moment.astimezone(ZoneInfo("Europe/Stockholm")).strftime("%Y-%m-%d %H:%M")


def test_lines_stream_the_same_file():
    rows = [["a", 1], [], ["b", Decimal("2.0")]]
    lines = list(csv_lines(rows))
    assert lines[0] == "\ufeff" and "".join(lines) == csv_text(rows)
    assert lines[1:] == ["a;1\r\n", "\r\n", "b;2,0\r\n"]
