"""Follow-up statistics: managers see suppressed counts of their own organisation's
cases; caseworkers get 403; another district's manager sees nothing of Järva; exports
hold only suppressed values; every view and export is audited."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from samverkan.audit.models import AuditEvent
from samverkan.cases import reference as programmes
from samverkan.cases.models import Case, Closure, Programme
from samverkan.directory.models import District, Organisation
from samverkan.directory.services import reference_data_load
from samverkan.lib.identity_numbers import make_fictitious
from samverkan.people.models import Person
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SMALL = {"1", "2", "3", "4"}


@pytest.fixture
def world():
    reference_data_load()
    programmes.load()
    jarva = Organisation.objects.get(short_code="sdf-jarva")
    skarholmen = Organisation.objects.get(short_code="sdf-skarholmen")
    police = Organisation.objects.get(short_code="lpo-rinkeby")
    w = {
        "jarva": jarva,
        "skarholmen": skarholmen,
        "police": police,
        "manager": UserFactory(organisation=jarva, roles=["manager"]),
        "caseworker": UserFactory(organisation=jarva, roles=["caseworker"]),
        "other_manager": UserFactory(organisation=skarholmen, roles=["manager"]),
        "police_manager": UserFactory(organisation=police, roles=["manager"]),
    }
    serial = iter(range(100, 999))
    now = timezone.now()

    def cases(org, district_code, programme_code, status, n, outcome=None, days=200, received=None):
        programme = Programme.objects.get(code=programme_code)
        district = District.objects.get(code=district_code)
        made = []
        for _ in range(n):
            person = Person.objects.create(
                identity_number=make_fictitious(date(2010, 5, 5), next(serial)),
                identity_kind="personnummer",
                first_name="Test",
                last_name="Testsson",
                birth_date=date(2010, 5, 5),
                is_fictitious=True,
            )
            case = Case.objects.create(
                programme=programme,
                person=person,
                lead_organisation=org,
                district=district,
                status=status,
                intake_source="police",
                received_on=received or date(2025, 3, 1),
                last_entry_at=now,
                decided_at=now - timedelta(days=days) if status != "intake" else None,
                closed_at=now if status == "closed" else None,
            )
            if outcome:
                Closure.objects.create(
                    case=case, outcome=outcome, closed_by=w["manager"], recorded_by_organisation=org
                )
            made.append(case)
        return made

    cases(jarva, "jarva", "sig-unga-jarva", "active", 12)
    cases(jarva, "jarva", "sig-unga-jarva", "intake", 3)
    cases(jarva, "jarva", "sig-unga-jarva", "closed", 5, outcome="plan_completed", days=100)
    cases(jarva, "jarva", "sig-unga-jarva", "closed", 2, outcome="moved", days=300)
    cases(jarva, "jarva", "sig-unga-vuxna-jarva", "active", 6)
    cases(jarva, "jarva", "sig-unga-jarva", "declined", 1)
    cases(skarholmen, "skarholmen", "sig-unga-skarholmen", "active", 9, received=date(2024, 6, 1))
    w["jarva_cases"] = list(Case.objects.filter(lead_organisation=jarva))
    return w


def _table_cells(body: str) -> list[str]:
    return re.findall(r'govuk-table__cell--numeric">([^<]*)<', body)


def test_manager_sees_suppressed_counts_and_is_audited(world, logged_in):
    client = logged_in(world["manager"])
    response = client.get("/statistik/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "SIG unga – Järva" in body and "Skärholmen" not in body
    cells = _table_cells(body)
    assert "12" in cells and "&lt;5" in cells
    assert not SMALL & set(cells), "a count from 1 to 4 was shown"
    assert (
        'role="img"' in body and "<title" in body and 'scope="row"' in body and "<caption" in body
    )
    # the median (100 days for 5, 300 for 2 -> 100) is shown for 7 closed cases
    assert ">100<" in body
    event = AuditEvent.objects.filter(action="statistics.viewed").get()
    assert (
        event.actor_id == world["manager"].pk and event.subject_organisation_id == world["jarva"].pk
    )


def test_caseworker_gets_403(world, logged_in):
    client = logged_in(world["caseworker"])
    for url in ("/statistik/", "/statistik/export.csv", "/statistik/export.xlsx"):
        assert client.get(url).status_code == 403
    assert not AuditEvent.objects.filter(action__startswith="statistics.").exists()


def test_other_districts_manager_sees_nothing_of_jarva(world, logged_in):
    client = logged_in(world["other_manager"])
    body = client.get("/statistik/").content.decode()
    assert "Järva" not in body
    assert "Skärholmen" in body and ">9<" in body
    csv_text = client.get("/statistik/export.csv").content.decode("utf-8-sig")
    assert "Järva" not in csv_text
    # an organisation that leads nothing sees empty tables, never someone else's counts
    police = logged_in(world["police_manager"])
    cells = _table_cells(police.get("/statistik/").content.decode())
    assert set(cells) <= {"0", "–"}


def test_year_filter(world, logged_in):
    client = logged_in(world["other_manager"])
    assert ">9<" in client.get("/statistik/?ar=2024").content.decode()
    assert ">9<" not in client.get("/statistik/?ar=2025").content.decode()


def _assert_no_small_numbers(rows):
    for row in rows:
        for value in row[1:]:
            text = "" if value is None else str(value).strip()
            assert text not in SMALL, row


def test_exports_hold_only_suppressed_values(world, logged_in):
    client = logged_in(world["manager"])
    response = client.get("/statistik/export.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    _assert_no_small_numbers(rows[1:])
    flat = [v for row in rows for v in row]
    assert "<5" in flat and "12" in flat
    response = client.get("/statistik/export.xlsx")
    assert response.status_code == 200
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(response.content))
    seen = []
    for sheet in book.worksheets:
        data = [list(r) for r in sheet.iter_rows(min_row=3, values_only=True)]
        _assert_no_small_numbers(data)
        seen += [v for r in data for v in r]
    assert 12 in seen and "<5" in seen
    formats = [e.detail for e in AuditEvent.objects.filter(action="statistics.exported")]
    assert any('"format":"csv"' in d for d in formats) and any(
        '"format":"xlsx"' in d for d in formats
    )


def test_purged_case_statistics_are_included(world, logged_in):
    from samverkan.dataprotection.models import PurgedCaseStat

    for _ in range(6):
        PurgedCaseStat.objects.create(
            programme_code="sig-unga-vuxna-jarva",
            lead_organisation_code="sdf-jarva",
            district_code="jarva",
            intake_source="police",
            final_status="closed",
            outcome_code="plan_completed",
            year_opened=2019,
            year_closed=2020,
            months_in_programme=8,
            year_purged=2025,
        )
    PurgedCaseStat.objects.create(
        programme_code="sig-unga-skarholmen",
        lead_organisation_code="sdf-skarholmen",
        district_code="skarholmen",
        intake_source="police",
        final_status="closed",
        outcome_code="moved",
        year_opened=2019,
        year_closed=2020,
        months_in_programme=8,
        year_purged=2025,
    )
    client = logged_in(world["manager"])
    body = client.get("/statistik/?ar=2019").content.decode()
    assert ">6<" in body and "Skärholmen" not in body
    assert "purged" in body or "gallra" in body


def test_selector_never_returns_raw_small_counts(world):
    from samverkan.followup.selectors import statistics_for

    stats = statistics_for(actor=world["manager"])
    for table in stats.tables:
        for _label, cells, total, _extra in table.rows():
            assert not SMALL & {*cells, total}
        cols, grand = table.total_row()
        assert not SMALL & {*cols, grand}
    # a user without the permission gets nothing at all
    empty = statistics_for(actor=world["caseworker"])
    assert all(set(cells) <= {"0"} for t in empty.tables for _l, cells, _t, _e in t.rows())


def test_exports_keep_hostile_labels_inert(world, logged_in):
    """Programme and organisation names are typed by admins: in the CSV and the XLSX no
    cell can start a formula, and numbers stay numbers."""
    from openpyxl import load_workbook

    from tests.documents import FORMULAS, assert_cell_inert

    Organisation.objects.filter(pk=world["jarva"].pk).update(name=FORMULAS[0])
    Programme.objects.filter(code__startswith="sig-unga").update(name=FORMULAS[2])
    client = logged_in(world["manager"])
    body = client.get("/statistik/export.csv").content
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    flat = [v for row in rows for v in row]
    assert "'" + FORMULAS[0] in flat and any(v.startswith("'" + FORMULAS[2]) for v in flat)
    for value in flat:
        assert_cell_inert(value)
    book = load_workbook(io.BytesIO(client.get("/statistik/export.xlsx").content))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type != "f" for c in cells)
    assert any(c.data_type == "n" for c in cells)  # counts stay numbers
    for cell in cells:
        assert_cell_inert(cell.value)
