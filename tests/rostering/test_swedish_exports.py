"""The roster's downloads and its week table in Swedish (the default language): the CSV
opens in a Swedish Excel (semicolons, UTF-8 with a byte-order mark) with readable
headers and names, never ids or slugs; the XLSX has the same headers; the PDF holds every
week of the period with every Swedish day name; the week table writes dates the Swedish
way ("28 december", not "28 Dec")."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format

from samverkan.rostering.services import rosters as roster_services
from samverkan.rostering.services import rules as rule_services
from tests.actiongroups.helpers import make_experts, make_group
from tests.documents import pdf_text

pytestmark = pytest.mark.django_db

SWEDISH_DAYS = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")
SWEDISH_HEADERS = ["Datum", "Dag", "Pass", "Startar", "Slutar", "Grupp", "Myndighet", "Expert"]


@pytest.fixture
def roster(personas, reference, settings):
    """A published two-week roster of Husby, with Swedish the language in force."""
    settings.LANGUAGE_CODE = "sv"
    coord = personas["city_coord"]
    group = make_group(coord, positions={"tullverket": 1})
    rule_services.pattern_set(actor=coord, group=group, kind="2x12")
    make_experts(reference["tullverket"], group, 6)
    monday = timezone.localdate() - dt.timedelta(days=timezone.localdate().weekday())
    plan = roster_services.plan_get_or_create(actor=coord, group=group, period_start=monday, weeks=2)
    version = roster_services.solve_plan(plan=plan, time_limit_s=4)
    assert version.violations == [] and version.assignments.exists(), version.explanation
    return roster_services.version_publish(actor=coord, version=version)


def test_the_csv_opens_in_swedish_excel_with_readable_headers(roster, personas, logged_in):
    body = logged_in(personas["city_coord"]).get(f"/bemanning/versioner/{roster.pk}/export/csv/").content
    assert body.startswith("\ufeff".encode())  # UTF-8 with a byte-order mark
    text = body.decode("utf-8-sig")
    assert "\r\n" in text
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == SWEDISH_HEADERS
    assert len(rows) - 1 == roster.assignments.count()
    assert all(len(row) == len(SWEDISH_HEADERS) for row in rows)
    for date, day, code, starts, ends, group, agency, expert in rows[1:]:
        on = dt.date.fromisoformat(date)  # a date Excel reads as one
        with translation.override("sv"):
            assert day == date_format(on, "l") and day.lower() in SWEDISH_DAYS
        assert re.fullmatch(r"\d\d:\d\d", starts) and re.fullmatch(r"\d\d:\d\d", ends)
        assert code in ("D", "N") and group == "Husby" and agency == "Tullverket"
        assert expert.endswith("Testsson")
    cells = {cell for row in rows[1:] for cell in row}
    # Names, not ids or slugs.
    assert "tullverket" not in cells and not any(re.fullmatch(r"e\d+", c) for c in cells)
    assert not any(a.shift_id in cells for a in roster.assignments.all())


def test_the_xlsx_has_the_same_swedish_headers(roster, personas, logged_in):
    from openpyxl import load_workbook

    body = logged_in(personas["city_coord"]).get(f"/bemanning/versioner/{roster.pk}/export/xlsx/").content
    sheet = load_workbook(io.BytesIO(body)).active
    assert [c.value for c in sheet[2]] == SWEDISH_HEADERS
    assert isinstance(sheet["A3"].value, dt.datetime | dt.date)  # a date, not text
    assert sheet["G3"].value == "Tullverket"


def test_the_pdf_holds_every_week_with_every_swedish_day(roster, personas, logged_in):
    response = logged_in(personas["city_coord"]).get(f"/bemanning/versioner/{roster.pk}/export/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    first = roster.plan.period_start
    for week in range(roster.plan.weeks):
        number = (first + dt.timedelta(days=7 * week)).isocalendar().week
        assert f"Vecka {number}" in text, number
    for day in SWEDISH_DAYS:
        assert text.lower().count(day) >= roster.plan.weeks, day  # in every week's head
    last = first + dt.timedelta(days=roster.plan.days - 1)
    with translation.override("sv"):
        assert date_format(last, "j F") in text  # the last day of the period is printed
    assert "Mon" not in text and "Tue" not in text


def test_the_week_table_writes_swedish_dates(roster, personas, logged_in):
    html = logged_in(personas["city_coord"]).get(f"/bemanning/versioner/{roster.pk}/?vecka=2").content.decode()
    first = roster.plan.period_start + dt.timedelta(days=7)
    with translation.override("sv"):
        for offset in range(7):
            day = first + dt.timedelta(days=offset)
            assert f"{date_format(day, 'D')}<br>{date_format(day, 'j F')}" in html
    months = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
    assert not re.search(rf"<br>\d+ ({months})<", html)  # no English month abbreviations


def test_the_capacity_memo_writes_swedish_decimals(personas, reference, logged_in, settings):
    from samverkan.directory.models import Area

    settings.LANGUAGE_CODE = "sv"
    query = {"areas": [Area.objects.get(code="husby").pk], "positions": "2", "pattern": "2x12",
             "absence": "20", "weekly_hours": "40", "cost_tullverket": "900000"}
    pdf = logged_in(personas["city_coord"]).get("/bemanning/kapacitet/export/pdf/", query)
    text = pdf_text(pdf.content)
    # 2 positions round the clock at 40 hours a week: 8.4 full-time employees per area.
    assert "8,4" in text and "8.4" not in text
    assert "900\xa0000" in text or "900 000" in text  # kronor grouped the Swedish way
