"""Spreadsheet cells are data: text that could start a formula is neutralised, numbers
stay numbers, XLSX text is stored as text."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from samverkan.lib.spreadsheets import csv_cell, csv_row, inert, xlsx_append

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
