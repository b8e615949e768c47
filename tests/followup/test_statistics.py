"""Follow-up statistics: managers see suppressed counts of their own organisation's
cases; caseworkers get 403; another district's manager sees nothing of Järva; exports
hold only suppressed values; every view and export is audited."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime, timedelta

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
def make_cases():
    """Return a function that creates ``n`` fictitious cases of one kind."""
    serial = iter(range(100, 999))
    now = timezone.now()

    def cases(org, district_code, programme_code, status, n, outcome=None, days=200, received=None, closed=None):
        programme = Programme.objects.get(code=programme_code)
        district = District.objects.get(code=district_code)
        closer = UserFactory(organisation=org, roles=["manager"]) if outcome else None
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
                closed_at=(closed or now) if status == "closed" else None,
            )
            if outcome:
                Closure.objects.create(
                    case=case, outcome=outcome, closed_by=closer, recorded_by_organisation=org
                )
            made.append(case)
        return made

    return cases


@pytest.fixture
def world(make_cases):
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
    cases = make_cases
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
    # The charts are images with a text alternative; the tables are the full alternative.
    assert '<img class="sv-chart"' in body and 'alt="Intakes per programme. ' in body
    assert 'scope="row"' in body and "<caption" in body
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
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
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
    every = client.get("/statistik/").content.decode()
    assert ">35<" in every  # intakes over all years: 29 live cases and the 6 purged ones
    assert '<option value="2019"' in every
    body = client.get("/statistik/?ar=2019").content.decode()
    assert "Skärholmen" not in body
    # The six purged cases are counted in 2019, though not shown as "6": over all years
    # SIG unga vuxna's closed cases are hidden, and 2019 is the only year with any, so a
    # 6 here would give that away (see test_linked_suppression).
    assert set(_table_cells(body)) - {"0", "–"}
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
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
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


# --- linked tables: what pages and exports of different years give away together ---------


@pytest.fixture
def leak_world(make_cases):
    """The issue's case: Järva, SIG unga vuxna, active: 2 received in 2025, 7 in 2026."""
    reference_data_load()
    programmes.load()
    jarva = Organisation.objects.get(short_code="sdf-jarva")
    make_cases(jarva, "jarva", "sig-unga-jarva", "active", 12, received=date(2025, 3, 1))
    make_cases(jarva, "jarva", "sig-unga-jarva", "active", 10, received=date(2026, 2, 1))
    make_cases(jarva, "jarva", "sig-unga-vuxna-jarva", "active", 2, received=date(2025, 3, 1))
    make_cases(jarva, "jarva", "sig-unga-vuxna-jarva", "active", 7, received=date(2026, 2, 1))
    return {"jarva": jarva, "manager": UserFactory(organisation=jarva, roles=["manager"])}


def _row(body: str, label: str) -> list[str]:
    """The numeric cells of the first table row headed ``label`` (the intake table)."""
    row = body.split(f'<th scope="row" class="govuk-table__header">{label}</th>', 1)[1].split("</tr>", 1)[0]
    return [v.replace("&lt;", "<") for v in re.findall(r'govuk-table__cell--numeric">([^<]*)<', row)]


def test_all_years_minus_a_year_gives_no_hidden_count_away(leak_world, logged_in):
    """Before: all years 9, 2026 7, so the "<5" of 2025 was 2 — on the pages and in the
    exports alike."""
    client = logged_in(leak_world["manager"])
    active = 1  # awaiting decision, active, declined, closed, total
    shown = {}
    for query in ("", "?ar=2025", "?ar=2026"):
        body = client.get(f"/statistik/{query}").content.decode()
        shown[query] = _row(body, "SIG unga vuxna – Järva")[active]
        rows = list(csv.reader(io.StringIO(client.get(f"/statistik/export.csv{query}").content.decode("utf-8-sig")), delimiter=";"))
        exported = next(r for r in rows if r and r[0] == "SIG unga vuxna – Järva")
        assert exported[1 + active] == shown[query]
    assert shown["?ar=2025"] == "<5"
    every, later = shown[""], shown["?ar=2026"]
    assert not (every.isdigit() and later.isdigit()), f"all years {every} minus 2026 {later} gives 2025 away"


def test_no_filter_a_manager_can_request_gives_a_hidden_count_away(leak_world, make_cases):
    """Every year the page accepts and all years, every table, checked together by the
    independent checker of test_linked_suppression (exact, over single cases)."""
    from collections import Counter

    from samverkan.cases.models import ClosureOutcome
    from samverkan.followup.family import requestable_years
    from samverkan.followup.selectors import statistics_for
    from tests.followup.test_linked_suppression import Pred, Published, assert_nothing_derivable, case_kinds

    jarva = leak_world["jarva"]
    make_cases(jarva, "jarva", "sig-unga-jarva", "closed", 6, outcome="plan_completed", received=date(2025, 5, 1))
    make_cases(jarva, "jarva", "sig-unga-jarva", "closed", 3, outcome="moved", received=date(2025, 6, 1),
               closed=timezone.make_aware(datetime(2025, 11, 1, 12)))
    make_cases(jarva, "jarva", "sig-unga-vuxna-jarva", "intake", 3, received=date(2026, 4, 1))
    programmes_by_name = dict(Programme.objects.values_list("name", "code"))
    outcomes = tuple(ClosureOutcome.values)
    published = Published()
    years_with_cases = set()
    for year in [None, *requestable_years()]:
        stats = statistics_for(actor=leak_world["manager"], year=year)
        tables = {t.key: t for t in stats.tables}
        codes = [programmes_by_name[label] for label in tables["intakes"].row_labels]
        for key, columns in (("intakes", ("intake", "active", "declined", "closed")), ("outcomes", outcomes)):
            t = tables[key].table
            displays = {c.display for row in t.cells for c in row} | {t.grand_total.display}
            if year is not None and displays == {"0"}:
                continue  # nothing in that year: zeros (checked by the model's kinds below)
            years_with_cases.add(year)
            for r in range(len(codes)):
                for c, column in enumerate(columns):
                    published.cells.append((Pred(key, year, r, column), t.cells[r][c].display))
                published.cells.append((Pred(key, year, r, None), t.row_totals[r].display))
            for c, column in enumerate(columns):
                published.cells.append((Pred(key, year, None, column), t.col_totals[c].display))
            published.cells.append((Pred(key, year, None, None), t.grand_total.display))
        for r, (cell,) in enumerate(tables["time"].table.cells):
            published.cells.append((Pred("outcomes", year, r, None), cell.display))
    for y in stats.years:
        published.at_least_one.append(Pred("intakes", y, None, None))
    truth = Counter()
    for case in Case.objects.filter(lead_organisation=jarva).select_related("programme", "closure"):
        closed = timezone.localtime(case.closed_at).year if case.closed_at else None
        outcome = case.closure.outcome if case.status == "closed" else ""
        truth[(codes.index(case.programme.code), case.status, case.received_on.year, closed, outcome)] += 1
    years = sorted({k[2] for k in truth} | {k[3] for k in truth if k[3]})
    assert years_with_cases - {None} == set(years)
    assert assert_nothing_derivable(case_kinds(len(codes), years, outcomes), truth, published) > 0


def _flat_displays(values) -> list[str]:
    shown = re.compile(r"^(\d+|<5|×|–|\d+ %)$")
    return [str(v) for v in values if v is not None and shown.match(str(v))]


def test_exports_publish_exactly_what_the_page_shows(leak_world, logged_in):
    from openpyxl import load_workbook

    client = logged_in(leak_world["manager"])
    for query in ("", "?ar=2025", "?ar=2026", "?ar=2024"):
        page = [v.replace("&lt;", "<") for v in _table_cells(client.get(f"/statistik/{query}").content.decode())]
        rows = list(csv.reader(io.StringIO(client.get(f"/statistik/export.csv{query}").content.decode("utf-8-sig")), delimiter=";"))
        in_csv = _flat_displays(v for row in rows[1:] for v in row[1:])  # after organisation and year
        book = load_workbook(io.BytesIO(client.get(f"/statistik/export.xlsx{query}").content))
        in_xlsx = _flat_displays(
            v for sheet in book.worksheets for row in sheet.iter_rows(min_row=3, values_only=True) for v in row[1:]
        )
        assert page == in_csv == in_xlsx, query
        assert ("<5" in page) == (query == "?ar=2025"), (query, page)


def test_protection_is_decided_once_per_data_snapshot(leak_world, make_cases, monkeypatch):
    """The page and its exports read the hidden cells from the cache; a change of the
    counts gives a new snapshot (a new key), decided afresh. The cache holds no count."""
    from django.core.cache import cache

    from samverkan.followup import selectors
    from samverkan.followup.selectors import protection

    cache.clear()
    decided, stored = [], {}
    real, real_set = protection.protect, cache.set
    monkeypatch.setattr(protection, "protect", lambda family: decided.append(family) or real(family))
    monkeypatch.setattr(cache, "set", lambda key, value, timeout: stored.update({key: value}) or real_set(key, value, timeout))
    manager = leak_world["manager"]
    for year in (None, 2025, 2026, None):
        selectors.statistics_for(actor=manager, year=year)
    assert len(decided) == 2  # the case tables and the commitment tables, once each
    make_cases(leak_world["jarva"], "jarva", "sig-unga-jarva", "declined", 1, received=date(2026, 5, 1))
    selectors.statistics_for(actor=manager, year=2026)
    assert len(decided) == 3  # the cases changed; the (empty) commitments did not
    assert len(stored) == 3 and all(key.startswith("followup:protected:") for key in stored)
    for hidden in stored.values():
        assert set(hidden.values()) <= {"primary", "secondary"}  # which cells, never a count


def test_commitments_all_years_minus_a_year_gives_no_hidden_count_away(leak_world):
    """The same leak in the commitment table (by year due): the police's 2 done on time
    in 2025 were 9 over all years minus 7 in 2026."""
    from samverkan.followup.selectors import statistics_for
    from samverkan.plans.models import Commitment
    from samverkan.plans.services import plan_get_or_create

    case = Case.objects.filter(lead_organisation=leak_world["jarva"]).first()
    plan = plan_get_or_create(case=case)
    police = Organisation.objects.get(short_code="lpo-rinkeby")
    people = {leak_world["jarva"]: leak_world["manager"], police: UserFactory(organisation=police)}
    for org, year, n in ((police, 2025, 2), (police, 2026, 7), (leak_world["jarva"], 2025, 12), (leak_world["jarva"], 2026, 10)):
        for _ in range(n):
            Commitment.objects.create(
                plan=plan, case=case, description="Läxhjälp", organisation=org, responsible=people[org],
                due_on=date(year, 6, 1), status="done", completed_on=date(year, 5, 1),
                recorded_by_organisation=leak_world["jarva"], category="plan", created_by=leak_world["manager"],
            )
    tables = {
        year: next(t for t in statistics_for(actor=leak_world["manager"], year=year).tables if t.key == "commitments")
        for year in (None, 2025, 2026, 2024)
    }
    shown = {year: t.table.cells[t.row_labels.index(police.name)][0].display for year, t in tables.items() if year != 2024}
    assert shown[2025] == "<5"
    assert not (shown[None].isdigit() and shown[2026].isdigit()), shown
    # Both organisations are rows in every year (0 where they have none), so that being
    # listed says nothing about a year.
    assert tables[2024].row_labels == tables[None].row_labels and len(tables[2024].row_labels) == 2
    assert {c.display for row in tables[2024].table.cells for c in row} == {"0"}
