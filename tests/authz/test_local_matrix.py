"""Authorisation matrix of the local picture, lag 2023:196 and the agreement (issue 11,
acceptance item 1).

Every page that shows an entry (tests below name them; a check walks the URLconf so a new
page of the three apps must be placed here) x the personas of tests/picture/world.py →
the expected status in EXPECTED_TABLE, and no marker of an entry the persona may not read
anywhere in the response (HTML, PDF, CSV, XLSX). Each entry of Järva (Husby) has a twin in
Skärholmen (Bredäng), so "district staff see their district; the police see the areas of
their police area" is checked both ways; external reporters must see only the reports
they made (not a colleague's of the same company); an agency with no area sees nothing.
What is public (the residents' page) shows only what is marked public.

The world is built once per module inside a transaction rolled back at the end; every
request runs inside a transaction rolled back after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from samverkan.agreement.models import (
    Agreement,
    AgreementKind,
    AgreementParty,
    CitizenPromise,
    CollaborationForum,
    PromiseProgress,
    PromiseState,
)
from samverkan.picture.models import WeekMeeting, week_start_of
from samverkan.prevention.models import DocumentStatus, Measure, PreventionPlan, Problem, SituationReport
from tests.authz.bodies import response_text
from tests.conftest import fast_login
from tests.picture.world import LocalWorld, add_report, build_local_world
from tests.world import rolled_back

pytestmark = pytest.mark.django_db

COLUMNS = ["jarva_coord", "jarva_staff", "skarholmen_coord", "police_rinkeby", "police_skarholmen",
           "police_region", "city_coord", "housing_a", "housing_b", "association", "tax"]

# Who may read which entry (the rule the matrix checks the pages against).
JARVA_SIDE = {"jarva_coord", "jarva_staff", "police_rinkeby", "police_region", "city_coord"}
SKARHOLMEN_SIDE = {"skarholmen_coord", "police_skarholmen", "police_region", "city_coord"}
READERS: dict[str, set[str]] = {
    "R_HOUSING_A": JARVA_SIDE | {"housing_a"},  # the reporter herself, not her colleague
    "R_HOUSING_B": JARVA_SIDE | {"housing_b"},
    "R_POLICE": JARVA_SIDE,
    "R_BREDANG": SKARHOLMEN_SIDE | {"association"},
    "M_HUSBY": JARVA_SIDE,
    "M_BREDANG": SKARHOLMEN_SIDE,
    "S_JARVA": JARVA_SIDE,
    "S_SKARHOLMEN": SKARHOLMEN_SIDE,
    "P_JARVA": JARVA_SIDE,
    "P_SKARHOLMEN": SKARHOLMEN_SIDE,
    "A_JARVA": JARVA_SIDE,
    "A_SKARHOLMEN": SKARHOLMEN_SIDE,
    "F_JARVA": JARVA_SIDE,
    # A promise (not published) is read on the agreement it is made within and by those who
    # manage promises in its area (CITIZEN_PROMISE_MANAGE: coordinators and managers).
    "PR_HUSBY": JARVA_SIDE,
    "PR_BREDANG": {"skarholmen_coord", "city_coord", "police_region"},
    "PRP_HUSBY": {"jarva_coord", "city_coord", "police_region"},  # a progress entry's internal note
}

# 404 = as for something that does not exist (outside the scope); 403 = role too weak.
# External reporters and the unrelated agency hold the report permission, so pages of the
# picture answer them as outsiders (404), not as a weak role; the lists of documents and
# actions answer 404 to a person with no area or district at all.
#                                           jc  js  sc  pr  ps  preg cc  ha  hb  as  tax
EXPECTED_TABLE = """
route                                        jc  js  sc  pr  ps  pg  cc  ha  hb  as  tax
picture:index                                200 200 200 200 200 200 200 200 200 200 200
picture:my_reports                           200 200 200 200 200 200 200 200 200 200 200
picture:report                               200 200 200 200 200 200 200 200 200 200 403
picture:report_detail[R_HOUSING_A]           200 200 404 200 404 200 200 200 404 404 404
picture:report_detail[R_POLICE]              200 200 404 200 404 200 200 404 404 404 404
picture:report_withdraw[R_HOUSING_A]         403 403 404 403 404 403 403 200 404 404 404
picture:area_week[husby]                     200 200 404 200 404 200 200 404 404 404 404
picture:week_pdf[husby]                      200 200 404 200 404 200 200 404 404 404 404
picture:district_week[jarva]                 200 200 404 200 404 200 200 404 404 404 404
picture:meeting[husby]                       200 200 404 200 404 200 200 404 404 404 404
picture:actions                              200 200 200 200 200 200 200 404 404 404 404
prevention:index                             200 200 200 200 200 200 200 403 403 403 200
prevention:situation_list                    200 200 200 200 200 200 200 403 403 403 404
prevention:situation[S_JARVA]                200 200 404 200 404 200 200 403 403 403 404
prevention:situation_print[S_JARVA]          200 200 404 200 404 200 200 403 403 403 404
prevention:situation_pdf[S_JARVA]            200 200 404 200 404 200 200 403 403 403 404
prevention:plan_list                         200 200 200 200 200 200 200 403 403 403 200
prevention:plan[P_JARVA]                     200 200 404 200 404 200 200 403 403 403 404
prevention:plan_follow_up[P_JARVA]           200 200 404 200 404 200 200 403 403 403 404
prevention:plan_follow_up_pdf[P_JARVA]       200 200 404 200 404 200 200 403 403 403 404
prevention:plan_follow_up_csv[P_JARVA]       200 200 404 200 404 200 200 403 403 403 404
prevention:plan_follow_up_xlsx[P_JARVA]      200 200 404 200 404 200 200 403 403 403 404
prevention:measure[P_JARVA]                  200 200 404 200 404 200 200 403 403 403 404
agreement:list                               200 200 200 200 200 200 200 403 403 403 200
agreement:detail[A_JARVA]                    200 200 404 200 404 200 200 403 403 403 404
agreement:report[A_JARVA]                    200 200 404 200 404 200 200 403 403 403 404
agreement:report_pdf[A_JARVA]                200 200 404 200 404 200 200 403 403 403 404
agreement:forum[A_JARVA]                     200 200 404 200 404 200 200 403 403 403 404
agreement:promise_list                       200 403 200 403 403 200 200 403 403 403 200
agreement:promise_progress[PR_HUSBY]         200 403 404 403 403 200 200 403 403 403 404
"""
ABBREVIATIONS = dict(zip(["jc", "js", "sc", "pr", "ps", "pg", "cc", "ha", "hb", "as", "tax"], COLUMNS, strict=True))


def _parse(text: str) -> dict[str, list[str]]:
    lines = text.strip().splitlines()
    assert [ABBREVIATIONS[c] for c in lines[0].split()[1:]] == COLUMNS
    table = {}
    for line in lines[1:]:
        route, *cells = line.split()
        assert len(cells) == len(COLUMNS) and route not in table, route
        table[route] = cells
    return table


EXPECTED = _parse(EXPECTED_TABLE)
# Routes of the three apps that are not in the table, each with why (their rules are the
# table's pages' rules, checked in the apps' own suites with their forms).
ELSEWHERE = {
    # Forms that change something: tests/picture, tests/prevention, tests/agreement post them
    # per persona with their negative cases.
    "picture:report_photo", "picture:area", "picture:catalogue", "picture:category_new", "picture:category_edit",
    "picture:catalogue_area", "picture:place_new", "picture:place_edit", "picture:reporter_add",
    "picture:reporter_remove", "picture:meeting_open", "picture:meeting_record", "picture:meeting_action_add",
    "picture:meeting_follow_up", "picture:meeting_close", "picture:action_status",
    # tests/prevention/test_situation_pages.py, test_plans_views.py, test_coordination*.py
    "prevention:coordinator_add", "prevention:coordinator_edit", "prevention:cycle_generate",
    "prevention:measure_edit", "prevention:measure_new", "prevention:measure_progress", "prevention:measure_remove",
    "prevention:plan_agree", "prevention:plan_decide", "prevention:plan_edit", "prevention:plan_new",
    "prevention:plan_new_version", "prevention:plan_reopen", "prevention:situation_agree",
    "prevention:situation_decide", "prevention:situation_details", "prevention:situation_dialogue_edit",
    "prevention:situation_dialogue_new", "prevention:situation_dialogue_remove", "prevention:situation_new",
    "prevention:situation_participants", "prevention:situation_problem_edit", "prevention:situation_problem_new",
    "prevention:situation_problem_remove", "prevention:situation_section", "prevention:situation_table_app",
    "prevention:situation_table_edit", "prevention:situation_table_new", "prevention:situation_table_remove",
    "prevention:step_done", "prevention:step_edit",
    # tests/agreement/test_agreements.py, test_commitments.py, test_follow_up.py, test_presence.py,
    # test_forums.py, test_promises.py
    "agreement:commitment_edit", "agreement:commitment_new", "agreement:commitment_remove", "agreement:edit",
    "agreement:end", "agreement:follow_up", "agreement:follow_up_close", "agreement:follow_up_new",
    "agreement:forum_decision_done", "agreement:forum_decision_new", "agreement:forum_edit", "agreement:forum_new",
    "agreement:forum_session_new", "agreement:new", "agreement:party_new", "agreement:party_remove",
    "agreement:presence_new", "agreement:presence_remove", "agreement:presence_report", "agreement:promise_edit",
    "agreement:promise_new", "agreement:promise_publish", "agreement:sign", "agreement:signatory_new",
    "agreement:signatory_remove", "agreement:signatory_sign",
}


@dataclass
class MatrixWorld:
    local: LocalWorld
    urls: dict[str, str]


def _scope_doc(model: Any, title: str, district: Any, **extra: Any) -> Any:
    return model.objects.create(municipality="Stockholm", district=district, title=title,
                                period_start=date(2026, 1, 1), period_end=date(2026, 12, 31), **extra)


def build_matrix_world() -> MatrixWorld:
    w = build_local_world()
    now = timezone.now() - timedelta(hours=2)
    week = week_start_of(timezone.localtime(now))
    iso = f"{week.isocalendar().year}-W{week.isocalendar().week:02d}"
    reports = {
        "R_HOUSING_A": add_report(w, "housing_a", "husby", text="R_HOUSING_A klotter", when=now),
        "R_HOUSING_B": add_report(w, "housing_b", "husby", text="R_HOUSING_B klotter", when=now),
        "R_POLICE": add_report(w, "police_rinkeby", "husby", text="R_POLICE skadegörelse", when=now),
        "R_BREDANG": add_report(w, "association", "bredang", text="R_BREDANG nedskräpning", when=now),
    }
    WeekMeeting.objects.create(area=w.areas["husby"], week_start=week, seen="M_HUSBY lugnt")
    WeekMeeting.objects.create(area=w.areas["bredang"], week_start=week, seen="M_BREDANG lugnt")
    jarva, skarholmen = w.districts["jarva"], w.districts["skarholmen"]
    s_jarva = _scope_doc(SituationReport, "S_JARVA lägesbild", jarva, status=DocumentStatus.DRAFT)
    s_skh = _scope_doc(SituationReport, "S_SKARHOLMEN lägesbild", skarholmen)
    problem = Problem.objects.create(report=s_jarva, title="Öppen handel", priority=1)
    problem_skh = Problem.objects.create(report=s_skh, title="Skadegörelse", priority=1)
    p_jarva = _scope_doc(PreventionPlan, "P_JARVA åtgärdsplan", jarva, situation_report=s_jarva)
    p_skh = _scope_doc(PreventionPlan, "P_SKARHOLMEN åtgärdsplan", skarholmen, situation_report=s_skh)
    measure = Measure.objects.create(
        plan=p_jarva, problem=problem, title="Belysning", organisation=w.orgs["jarva"], starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31), indicator="Andel trygga", baseline=50, target=70)
    Measure.objects.create(
        plan=p_skh, problem=problem_skh, title="Skydd", organisation=w.orgs["skarholmen"],
        starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31), indicator="Anmälningar", baseline=10, target=5)
    a_jarva = Agreement.objects.create(
        kind=AgreementKind.LOCAL, title="A_JARVA överenskommelse", municipality="Stockholm", district=jarva,
        police=w.orgs["police_rinkeby"], valid_from=date(2026, 1, 1), valid_to=date(2027, 12, 31))
    AgreementParty.objects.create(agreement=a_jarva, organisation=w.orgs["jarva"])
    Agreement.objects.create(
        kind=AgreementKind.LOCAL, title="A_SKARHOLMEN överenskommelse", municipality="Stockholm",
        district=skarholmen, police=w.orgs["police_skarholmen"], valid_from=date(2026, 1, 1),
        valid_to=date(2027, 12, 31))
    forum = CollaborationForum.objects.create(agreement=a_jarva, name="F_JARVA forum", purpose="Handlarna")
    forum.parties.add(w.orgs["jarva"])
    pr_husby = CitizenPromise.objects.create(area=w.areas["husby"], agreement=a_jarva, title="PR_HUSBY löfte",
                                             text="Mer närvaro", period="2026")
    PromiseProgress.objects.create(promise=pr_husby, recorded_on=date(2026, 6, 1), state=PromiseState.ON_TRACK,
                                   public_text="Går bra", internal_note="PRP_HUSBY intern")
    CitizenPromise.objects.create(area=w.areas["bredang"], title="PR_BREDANG löfte", text="Fler vandringar",
                                  period="2026")
    r = reports
    urls = {
        "picture:index": "/trygghet/",
        "picture:my_reports": "/trygghet/mina-rapporter/",
        "picture:report": "/trygghet/rapportera/",
        "picture:report_detail[R_HOUSING_A]": f"/trygghet/rapporter/{r['R_HOUSING_A'].public_id}/",
        "picture:report_detail[R_POLICE]": f"/trygghet/rapporter/{r['R_POLICE'].public_id}/",
        "picture:report_withdraw[R_HOUSING_A]": f"/trygghet/rapporter/{r['R_HOUSING_A'].public_id}/dra-tillbaka/",
        "picture:area_week[husby]": f"/trygghet/omrade/husby/vecka/{iso}/",
        "picture:week_pdf[husby]": f"/trygghet/omrade/husby/vecka/{iso}/pdf/",
        "picture:district_week[jarva]": f"/trygghet/stadsdel/jarva/vecka/{iso}/",
        "picture:meeting[husby]": f"/trygghet/omrade/husby/vecka/{iso}/mote/",
        "picture:actions": "/trygghet/atgarder/",
        "prevention:index": "/brottsforebyggande/",
        "prevention:situation_list": "/brottsforebyggande/lagesbild/",
        "prevention:situation[S_JARVA]": f"/brottsforebyggande/lagesbild/{s_jarva.pk}/",
        "prevention:situation_print[S_JARVA]": f"/brottsforebyggande/lagesbild/{s_jarva.pk}/utskrift/",
        "prevention:situation_pdf[S_JARVA]": f"/brottsforebyggande/lagesbild/{s_jarva.pk}/pdf/",
        "prevention:plan_list": "/brottsforebyggande/atgardsplan/",
        "prevention:plan[P_JARVA]": f"/brottsforebyggande/atgardsplan/{p_jarva.pk}/",
        "prevention:plan_follow_up[P_JARVA]": f"/brottsforebyggande/atgardsplan/{p_jarva.pk}/uppfoljning/",
        "prevention:plan_follow_up_pdf[P_JARVA]": f"/brottsforebyggande/atgardsplan/{p_jarva.pk}/uppfoljning.pdf",
        "prevention:plan_follow_up_csv[P_JARVA]": f"/brottsforebyggande/atgardsplan/{p_jarva.pk}/uppfoljning.csv",
        "prevention:plan_follow_up_xlsx[P_JARVA]": f"/brottsforebyggande/atgardsplan/{p_jarva.pk}/uppfoljning.xlsx",
        "prevention:measure[P_JARVA]": f"/brottsforebyggande/atgardsplan/{p_jarva.pk}/atgard/{measure.pk}/",
        "agreement:list": "/overenskommelser/",
        "agreement:detail[A_JARVA]": f"/overenskommelser/{a_jarva.pk}/",
        "agreement:report[A_JARVA]": f"/overenskommelser/{a_jarva.pk}/rapport/",
        "agreement:report_pdf[A_JARVA]": f"/overenskommelser/{a_jarva.pk}/rapport.pdf",
        "agreement:forum[A_JARVA]": f"/overenskommelser/{a_jarva.pk}/forum/{forum.pk}/",
        "agreement:promise_list": "/overenskommelser/medborgarloften/",
        "agreement:promise_progress[PR_HUSBY]": f"/overenskommelser/medborgarloften/{pr_husby.pk}/",
    }
    return MatrixWorld(local=w, urls=urls)


@pytest.fixture(scope="module")
def mworld(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), rolled_back():
        yield build_matrix_world()


def _get(client: Client, url: str) -> tuple[int, str]:
    with rolled_back():
        response = client.get(url)
        text = response_text(response) if response.status_code == 200 else ""
    return response.status_code, text


@pytest.mark.parametrize("persona", COLUMNS)
def test_every_page_answers_as_expected_and_shows_only_what_the_persona_may_read(mworld, persona):
    client = fast_login(mworld.local.users[persona])
    column = COLUMNS.index(persona)
    failures = []
    for route, cells in EXPECTED.items():
        status, text = _get(client, mworld.urls[route])
        if str(status) != cells[column]:
            failures.append(f"{route}: {status}, expected {cells[column]}")
            continue
        for marker, readers in READERS.items():
            if persona not in readers and marker in text:
                failures.append(f"{route}: shows {marker}")
    assert not failures, f"{persona}:\n" + "\n".join(failures)


def test_pages_that_list_entries_show_those_the_persona_may_read(mworld):
    """The leak check above cannot pass vacuously: the lists do show what is allowed."""
    shows = {
        "picture:my_reports": ["R_HOUSING_A"],
        "picture:area_week[husby]": ["R_HOUSING_A", "R_HOUSING_B", "R_POLICE"],
        "prevention:situation_list": ["S_JARVA"],
        "prevention:plan_list": ["P_JARVA"],
        "agreement:list": ["A_JARVA"],
        "agreement:promise_progress[PR_HUSBY]": ["PRP_HUSBY"],
    }
    for persona, route, markers in [
        ("housing_a", "picture:my_reports", [mworld.urls["picture:report_detail[R_HOUSING_A]"]]),
        ("jarva_coord", "picture:area_week[husby]", shows["picture:area_week[husby]"]),
        ("police_rinkeby", "picture:area_week[husby]", shows["picture:area_week[husby]"]),
        ("jarva_staff", "prevention:situation_list", ["S_JARVA"]),
        ("police_region", "prevention:situation_list", ["S_JARVA", "S_SKARHOLMEN"]),
        ("city_coord", "prevention:plan_list", ["P_JARVA", "P_SKARHOLMEN"]),
        ("police_rinkeby", "agreement:list", ["A_JARVA"]),
        ("skarholmen_coord", "agreement:list", ["A_SKARHOLMEN"]),
        ("jarva_coord", "agreement:promise_progress[PR_HUSBY]", ["PRP_HUSBY"]),
        ("jarva_coord", "picture:meeting[husby]", ["M_HUSBY"]),
    ]:
        status, text = _get(fast_login(mworld.local.users[persona]), mworld.urls[route])
        assert status == 200, (persona, route)
        for marker in markers:
            assert marker in text, (persona, route, marker)


def test_the_residents_page_shows_only_what_is_published(mworld):
    """Public: the promise appears only once published, never its internal note."""
    client = Client()
    assert "PR_HUSBY" not in client.get("/omraden/husby/").content.decode()
    promise = CitizenPromise.objects.get(title="PR_HUSBY löfte")
    with rolled_back():
        CitizenPromise.objects.filter(pk=promise.pk).update(published=True)
        from samverkan.public import cache as public_cache

        public_cache.invalidate() if hasattr(public_cache, "invalidate") else None
        body = Client().get("/omraden/husby/?fresh=1").content.decode()
    assert "PR_HUSBY" in body and "Går bra" in body
    assert "PRP_HUSBY" not in body and "PR_BREDANG" not in body


def test_the_table_covers_every_page_of_the_three_apps():
    """Walk the URLconf: every route of picture, prevention and agreement is in the table
    or named in ELSEWHERE (a new page must be placed)."""
    from tests.access.urlwalk import walk

    names = {r.name for r in walk() if r.name and r.name.split(":")[0] in ("picture", "prevention", "agreement")}
    covered = {row.split("[")[0] for row in EXPECTED} | ELSEWHERE
    assert len(names) > 90, "the walk found too few routes"
    missing = names - covered
    assert not missing, f"routes neither in the matrix nor in ELSEWHERE: {sorted(missing)}"


def test_an_external_reporter_lists_only_their_own_reports(mworld):
    """My reports shows links, not texts: a colleague's report of the same company is not
    listed, nor anyone else's."""
    _status, text = _get(fast_login(mworld.local.users["housing_b"]), mworld.urls["picture:my_reports"])
    assert mworld.urls["picture:report_detail[R_HOUSING_A]"] not in text
    assert mworld.urls["picture:report_detail[R_POLICE]"] not in text
    reports = mworld.local.reports
    assert [r.public_id for r in reports if r.reporter_id == mworld.local.users["housing_b"].pk]
    own = next(r for r in reports if r.reporter_id == mworld.local.users["housing_b"].pk)
    assert f"/trygghet/rapporter/{own.public_id}/" in text
