"""The prevention overview and the coordination pages through HTTP: who sees which
scopes, the documents' state, the cycle in plain words, the menu, the confirmation before
a step is done, 404 outside the scope and 403 for a weak role, 409 on a stale edit, and
a number of queries that does not grow with the data."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from samverkan.prevention.models import (
    Coordinator,
    CycleStep,
    CycleStepKind,
    DocumentStatus,
    PreventionPlan,
    SituationReport,
)
from samverkan.prevention.selectors.overview import step_state
from tests.picture.world import build_local_world

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
INDEX = "/brottsforebyggande/"


@pytest.fixture
def world():
    return build_local_world()


def _report(world, district=None, *, status=DocumentStatus.DECIDED, title="Lägesbild Järva 2026", start=2026):
    return SituationReport.objects.create(
        municipality="Stockholm", district=district, title=title, period_start=date(start, 1, 1),
        period_end=date(start, 12, 31), status=status,
        decided_by_body="Järva stadsdelsnämnd" if status == DocumentStatus.DECIDED else "",
        decided_on=date(start, 3, 20) if status == DocumentStatus.DECIDED else None,
        decision_reference="SDN 2026/14" if status == DocumentStatus.DECIDED else "",
    )


def test_the_district_sees_the_city_and_its_own_district_only(world, login):
    jarva = world.districts["jarva"]
    _report(world, jarva)
    _report(world, world.districts["skarholmen"], title="Lägesbild Skärholmen 2026")
    Coordinator.objects.create(municipality="Stockholm", district=jarva, user=world["jarva_staff"],
                               tasks="Samordnar det brottsförebyggande arbetet i Järva.", since=date(2025, 1, 1))
    body = login(world["jarva_coord"]).get(INDEX).content.decode()
    assert "Lägesbild Järva 2026" in body and "Järva stadsdelsnämnd" in body and "SDN 2026/14" in body
    assert "Lägesbild Skärholmen 2026" not in body and 'id="scope-skarholmen"' not in body
    assert 'id="scope-kommun-stockholm"' in body and 'id="scope-jarva"' in body
    assert "Samordnar det brottsförebyggande arbetet i Järva." in body
    assert "/brottsforebyggande/samordning/jarva/samordnare/ny/" in body  # jarva_coord manages Järva
    assert "/brottsforebyggande/samordning/kommun-stockholm/samordnare/ny/" not in body  # not the city's


def test_the_police_see_their_areas_scopes_without_managing(world, login):
    body = login(world["police_rinkeby"]).get(INDEX).content.decode()
    assert 'id="scope-jarva"' in body and 'id="scope-skarholmen"' not in body
    assert "/samordning/" not in body


def test_titles_link_to_the_documents_when_their_pages_exist(world, login):
    report = _report(world, world.districts["jarva"])
    body = login(world["jarva_coord"]).get(INDEX).content.decode()
    href = reverse("prevention:situation", args=[report.pk])
    assert f'href="{href}">Lägesbild Järva 2026</a>' in body


def test_a_newer_draft_shows_beside_the_decided_one_and_replaced_ones_are_hidden(world, login):
    jarva = world.districts["jarva"]
    _report(world, jarva, status=DocumentStatus.REPLACED, title="Gammal lägesbild", start=2024)
    decided = _report(world, jarva, start=2025, title="Lägesbild 2025")
    _report(world, jarva, status=DocumentStatus.DRAFT, start=2026, title="Lägesbild 2026 (utkast)")
    PreventionPlan.objects.create(municipality="Stockholm", district=jarva, title="Åtgärdsplan 2025",
                                  period_start=date(2025, 1, 1), period_end=date(2025, 12, 31),
                                  situation_report=decided)
    body = login(world["jarva_coord"]).get(INDEX).content.decode()
    assert "Lägesbild 2025" in body and "Lägesbild 2026 (utkast)" in body and "Åtgärdsplan 2025" in body
    assert "Gammal lägesbild" not in body


@pytest.mark.parametrize("persona", ["tax"])
def test_a_person_with_no_scope_gets_a_plain_nothing_here(world, login, persona):
    response = login(world[persona]).get(INDEX)
    assert response.status_code == 200
    assert "There is nothing here for you" in response.content.decode() or \
        "Det finns inget här för dig" in response.content.decode()


@pytest.mark.parametrize("persona", ["housing_a", "shop", "admin"])
def test_reporters_and_administrators_without_the_permission_are_refused(world, login, persona):
    assert login(world[persona]).get(INDEX).status_code == 403


def test_the_menu_shows_crime_prevention_to_those_with_the_permission(world, login):
    assert 'href="/brottsforebyggande/"' in login(world["jarva_staff"]).get(INDEX).content.decode()
    assert 'href="/brottsforebyggande/"' not in login(world["housing_a"]).get("/").content.decode()


def test_the_step_states_in_plain_words():
    step = CycleStep(municipality="Stockholm", year=2026, kind=CycleStepKind.PLAN, due_on=date(2026, 6, 30))
    assert step_state(step, date(2026, 7, 3)).state == "overdue"
    assert "3" in step_state(step, date(2026, 7, 3)).words
    assert step_state(step, date(2026, 6, 10)).state == "soon"
    assert step_state(step, date(2026, 6, 30)).state == "soon"
    assert step_state(step, date(2026, 3, 1)).state == "later"
    step.done_on = date(2026, 6, 1)
    assert step_state(step, date(2026, 7, 3)).state == "done"


def test_the_cycle_on_the_overview(world, login):
    jarva = world.districts["jarva"]
    CycleStep.objects.create(municipality="Stockholm", district=jarva, year=TODAY.year, kind=CycleStepKind.PICTURE,
                             due_on=TODAY - timedelta(days=2))
    CycleStep.objects.create(municipality="Stockholm", district=jarva, year=TODAY.year, kind=CycleStepKind.PLAN,
                             due_on=TODAY - timedelta(days=1), done_on=TODAY - timedelta(days=5))
    body = login(world["jarva_staff"]).get(INDEX).content.decode()
    assert "govuk-tag--red" in body and "govuk-tag--green" in body
    assert "/samordning/steg/" not in body  # staff see the cycle, do not manage it


def test_the_overview_s_queries_do_not_grow_with_the_data(world, login, django_assert_max_num_queries):
    client = login(world["city_coord"])
    client.get(INDEX)

    def add(n: int) -> None:
        for i, district in enumerate(world.districts.values()):
            _report(world, district, title=f"L {n}{i}", start=2020 + n)
            Coordinator.objects.create(municipality="Stockholm", district=district, user=world["jarva_staff"],
                                       tasks="t", since=TODAY)
            CycleStep.objects.create(municipality="Stockholm", district=district, year=TODAY.year - n,
                                     kind=CycleStepKind.PICTURE, due_on=date(TODAY.year - n, 3, 31))

    add(0)
    with django_assert_max_num_queries(30) as few:
        client.get(INDEX)
    add(1)
    add(2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(INDEX)


# --- The coordination pages ---------------------------------------------------------------


def test_naming_a_coordinator_through_the_pages(world, login):
    client = login(world["jarva_coord"])
    staff = world["jarva_staff"]
    url = f"{INDEX}samordning/jarva/samordnare/ny/"
    # The search by name is posted (a name never enters a URL) and answered with the page.
    found = client.post(url, {"intent": "search", "q": staff.last_name})
    assert found.status_code == 200 and "Location" not in found.headers
    assert staff in set(found.context["form"].fields["user"].queryset)
    page = found.content.decode()
    assert f'value="{staff.pk}"' in page
    assert f'value="{world["city_coord"].pk}"' not in page  # the city's staff are not the district's
    assert not [u for u in re.findall(r'(?:href|action)="([^"]*)"', page) if staff.last_name in u]
    assert staff in set(client.get(url, {"q": "nobody-by-this-name"}).context["form"].fields["user"].queryset)
    assert client.post(url, {"intent": "search", "q": " "}).headers["Location"] == url
    response = client.post(f"{INDEX}samordning/jarva/samordnare/ny/",
                           {"q": "", "user": staff.pk, "tasks": "Trygghetssamordnare", "since": "2026-01-01"})
    assert response.status_code == 302
    assert Coordinator.objects.get().user == staff
    response = client.post(f"{INDEX}samordning/jarva/samordnare/ny/",
                           {"q": "", "user": world["police_rinkeby"].pk, "tasks": "x", "since": "2026-01-01"})
    assert response.status_code == 400
    assert Coordinator.objects.count() == 1


def test_pages_404_outside_the_scope_and_403_for_a_weak_role(world, login):
    step = CycleStep.objects.create(municipality="Stockholm", district=world.districts["jarva"], year=TODAY.year,
                                    kind=CycleStepKind.PICTURE, due_on=TODAY)
    skarholmen = login(world["skarholmen_coord"])
    assert skarholmen.get(f"{INDEX}samordning/jarva/samordnare/ny/").status_code == 404
    assert skarholmen.get(f"{INDEX}samordning/steg/{step.pk}/klar/").status_code == 404
    assert skarholmen.get(f"{INDEX}samordning/kommun-goteborg/arshjul/").status_code == 404
    police = login(world["police_rinkeby_lead"])  # sees Järva, may not manage its documents
    assert police.get(f"{INDEX}samordning/steg/{step.pk}/klar/").status_code == 403
    assert police.get(f"{INDEX}samordning/jarva/arshjul/").status_code == 403
    assert login(world["jarva_staff"]).get(f"{INDEX}samordning/jarva/arshjul/").status_code == 403


def test_marking_a_step_done_needs_the_confirmation_and_a_stale_form_gets_409(world, login):
    step = CycleStep.objects.create(municipality="Stockholm", district=world.districts["jarva"], year=TODAY.year,
                                    kind=CycleStepKind.PICTURE, due_on=TODAY)
    client = login(world["jarva_coord"])
    url = f"{INDEX}samordning/steg/{step.pk}/klar/"
    assert client.post(url, {"done_on": TODAY.isoformat(), "version": 1}).status_code == 400
    step.refresh_from_db()
    assert step.done_on is None
    CycleStep.objects.filter(pk=step.pk).update(version=2)  # someone moved the date meanwhile
    response = client.post(url, {"done_on": TODAY.isoformat(), "version": 1, "confirm": "on"})
    assert response.status_code == 409
    response = client.post(url, {"done_on": TODAY.isoformat(), "version": 2, "confirm": "on"})
    assert response.status_code == 302
    step.refresh_from_db()
    assert step.done_on == TODAY


def test_generating_and_moving_through_the_pages(world, login):
    client = login(world["city_coord"])
    assert client.post(f"{INDEX}samordning/kommun-stockholm/arshjul/", {"year": TODAY.year}).status_code == 302
    steps = CycleStep.objects.filter(district__isnull=True, year=TODAY.year)
    assert steps.count() == 3
    plan = steps.get(kind=CycleStepKind.PLAN)
    response = client.post(f"{INDEX}samordning/steg/{plan.pk}/",
                           {"due_on": f"{TODAY.year}-09-15", "note": "", "version": plan.version})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.due_on == date(TODAY.year, 9, 15)
