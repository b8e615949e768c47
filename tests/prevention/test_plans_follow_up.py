"""The follow-up: the indicator's movement in plain words, the report per problem (page,
PDF, CSV for Swedish Excel, XLSX — each parsed back), its audit, and the residents'
top measures (public, decided, of the area's district or municipality)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from samverkan.audit.models import AuditEvent
from samverkan.prevention.models import Measure, MeasureStatus
from samverkan.prevention.selectors.plans import movement, public_measures_for_area
from samverkan.prevention.services import plans as services
from tests.prevention.plan_world import END, START, TODAY, build_plan_world, decide, jarva_plan, measure_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_plan_world()


def _progress(world, measure, value, *, status=MeasureStatus.ONGOING, note="", persona="jarva_coord", on=TODAY):
    measure = Measure.objects.select_related("plan").get(pk=measure.pk)
    return services.progress_record(actor=world[persona], access=world.access(persona), measure=measure,
                                    recorded_on=on, status=status, note=note, indicator_value=value)


@pytest.mark.parametrize(("value", "words"), [
    (None, "No value recorded yet"),
    ("40", "Not moved from the baseline yet"),
    ("38", "A small step toward the target"),
    ("35", "About a quarter of the way to the target"),
    ("33", "About a third of the way to the target"),
    ("30", "Halfway to the target"),
    ("27", "About two thirds of the way to the target"),
    ("25", "About three quarters of the way to the target"),
    ("21", "Almost at the target"),
    ("20", "The target is reached"),
    ("15", "The target is reached"),
    ("45", "Moved away from the target"),
])
def test_the_indicator_s_movement_in_plain_words(value, words):
    measure = Measure(baseline=Decimal("40"), target=Decimal("20"))  # a decrease is the aim
    assert movement(measure, Decimal(value) if value else None).words == words


def test_an_increasing_target_reads_the_same_way():
    measure = Measure(baseline=Decimal("60"), target=Decimal("80"))  # per cent who feel safe
    assert movement(measure, Decimal("70")).words == "Halfway to the target"
    assert movement(measure, Decimal("70")).percent == 50
    assert movement(measure, Decimal("55")).words == "Moved away from the target"


@pytest.fixture
def followed(world):
    """A decided plan: one measure halfway (two follow-ups), one that moved away, one not
    followed up; the second problem has none."""
    plan = jarva_plan(world, measures=0)
    actor, access = world["jarva_coord"], world.access("jarva_coord")
    halfway = services.measure_save(actor=actor, access=access, plan=plan, data=measure_data(
        world, title="Patruller på torget", indicator="Incidenter per månad", baseline=Decimal("40"),
        target=Decimal("20")))
    away = services.measure_save(actor=actor, access=access, plan=plan, data=measure_data(
        world, title="Fältassistenter", org="jarva", indicator="Andel trygga", indicator_unit="%",
        baseline=Decimal("60.5"), target=Decimal("80"), public=False, public_summary=""))
    services.measure_save(actor=actor, access=access, plan=plan, data=measure_data(world, title="=Kameror"))
    plan = decide(world, plan)
    _progress(world, halfway, Decimal("35"), note="Två kvällar i veckan", on=TODAY.replace(day=1))
    _progress(world, halfway, Decimal("30"), note="=HYPERLINK(\"http://x\") fyra kvällar i veckan")
    _progress(world, away, Decimal("55.25"), status=MeasureStatus.DELAYED, note="Rekrytering försenad")
    return plan


def test_the_follow_up_page_shows_per_problem_what_was_done_and_how_the_indicator_moved(world, login, followed):
    body = login(world["jarva_staff"]).get(reverse("prevention:plan_follow_up", args=[followed.pk])).content.decode()
    drugs, vandalism = body.index("Öppen narkotikahandel"), body.index("Skadegörelse i trapphus")
    assert drugs < body.index("Patruller på torget") < vandalism
    # What was done, every follow-up in order.
    assert body.index("Två kvällar i veckan") < body.index("fyra kvällar i veckan") < body.index("Fältassistenter")
    assert "Halfway to the target" in body and "Moved away from the target" in body
    assert "No value recorded yet" in body
    assert body.index("No measure addresses this problem.") > vandalism
    assert "Delayed" in body


def _download(world, login, plan, fmt):
    response = login(world["jarva_staff"]).get(reverse(f"prevention:plan_follow_up_{fmt}", args=[plan.pk]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    return response.content


def test_the_csv_is_for_swedish_excel_and_reads_back(world, login, followed):
    content = _download(world, login, followed, "csv")
    assert content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    header = rows[1]
    assert header[0] == "Problem" and header[-1] == "How the indicator moved"
    by_title = {r[1]: dict(zip(header, r, strict=True)) for r in rows[2:]}
    patrol = by_title["Patruller på torget"]
    assert (patrol["Baseline"], patrol["Latest value"], patrol["Target"]) == ("40,00", "30,00", "20,00")
    assert patrol["Share of the way (%)"] == "50"
    assert patrol["What was done"].splitlines() == [
        f"{TODAY.replace(day=1):%Y-%m-%d}: Två kvällar i veckan",
        f'{TODAY:%Y-%m-%d}: =HYPERLINK("http://x") fyra kvällar i veckan']
    assert "'=Kameror" in by_title  # typed text is never a formula
    assert by_title["Fältassistenter"]["Latest value"] == "55,25"
    assert by_title["Fältassistenter"]["How the indicator moved"] == "Moved away from the target"
    assert "No measure addresses this problem." in by_title
    assert AuditEvent.objects.filter(action="prevention.plan_follow_up_exported", subject_id=str(followed.pk)).count() == 1


def test_the_xlsx_keeps_numbers_as_numbers_and_reads_back(world, login, followed):
    book = load_workbook(io.BytesIO(_download(world, login, followed, "xlsx")))
    sheet = book.active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[1]
    patrol = dict(zip(header, next(r for r in rows if r[1] == "Patruller på torget"), strict=True))
    assert patrol["Latest value"] == 30 and patrol["Baseline"] == 40 and patrol["Share of the way (%)"] == 50
    assert patrol["What was done"].endswith('=HYPERLINK("http://x") fyra kvällar i veckan')
    assert any(r[1] == "'=Kameror" for r in rows)
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_the_pdf_renders_the_report(world, login, followed):
    content = _download(world, login, followed, "pdf")
    assert content.startswith(b"%PDF")
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())
    assert "1. Öppen narkotikahandel vid torget Patruller på torget – Lokalpolisområde Rinkeby" in text
    assert "latest value 30.00. Halfway to the target" in text
    assert "2. Skadegörelse i trapphus No measure addresses this problem." in text


def test_exports_outside_the_scope_are_not_found(world, login, followed):
    client = login(world["skarholmen_coord"])
    for fmt in ("pdf", "csv", "xlsx"):
        assert client.get(reverse(f"prevention:plan_follow_up_{fmt}", args=[followed.pk])).status_code == 404
    assert not AuditEvent.objects.filter(action="prevention.plan_follow_up_exported").exists()


def test_residents_see_the_top_public_measures_of_decided_plans_covering_the_area(world, followed):
    husby, bredang = world.local.areas["husby"], world.local.areas["bredang"]
    top = public_measures_for_area(husby)
    assert [m.summary for m in top] == ["Polisen är oftare på torget på kvällarna."] * 2  # the two public ones
    assert {m.status for m in top} == {MeasureStatus.ONGOING, MeasureStatus.PLANNED}
    assert top[0].status_label == "Ongoing" and top[0].updated_on == TODAY  # same problem and scope: in the plan's order
    assert public_measures_for_area(bredang) == []  # another district
    assert len(public_measures_for_area(husby, limit=1)) == 1
    # A draft plan's measures are not shown, nor a municipality plan's until decided.
    city = services.plan_create(actor=world["city_coord"], access=world.access("city_coord"),
                                situation_report=world.city_report, title="Stadens plan", period_start=START,
                                period_end=END)
    services.measure_save(actor=world["city_coord"], access=world.access("city_coord"), plan=city, data=measure_data(
        world, problem="city", public_summary="Bättre belysning i centrum."))
    assert "Bättre belysning i centrum." not in [m.summary for m in public_measures_for_area(bredang)]
    decide(world, city, persona="city_coord")
    assert [m.summary for m in public_measures_for_area(bredang)] == ["Bättre belysning i centrum."]


def test_the_chart_is_an_image_with_words_and_prints_typed_text_as_text():
    from datetime import date

    from samverkan.prevention.charts import Point, indicator_chart

    svg = indicator_chart(title="<script>alert(1)</script> över tid", description="Från 40 mot 20. Halvvägs.",
                          baseline=Decimal("40"), target=Decimal("20"), start=date(2026, 1, 1),
                          points=[Point(on=date(2026, 3, 1), value=Decimal("35")),
                                  Point(on=date(2026, 6, 1), value=Decimal("30"))])
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "Från 40 mot 20. Halvvägs." in svg
    assert svg.count("<circle") == 2 and svg.count("<line") == 2  # the values; the baseline and the target
    empty = indicator_chart(title="t", description="d", baseline=Decimal("1"), target=Decimal("2"),
                            start=date(2026, 1, 1), points=[])
    assert "<polyline" not in empty and empty.count("<line") == 2
