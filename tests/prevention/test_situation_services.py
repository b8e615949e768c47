"""The lägesbild's services: only a draft changes (a decided version is refused whatever
calls it), versions copy and replace, the app's own table is counted from WeekCount and
frozen, pasted rows are parsed with the Swedish decimal comma, stale versions are
refused, and problems_for offers only the problems of visible documents."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from samverkan.audit.models import AuditEvent
from samverkan.lib.concurrency import StaleEdit
from samverkan.picture.selectors.scope import local_access_for
from samverkan.prevention.forms.situation import TableForm, parse_number, parse_pasted
from samverkan.prevention.models import DocumentStatus, Measure, PreventionPlan, Problem, StatisticSource
from samverkan.prevention.selectors import situation as selectors
from samverkan.prevention.services import situation as services
from samverkan.prevention.services.situation import Row
from tests.picture.world import add_report, build_local_world
from tests.prevention.situation_helpers import fresh, start

pytestmark = pytest.mark.django_db
YESTERDAY = date.today() - timedelta(days=1)


@pytest.fixture
def world():
    return build_local_world()


def _access(world, persona="jarva_coord"):
    return local_access_for(world[persona])


def _decide(world, report, persona="jarva_coord", reference="SDN 2026/1"):
    return services.decide(actor=world[persona], access=_access(world, persona), report=fresh(report),
                           body="Järva stadsdelsnämnd", decided_on=YESTERDAY, reference=reference,
                           version=fresh(report).version)


def _fill(world, report):
    """A section, an entered table, a problem with an area, a dialogue, a participant."""
    user, access = world["jarva_coord"], _access(world)
    services.update_section(actor=user, access=access, report=report, section="analysis", text="Orsaker …",
                            version=report.version)
    services.table_add_imported(actor=user, access=access, report=report, version=report.version,
                                title="Anmälda brott", source="Polisen", year=2025, unit="brott", note="",
                                rows=[Row("Skadegörelse", 120, 100), Row("Rån", 12.5)])
    services.problem_save(actor=user, access=access, report=report, version=report.version, problem=None,
                          title="Öppen narkotikahandel", priority=1, description="Vid torget",
                          causes="Många orsaker", area_ids=[world.areas["husby"].pk])
    services.dialogue_save(actor=user, access=access, report=report, version=report.version, dialogue=None,
                           held_on=YESTERDAY, place="Husby träff", participants="ca 30 boende",
                           notes="Otrygghet vid torget på kvällarna.")
    services.set_participants(actor=user, access=access, report=report,
                              organisation_ids=[world.orgs["police_rinkeby"].pk], version=report.version)
    return fresh(report)


def test_a_new_draft_is_audited_and_numbered(world):
    report = start(world)
    assert (report.status, report.number, report.district_id) == (DocumentStatus.DRAFT, 1,
                                                                  world.districts["jarva"].pk)
    assert AuditEvent.objects.filter(action="prevention.situation_created", subject_id=str(report.pk)).exists()


def test_only_one_draft_per_scope_at_a_time(world):
    start(world)
    with pytest.raises(ValidationError):
        start(world)
    start(world, "city_coord", "m", title="Stockholm")  # another scope is free


def test_copy_needs_an_agreed_or_decided_version(world):
    with pytest.raises(ValidationError):
        start(world, copy=True)


def test_every_change_bumps_the_version_and_is_audited(world):
    report = _fill(world, start(world))
    assert report.version == 6
    assert AuditEvent.objects.filter(action="prevention.situation_changed", subject_id=str(report.pk)).count() == 5


def test_a_decided_version_is_immutable_in_the_services(world):
    report = _decide(world, _fill(world, start(world)))
    assert report.status == DocumentStatus.DECIDED
    user, access = world["jarva_coord"], _access(world)
    problem = report.problems.get()
    table = report.tables.get()
    attempts = [
        lambda: services.update_section(actor=user, access=access, report=report, section="summary", text="x",
                                        version=report.version),
        lambda: services.table_add_imported(actor=user, access=access, report=report, version=report.version,
                                            title="t", source="s", year=2025, unit="", note="", rows=[Row("a", 1)]),
        lambda: services.table_remove(actor=user, access=access, table=table, version=report.version),
        lambda: services.problem_remove(actor=user, access=access, problem=problem, version=report.version),
        lambda: services.set_participants(actor=user, access=access, report=report, organisation_ids=[],
                                          version=report.version),
        lambda: services.mark_agreed(actor=user, access=access, report=report, agreed_on=YESTERDAY,
                                     version=report.version),
        lambda: _decide(world, report),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError):
            attempt()
    assert fresh(report).summary == "" and report.tables.count() == 1 and report.problems.count() == 1


def test_a_stale_version_changes_nothing(world):
    report = start(world)
    user, access = world["jarva_coord"], _access(world)
    loaded = report.version
    services.update_section(actor=user, access=access, report=report, section="summary", text="first",
                            version=loaded)
    with pytest.raises(StaleEdit):
        services.update_section(actor=user, access=access, report=fresh(report), section="summary", text="second",
                                version=loaded)
    assert fresh(report).summary == "first"


def test_a_new_version_copies_everything_and_deciding_it_replaces_the_old(world):
    first = _decide(world, _fill(world, start(world)))
    second = start(world, copy=True, title="Järva 2027")
    assert second.previous_id == first.pk and second.number == 2 and second.status == DocumentStatus.DRAFT
    assert second.analysis == "Orsaker …"
    assert [t.rows for t in second.tables.all()] == [t.rows for t in first.tables.all()]
    problem = second.problems.get()
    assert problem.pk != first.problems.get().pk
    assert list(problem.areas.values_list("code", flat=True)) == ["husby"]
    assert second.dialogues.get().place == "Husby träff"
    assert list(second.participants.values_list("pk", flat=True)) == [world.orgs["police_rinkeby"].pk]
    # Changing the copy leaves the decided version as it was.
    services.update_section(actor=world["jarva_coord"], access=_access(world), report=second, section="analysis",
                            text="Ny analys", version=second.version)
    assert fresh(first).analysis == "Orsaker …"
    _decide(world, second, reference="SDN 2027/1")
    assert fresh(first).status == DocumentStatus.REPLACED
    assert fresh(second).status == DocumentStatus.DECIDED
    assert AuditEvent.objects.filter(action="prevention.situation_replaced", subject_id=str(first.pk)).exists()


def test_agreed_then_decided(world):
    report = start(world)
    user, access = world["jarva_coord"], _access(world)
    services.mark_agreed(actor=user, access=access, report=report, agreed_on=YESTERDAY, version=report.version)
    assert fresh(report).status == DocumentStatus.AGREED
    with pytest.raises(ValidationError):  # agreed is no longer a draft
        services.update_section(actor=user, access=access, report=report, section="summary", text="x",
                                version=report.version)
    _decide(world, report)
    report = fresh(report)
    assert (report.status, report.decided_by_body, report.decision_reference) == (
        DocumentStatus.DECIDED, "Järva stadsdelsnämnd", "SDN 2026/1")


def test_a_decision_needs_body_and_reference(world):
    report = start(world)
    with pytest.raises(ValidationError) as caught:
        services.decide(actor=world["jarva_coord"], access=_access(world), report=report, body=" ",
                        decided_on=YESTERDAY, reference="", version=report.version)
    assert set(caught.value.message_dict) == {"body", "reference"}
    assert fresh(report).status == DocumentStatus.DRAFT


@pytest.mark.parametrize("persona", ["police_rinkeby_lead", "skarholmen_coord", "jarva_staff", "tax"])
def test_others_may_not_change_jarvas_draft(world, persona):
    report = start(world)
    with pytest.raises(PermissionDenied):
        services.update_section(actor=world[persona], access=_access(world, persona), report=report,
                                section="summary", text="x", version=report.version)


def test_identity_numbers_are_refused(world):
    report = start(world)
    with pytest.raises(ValidationError) as caught:
        services.dialogue_save(actor=world["jarva_coord"], access=_access(world), report=report,
                               version=report.version, dialogue=None, held_on=YESTERDAY, place="Husby",
                               participants="", notes="Anmälare 19121212-1212 sa …")
    assert "notes" in caught.value.message_dict
    # A figure that is no valid identity number is fine.
    services.dialogue_save(actor=world["jarva_coord"], access=_access(world), report=report,
                           version=report.version, dialogue=None, held_on=YESTERDAY, place="Husby",
                           participants="", notes="Budget 2026: 1234567890 kr")


def test_problem_areas_must_be_the_documents(world):
    report = start(world)
    with pytest.raises(ValidationError):
        services.problem_save(actor=world["jarva_coord"], access=_access(world), report=report,
                              version=report.version, problem=None, title="x", priority=1, description="",
                              causes="", area_ids=[world.areas["bredang"].pk])


# --- the app's own table ------------------------------------------------------------------


def _at(year, month=3, day=10):
    return timezone.make_aware(datetime(year, month, day, 12))


def test_the_app_table_counts_the_documents_areas_and_freezes(world):
    for _ in range(3):
        add_report(world, "jarva_staff", "husby", "graffiti", when=_at(2025))
    add_report(world, "jarva_staff", "rinkeby-tensta", "graffiti", when=_at(2025, 6))
    add_report(world, "police_rinkeby", "husby", "vandalism", when=_at(2024))
    add_report(world, "association", "bredang", "graffiti", when=_at(2025))  # Skärholmen: not Järva's
    add_report(world, "jarva_staff", "husby", "graffiti", when=_at(2026))  # another year
    report = start(world)
    table = services.table_add_app(actor=world["jarva_coord"], access=_access(world), report=report,
                                   version=report.version, title="Händelser", year=2025)
    rows = {r["label"]: (r["value"], r["previous"]) for r in table.rows}
    assert rows == {world.categories["graffiti"].name_sv: (4, 0), world.categories["vandalism"].name_sv: (0, 1)}
    assert (table.source_kind, table.source, table.year) == (StatisticSource.APP, "Samverkan, lokal lägesbild", 2025)
    add_report(world, "jarva_staff", "husby", "graffiti", when=_at(2025, 9))
    table.refresh_from_db()
    assert dict((r["label"], r["value"]) for r in table.rows)[world.categories["graffiti"].name_sv] == 4


def test_the_city_table_counts_every_area_of_the_municipality(world):
    add_report(world, "jarva_staff", "husby", "graffiti", when=_at(2025))
    add_report(world, "association", "bredang", "graffiti", when=_at(2025))
    report = start(world, "city_coord", "m", title="Stockholm")
    table = services.table_add_app(actor=world["city_coord"], access=_access(world, "city_coord"), report=report,
                                   version=report.version, title="Händelser", year=2025)
    assert table.rows == [{"label": world.categories["graffiti"].name_sv, "value": 2, "previous": 0}]


def test_an_app_table_of_a_year_without_reports_is_refused(world):
    report = start(world)
    with pytest.raises(ValidationError):
        services.table_add_app(actor=world["jarva_coord"], access=_access(world), report=report,
                               version=report.version, title="Händelser", year=2019)


# --- pasted and typed rows --------------------------------------------------------------------


@pytest.mark.parametrize(("text", "number"), [
    ("1 234,5", 1234.5), ("1\u00a0234", 1234), ("12,50 %", 12.5), ("\u22123", -3), ("7", 7), ("0,25", 0.25),
    ("1.234,5", 1234.5), ("", None),
])
def test_swedish_numbers(text, number):
    assert parse_number(text) == number


@pytest.mark.parametrize("text", ["tolv", "1,2,3x", "NaN", "Infinity"])
def test_not_numbers(text):
    with pytest.raises(ValueError):
        parse_number(text)


def test_pasted_lines_from_swedish_excel():
    text = "Brottstyp;Antal;Föregående år\nSkadegörelse;1 234,5;1 100\r\n\nRån\t12\t\nBedrägeri;7"
    assert parse_pasted(text) == [Row("Skadegörelse", 1234.5, 1100), Row("Rån", 12, None), Row("Bedrägeri", 7)]


def test_a_bad_pasted_line_is_named():
    with pytest.raises(ValidationError) as caught:
        parse_pasted("Skadegörelse;12\nRån;många")
    assert caught.value.params == {"n": 2}


def test_the_row_editor_takes_typed_and_pasted_rows():
    data = {"version": "1", "title": "T", "source": "Polisen", "year": "2025", "unit": "", "note": "",
            "row_count": "3", "row_0_label": "Skadegörelse", "row_0_value": "1 200,5", "row_0_previous": "",
            "row_1_label": "", "row_1_value": "", "row_1_previous": "",
            "row_2_label": "Rån", "row_2_value": "tolv", "row_2_previous": "",
            "pasted": "Bedrägeri;7;6"}
    form = TableForm(data)
    assert not form.is_valid()
    assert "row_2_value" in form.errors
    data["row_2_value"] = "12"
    form = TableForm(data)
    assert form.is_valid(), form.errors
    assert form.rows == [Row("Skadegörelse", 1200.5), Row("Rån", 12), Row("Bedrägeri", 7, 6)]


# --- problems_for -----------------------------------------------------------------------------


def test_problems_for_offers_the_problems_of_visible_agreed_or_decided_documents(world):
    jarva = _decide(world, _fill(world, start(world)))
    skarholmen = start(world, "skarholmen_coord", "skarholmen", title="Skärholmen")
    services.problem_save(actor=world["skarholmen_coord"], access=_access(world, "skarholmen_coord"),
                          report=skarholmen, version=skarholmen.version, problem=None, title="Bilbränder",
                          priority=1, description="", causes="", area_ids=[])

    def titles(persona, **kwargs):
        return [p.title for p in selectors.problems_for(_access(world, persona), **kwargs)]

    assert titles("police_rinkeby") == ["Öppen narkotikahandel"]
    assert titles("skarholmen_coord") == []  # Järva is not theirs; their own is a draft
    assert titles("skarholmen_coord", statuses=(DocumentStatus.DRAFT,)) == ["Bilbränder"]
    assert titles("city_coord", district_id=None) == []  # only municipality-wide documents
    assert titles("city_coord", district_id=jarva.district_id) == ["Öppen narkotikahandel"]
    assert titles("tax") == [] and titles("housing_a") == []
    problem = selectors.problems_for(_access(world, "police_rinkeby")).get()
    assert problem.report.pk == jarva.pk


def test_a_problem_a_measure_names_is_not_removed(world):
    report = _fill(world, start(world))
    problem = Problem.objects.get(report=report)
    plan = PreventionPlan.objects.create(municipality="Stockholm", district=report.district, title="Plan",
                                         period_start=date(2026, 1, 1), period_end=date(2026, 12, 31),
                                         situation_report=report)
    Measure.objects.create(plan=plan, problem=problem, title="Belysning", organisation=world.orgs["jarva"],
                           starts_on=date(2026, 1, 1), ends_on=date(2026, 6, 30), indicator="Otrygghet",
                           baseline=40, target=30)
    with pytest.raises(ValidationError):
        services.problem_remove(actor=world["jarva_coord"], access=_access(world), problem=problem,
                                version=fresh(report).version)
    assert Problem.objects.filter(pk=problem.pk).exists()
