"""The lägesbild's pages with the personas: who reads (and who gets 404), who edits (and
who gets 403), the 409 that keeps the editor's input, the status pages, the print page
and the PDF, and a document page whose query count does not grow with the document."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from samverkan.audit.models import AuditEvent
from samverkan.picture.selectors.scope import local_access_for
from samverkan.prevention.models import DocumentStatus, SituationReport
from samverkan.prevention.selectors import situation as selectors
from samverkan.prevention.services import situation as services
from samverkan.prevention.services.situation import Row
from tests.documents import HOSTILE_MARKUP, assert_printed_literally
from tests.picture.world import add_report, build_local_world
from tests.prevention.situation_helpers import fresh, start

pytestmark = pytest.mark.django_db
YESTERDAY = (date.today() - timedelta(days=1)).isoformat()


@pytest.fixture
def world():
    return build_local_world(["city_coord", "jarva_coord", "jarva_staff", "skarholmen_coord", "police_rinkeby",
                              "police_rinkeby_lead", "housing_a", "tax"])


@pytest.fixture
def draft(world):
    return start(world)


def _url(name, report, *args):
    return reverse(f"prevention:{name}", args=[report.pk, *args])


def test_the_list_shows_the_documents_the_person_sees(world, draft, login):
    city = start(world, "city_coord", "m", title="Stockholms lägesbild")
    skarholmen = start(world, "skarholmen_coord", "skarholmen", title="Skärholmens lägesbild")
    url = reverse("prevention:situation_list")
    page = login(world["police_rinkeby"]).get(url).content.decode()
    assert draft.title in page and city.title in page and skarholmen.title not in page
    page = login(world["skarholmen_coord"]).get(url).content.decode()
    assert skarholmen.title in page and city.title in page and draft.title not in page
    assert login(world["tax"]).get(url).status_code == 404
    assert login(world["housing_a"]).get(url).status_code == 403  # a reporter has no prevention permission


def test_older_versions_are_reachable_from_the_list(world, draft, login):
    services.decide(actor=world["jarva_coord"], access=local_access_for(world["jarva_coord"]), report=draft,
                    body="SDN", decided_on=date.today(), reference="1", version=draft.version)
    newer = start(world, copy=True, title="Järva, ny version")
    page = login(world["jarva_staff"]).get(reverse("prevention:situation_list")).content.decode()
    assert page.index(newer.title) < page.index(_url("situation", draft))


@pytest.mark.parametrize(("persona", "status"), [
    ("jarva_coord", 200), ("jarva_staff", 200), ("police_rinkeby", 200), ("city_coord", 200),
    ("skarholmen_coord", 404), ("tax", 404), ("housing_a", 403),
])
def test_who_reads_jarvas_draft(world, draft, login, persona, status):
    assert login(world[persona]).get(_url("situation", draft)).status_code == status
    viewed = AuditEvent.objects.filter(action="prevention.situation_viewed", subject_id=str(draft.pk),
                                       actor_id=world[persona].pk)
    assert viewed.exists() is (status == 200)


@pytest.mark.parametrize(("persona", "status"), [
    ("jarva_coord", 200), ("city_coord", 200),  # the district's administration and the city edit it
    ("police_rinkeby", 403), ("police_rinkeby_lead", 403), ("jarva_staff", 403),  # read, not edit
    ("skarholmen_coord", 404), ("tax", 404),  # outside the scope
])
def test_who_edits_jarvas_draft(world, draft, login, persona, status):
    client = login(world[persona])
    assert client.get(_url("situation_section", draft, "analys")).status_code == status
    response = client.post(_url("situation_section", draft, "analys"), {"text": "Ny text", "version": draft.version})
    assert response.status_code == (302 if status == 200 else status)
    assert (fresh(draft).analysis == "Ny text") is (status == 200)


def test_edit_links_only_for_editors(world, draft, login):
    edit = _url("situation_section", draft, "analys")
    assert edit in login(world["jarva_coord"]).get(_url("situation", draft)).content.decode()
    assert edit not in login(world["police_rinkeby"]).get(_url("situation", draft)).content.decode()


def test_the_city_edits_its_own_document_and_the_district_does_not(world, login):
    city = start(world, "city_coord", "m", title="Stockholm")
    data = {"text": "Stadens analys", "version": city.version}
    assert login(world["city_coord"]).post(_url("situation_section", city, "analys"), data).status_code == 302
    assert login(world["jarva_coord"]).post(_url("situation_section", city, "analys"), data).status_code == 403
    assert fresh(city).analysis == "Stadens analys"


def test_a_stale_edit_answers_409_and_keeps_the_input(world, draft, login):
    client = login(world["jarva_coord"])
    loaded = draft.version
    services.update_section(actor=world["city_coord"], access=local_access_for(world["city_coord"]), report=draft,
                            section="summary", text="Stadens text", version=loaded)
    response = client.post(_url("situation_section", draft, "sammanfattning"),
                           {"text": "Min egen text", "version": loaded})
    assert response.status_code == 409
    assert "Min egen text" in response.content.decode()
    assert f'value="{loaded + 1}"' in response.content.decode()  # a second save knowingly replaces
    assert fresh(draft).summary == "Stadens text"


def test_the_row_editor_adds_rows_without_javascript_and_saves_pasted_ones(world, draft, login):
    client = login(world["jarva_coord"])
    url = _url("situation_table_new", draft)
    page = client.get(url).content.decode()
    assert 'name="row_2_label"' in page and 'name="row_3_label"' not in page
    base = {"version": draft.version, "title": "Anmälda brott", "source": "Polisen", "year": "2025", "unit": "",
            "note": "", "row_count": "3", "row_0_label": "Skadegörelse", "row_0_value": "1 200,5", "pasted": ""}
    more = client.post(url, {**base, "more": "1"})
    assert more.status_code == 200 and 'name="row_7_label"' in more.content.decode()
    assert 'value="1 200,5"' in more.content.decode()
    response = client.post(url, {**base, "pasted": "Rån;12;10\nBedrägeri\t7"})
    assert response.status_code == 302
    table = draft.tables.get()
    assert table.rows == [{"label": "Skadegörelse", "value": 1200.5, "previous": None},
                          {"label": "Rån", "value": 12, "previous": 10},
                          {"label": "Bedrägeri", "value": 7, "previous": None}]


def test_a_bad_pasted_line_keeps_the_input(world, draft, login):
    response = login(world["jarva_coord"]).post(_url("situation_table_new", draft), {
        "version": draft.version, "title": "T", "source": "S", "year": "2025", "row_count": "0",
        "pasted": "Rån;många"})
    assert response.status_code == 400
    assert "Rån;många" in response.content.decode()
    assert not draft.tables.exists()


def test_deciding_asks_for_confirmation_and_then_the_version_is_closed(world, draft, login):
    client = login(world["jarva_coord"])
    page = client.get(_url("situation_decide", draft)).content.decode()
    assert "can never be changed" in page
    response = client.post(_url("situation_decide", draft), {
        "version": draft.version, "body": "Järva stadsdelsnämnd", "decided_on": YESTERDAY, "reference": "SDN 1"})
    assert response.status_code == 302
    assert fresh(draft).status == DocumentStatus.DECIDED
    assert client.get(_url("situation_section", draft, "analys")).status_code == 302  # back to the document
    response = client.post(_url("situation_section", draft, "analys"), {"text": "x", "version": fresh(draft).version})
    assert response.status_code == 400 and fresh(draft).analysis == ""
    assert _url("situation_section", draft, "analys") not in client.get(_url("situation", draft)).content.decode()


def test_a_new_version_page_copies_the_decided_one(world, draft, login):
    services.decide(actor=world["jarva_coord"], access=local_access_for(world["jarva_coord"]), report=draft,
                    body="SDN", decided_on=date.today(), reference="1", version=draft.version)
    client = login(world["jarva_coord"])
    page = client.get(reverse("prevention:situation_new")).content.decode()
    assert "Järva" in page and "Skärholmen" not in page
    response = client.post(reverse("prevention:situation_new"), {
        "scope": f"d{world.districts['jarva'].pk}", "title": "Järva 2027", "period_start": "2027-01-01",
        "period_end": "2027-12-31", "start": "copy"})
    assert response.status_code == 302
    newer = SituationReport.objects.get(title="Järva 2027")
    assert newer.previous_id == draft.pk and newer.number == 2
    # A district that is not theirs is not a choice.
    response = client.post(reverse("prevention:situation_new"), {
        "scope": f"d{world.districts['skarholmen'].pk}", "title": "X", "period_start": "2027-01-01",
        "period_end": "2027-12-31", "start": "empty"})
    assert response.status_code == 400 and not SituationReport.objects.filter(title="X").exists()
    assert login(world["police_rinkeby"]).get(reverse("prevention:situation_new")).status_code == 403


def _rich(world, report, n):
    user, access = world["city_coord"], local_access_for(world["city_coord"])
    areas = [a.pk for a in selectors.document_areas(report)]
    for i in range(n):
        services.table_add_imported(actor=user, access=access, report=report, version=fresh(report).version,
                                    title=f"Tabell {i}", source="Polisen", year=2025, unit="", note="",
                                    rows=[Row("Rån", i), Row("Skadegörelse", 2.5, 1)])
        services.problem_save(actor=user, access=access, report=report, version=fresh(report).version,
                              problem=None, title=f"Problem {i}", priority=i + 1, description="", causes="Orsak",
                              area_ids=areas)
        services.dialogue_save(actor=user, access=access, report=report, version=fresh(report).version,
                               dialogue=None, held_on=date(2026, 1, 1 + i), place=f"Plats {i}", participants="",
                               notes="Anteckning")
    services.set_participants(actor=user, access=access, report=report, version=fresh(report).version,
                              organisation_ids=[o.pk for o in list(world.orgs.values())[:n]])


def test_the_document_pages_query_count_does_not_grow(world, login, django_assert_max_num_queries):
    small, large = start(world), start(world, "city_coord", "m", title="Stockholm")
    _rich(world, small, 1)
    _rich(world, large, 6)
    client = login(world["city_coord"])
    client.get(_url("situation", small))  # warm the session
    with CaptureQueriesContext(connection) as one:
        assert client.get(_url("situation", small)).status_code == 200
    with django_assert_max_num_queries(len(one)):
        page = client.get(_url("situation", large))
    assert page.status_code == 200 and "Problem 5" in page.content.decode()


def test_the_print_page_and_the_pdf(world, draft, login):
    _rich(world, draft, 2)
    client = login(world["police_rinkeby"])
    page = client.get(_url("situation_print", draft)).content.decode()
    assert "Tabell 1" in page and "Polisen, 2025" in page
    assert "Problem 1" in page and "Plats 1" in page
    response = client.get(_url("situation_pdf", draft))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f"lagesbild-{draft.pk}-v1.pdf" in response["Content-Disposition"]
    assert AuditEvent.objects.filter(action="prevention.situation_exported", subject_id=str(draft.pk)).exists()
    assert login(world["skarholmen_coord"]).get(_url("situation_pdf", draft)).status_code == 404


def test_the_participants_search_narrows_the_list_and_keeps_the_ticked(world, draft, login):
    client = login(world["jarva_coord"])
    url = _url("situation_participants", draft)
    tax, police = world.orgs["tax"], world.orgs["police_rinkeby"]
    assert client.post(url, {"organisations": [tax.pk], "version": draft.version}).status_code == 302
    page = client.get(url, {"q": police.name[3:12]}).content.decode()
    assert f'value="{police.pk}"' in page  # matches the search
    assert f'value="{tax.pk}"' in page and "checked" in page  # ticked, so kept in the list
    assert f'value="{world.orgs["housing"].pk}"' not in page
    response = client.post(url, {"organisations": [tax.pk, police.pk], "version": fresh(draft).version})
    assert response.status_code == 302
    assert set(draft.participants.values_list("pk", flat=True)) == {tax.pk, police.pk}


def test_tables_problems_and_dialogues_are_changed_and_removed_through_their_pages(world, draft, login):
    _rich(world, draft, 1)
    client = login(world["jarva_coord"])
    table, problem, dialogue = draft.tables.get(), draft.problems.get(), draft.dialogues.get()
    husby = world.areas["husby"].pk
    page = client.get(_url("situation_table_edit", draft, table.pk)).content.decode()
    assert 'value="2,5"' in page  # the stored 2.5 shown with a decimal comma
    response = client.post(_url("situation_table_edit", draft, table.pk), {
        "version": fresh(draft).version, "title": "Ny titel", "source": "BRÅ NTU", "year": "2024", "unit": "%",
        "note": "", "row_count": "1", "row_0_label": "Otrygghet", "row_0_value": "23,5", "pasted": ""})
    assert response.status_code == 302
    table.refresh_from_db()
    assert (table.title, table.source, table.year, table.rows) == (
        "Ny titel", "BRÅ NTU", 2024, [{"label": "Otrygghet", "value": 23.5, "previous": None}])
    response = client.post(_url("situation_problem_edit", draft, problem.pk), {
        "version": fresh(draft).version, "title": "Narkotikahandel", "priority": "2", "description": "",
        "causes": "Efterfrågan", "areas": [husby]})
    assert response.status_code == 302
    problem.refresh_from_db()
    assert (problem.title, problem.priority, list(problem.areas.values_list("pk", flat=True))) == (
        "Narkotikahandel", 2, [husby])
    response = client.post(_url("situation_dialogue_edit", draft, dialogue.pk), {
        "version": fresh(draft).version, "held_on": "2026-01-05", "place": "Husby gård", "participants": "20 boende",
        "notes": "Belysningen"})
    assert response.status_code == 302
    dialogue.refresh_from_db()
    assert (dialogue.place, dialogue.notes) == ("Husby gård", "Belysningen")
    for name, item in (("situation_table_remove", table), ("situation_problem_remove", problem),
                       ("situation_dialogue_remove", dialogue)):
        assert client.get(_url(name, draft, item.pk)).status_code == 200
        assert client.post(_url(name, draft, item.pk), {"version": fresh(draft).version}).status_code == 302
    assert not (draft.tables.exists() or draft.problems.exists() or draft.dialogues.exists())


def test_an_item_of_another_document_is_404(world, draft, login):
    other = start(world, "city_coord", "m", title="Stockholm")
    _rich(world, other, 1)
    client = login(world["city_coord"])  # may edit both documents
    assert client.get(_url("situation_table_edit", draft, other.tables.get().pk)).status_code == 404
    assert client.post(_url("situation_problem_remove", draft, other.problems.get().pk),
                       {"version": draft.version}).status_code == 404
    assert other.problems.exists()


def test_an_app_tables_counted_rows_stay_when_it_is_changed(world, draft, login):
    add_report(world, "jarva_staff", "husby", "graffiti", when=timezone.make_aware(datetime(2025, 3, 12, 12)))
    year = 2025
    client = login(world["jarva_coord"])
    response = client.post(_url("situation_table_app", draft), {
        "version": draft.version, "title": "Händelser", "year": str(year), "note": ""})
    assert response.status_code == 302
    table = draft.tables.get()
    rows = table.rows
    response = client.post(_url("situation_table_edit", draft, table.pk), {
        "version": fresh(draft).version, "title": "Händelser i Järva", "note": "Räknat i december",
        "row_count": "1", "row_0_label": "Fusk", "row_0_value": "999"})
    assert response.status_code == 302
    table.refresh_from_db()
    assert table.title == "Händelser i Järva" and table.rows == rows and rows[0]["value"] == 1


def test_the_pdf_prints_every_part_literally(world, draft, login):
    """Sections, tables with source and year, problems with causes, dialogues,
    participants, status and decision — and what people typed as markup is printed as
    the characters typed, with no link or action in the PDF."""
    user, access = world["jarva_coord"], local_access_for(world["jarva_coord"])
    markup, link, bold = HOSTILE_MARKUP
    for section, text in (("summary", f"Sammanfattning {markup}"), ("consequences", "Omfattningen ökar"),
                          ("other_information", "Skolornas iakttagelser"), ("analysis", f"Analysen {link}")):
        services.update_section(actor=user, access=access, report=draft, section=section, text=text,
                                version=fresh(draft).version)
    services.table_add_imported(actor=user, access=access, report=draft, version=fresh(draft).version,
                                title=f"Anmälda brott {bold}", source="Polisen anmälda brott", year=2025,
                                unit="brott", note="", rows=[Row("Skadegörelse", 1234.5, 1100)])
    services.problem_save(actor=user, access=access, report=draft, version=fresh(draft).version, problem=None,
                          title="Öppen narkotikahandel", priority=1, description="Vid torget",
                          causes="Efterfrågan och rekrytering", area_ids=[world.areas["husby"].pk])
    services.dialogue_save(actor=user, access=access, report=draft, version=fresh(draft).version, dialogue=None,
                           held_on=date(2026, 2, 3), place="Husby träff", participants="ca 30 boende",
                           notes="Otrygghet vid torget")
    services.set_participants(actor=user, access=access, report=draft, version=fresh(draft).version,
                              organisation_ids=[world.orgs["police_rinkeby"].pk])
    services.decide(actor=user, access=access, report=fresh(draft), body="Järva stadsdelsnämnd",
                    decided_on=date(2026, 3, 1), reference="SDN 2026/77", version=fresh(draft).version)
    pdf = login(world["police_rinkeby"]).get(_url("situation_pdf", draft)).content
    assert_printed_literally(pdf, [
        draft.title, markup, link, "Omfattningen ökar", "Skolornas iakttagelser", f"Anmälda brott {bold}",
        "Polisen anmälda brott, 2025", "Skadegörelse", "Öppen narkotikahandel", "Efterfrågan och rekrytering",
        world.areas["husby"].name, "Husby träff", "ca 30 boende", "Otrygghet vid torget",
        world.orgs["police_rinkeby"].name, "Järva stadsdelsnämnd", "SDN 2026/77", "2026-03-01",
    ])
