"""Names are printed, never interpreted, in every roster export and the capacity memo.

Before the fix an expert's last name ``<img src="/etc/hostname"/>`` made the PDF
renderer open a local file, ``<a href=...>`` printed a working link and ``Hedin <b>``
gave a 500; the PDF held one week only. Now: the roster PDF holds every week of the
period with the Swedish day names, prints the names as typed, links nothing and asks
for nothing but the print stylesheet; the CSV and XLSX cells are inert; the iCalendar
carries the names as text."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone

from samverkan.directory.models import Area, Organisation
from samverkan.rostering.models import Expert
from samverkan.rostering.services import rosters as roster_services
from samverkan.rostering.services import rules as rule_services
from tests.actiongroups.helpers import make_group
from tests.documents import (
    FORMULAS,
    HOSTILE_MARKUP,
    assert_cell_inert,
    assert_printed_literally,
    pdf_pages,
    pdf_text,
    spy_on_document_fetches,
)

pytestmark = pytest.mark.django_db

SWEDISH_DAYS = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")


@pytest.fixture
def hostile_roster(personas, reference):
    """A two-week roster of a group named like markup, staffed by experts whose first
    names are formulas and last names markup."""
    coord = personas["city_coord"]
    group = make_group(coord, name="Hedin <b> grupp", positions={"tullverket": 1})
    rule_services.pattern_set(actor=coord, group=group, kind="2x12")
    firsts = [*FORMULAS, "Anna"]
    lasts = [*HOSTILE_MARKUP, "Testsson", "Testsson", "Testsson"]
    experts = []
    for first, last in zip(firsts, lasts, strict=True):
        e = Expert.objects.create(
            agency=reference["tullverket"], first_name=first, last_name=last, is_demo=True
        )
        e.home_groups.add(group)
        experts.append(e)
    monday = timezone.localdate() - dt.timedelta(days=timezone.localdate().weekday())
    plan = roster_services.plan_get_or_create(actor=coord, group=group, period_start=monday, weeks=2)
    version = roster_services.solve_plan(plan=plan, time_limit_s=8)
    assert version.violations == [] and version.assignments.exists(), version.explanation
    version = roster_services.version_publish(actor=coord, version=version)
    assigned = set(version.assignments.values_list("expert_id", flat=True))
    return {"version": version, "experts": [e for e in experts if e.pk in assigned], "coord": coord}


def test_roster_pdf_prints_every_week_and_names_as_typed(
    hostile_roster, personas, logged_in, monkeypatch, settings
):
    settings.LANGUAGE_CODE = "sv"  # the default language (tests otherwise run in English)
    spy = spy_on_document_fetches(monkeypatch)
    version = hostile_roster["version"]
    response = logged_in(personas["city_coord"]).get(
        f"/bemanning/versioner/{version.pk}/export/pdf/"
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = response.content
    names = [e.display_name for e in hostile_roster["experts"]]
    assert any("<" in n for n in names), names  # the solver used a hostile name
    assert_printed_literally(pdf, [*names, "Hedin <b> grupp"])
    text = pdf_text(pdf)
    first = version.plan.period_start
    weeks = {first.isocalendar().week, (first + dt.timedelta(days=7)).isocalendar().week}
    for week in weeks:
        assert f"Vecka {week}" in text
    assert pdf_pages(pdf) >= 2  # one page a week
    for day in SWEDISH_DAYS:
        assert text.lower().count(day) >= 2, day  # in both weeks' heads
    spy.assert_only_static()


def test_roster_csv_and_xlsx_cells_are_inert(hostile_roster, personas, logged_in):
    from openpyxl import load_workbook

    client = logged_in(personas["city_coord"])
    version = hostile_roster["version"]
    body = client.get(f"/bemanning/versioner/{version.pk}/export/csv/").content
    assert body.startswith("\ufeff".encode())  # Excel's UTF-8 mark kept
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    names = {r[7] for r in rows[1:]}
    for expert in hostile_roster["experts"]:
        shown = expert.display_name
        assert shown in names or "'" + shown in names, shown
    for row in rows[1:]:
        for cell in row:
            assert_cell_inert(cell)
    xlsx = client.get(f"/bemanning/versioner/{version.pk}/export/xlsx/").content
    sheet = load_workbook(io.BytesIO(xlsx)).active
    cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type != "f" for c in cells)
    for cell in cells:
        assert_cell_inert(cell.value)
    assert "Hedin <b> grupp" in str(sheet["A1"].value)


def test_ical_carries_names_as_text(hostile_roster, personas, logged_in):
    from icalendar import Calendar

    expert = next(e for e in hostile_roster["experts"] if "<" in e.last_name)
    response = logged_in(personas["city_coord"]).get(
        f"/bemanning/experter/{expert.pk}/kalender/export/ical/"
    )
    assert response.status_code == 200
    cal = Calendar.from_ical(response.content)
    assert expert.display_name in str(cal["x-wr-calname"])
    summaries = [str(c["summary"]) for c in cal.walk() if c.name == "VEVENT"]
    assert summaries and all("Hedin <b> grupp" in s for s in summaries)


def test_capacity_memo_prints_area_and_agency_names_as_typed(
    personas, logged_in, reference, monkeypatch
):
    spy = spy_on_document_fetches(monkeypatch)
    area = Area.objects.get(code="husby")
    Area.objects.filter(pk=area.pk).update(name=HOSTILE_MARKUP[0])
    Organisation.objects.filter(short_code="tullverket").update(name=HOSTILE_MARKUP[1])
    Organisation.objects.filter(short_code="skatteverket").update(name=HOSTILE_MARKUP[2])
    client = logged_in(personas["city_coord"])
    response = client.get("/bemanning/kapacitet/export/pdf/", {
        "areas": [area.pk], "positions": "2", "pattern": "2x12", "absence": "15",
        "weekly_hours": "40",
    })
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert_printed_literally(response.content, HOSTILE_MARKUP)
    spy.assert_only_static()
