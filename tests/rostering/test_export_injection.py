"""Roster exports neutralise spreadsheet formulas in every text cell (names of experts
and groups are typed by users): CSV and XLSX, including leading spaces, tabs and line
breaks, and the XLSX title row. Before the fix the XLSX export stored "=..." as a live
formula and the CSV missed tabs and leading spaces."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from samverkan.lib.spreadsheets import inert
from samverkan.rostering import exports

EVIL = ["=HYPERLINK(\"http://x\",\"y\")", " =1+1", "\t=2+2", "+SUM(A1)", "-3+3", "@SUM(1)", "\r=1"]


def _row(name: str) -> list[str]:
    return ["s1", "grp", "D", "2026-01-01 06:00", "2026-01-01 14:00", "tull", "e1", name]


def test_csv_neutralises_every_formula_start():
    body = exports.to_csv([_row(v) for v in EVIL]).decode("utf-8-sig")
    names = [r[7] for r in list(csv.reader(io.StringIO(body), delimiter=";"))[1:]]
    assert names == ["'" + v for v in EVIL]
    assert inert("Anna Testsson") == "Anna Testsson"


def test_xlsx_stores_no_formula():
    body = exports.to_xlsx([_row(v) for v in EVIL], title="=cmd|' /C calc'!A0")
    ws = load_workbook(io.BytesIO(body)).active
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type != "f" for c in cells), [c.value for c in cells if c.data_type == "f"]
    assert ws["A1"].value.startswith("'=")
    names = [ws.cell(row=3 + i, column=8).value for i in range(len(EVIL))]
    assert all(n.startswith("'") for n in names), names  # (XLSX stores \r as \n)
