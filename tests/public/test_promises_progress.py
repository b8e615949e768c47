"""The residents' area page: published promises with their newest progress in plain
words (never internal notes, never unpublished promises), the top measures of decided
plans marked public, and a cache that is cleared when any of it changes."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from samverkan.agreement.models import CitizenPromise, PromiseProgress
from samverkan.agreement.services import promises as promise_services
from samverkan.picture.selectors.scope import local_access_for
from samverkan.prevention.models import (
    DocumentStatus,
    Measure,
    MeasureProgress,
    PreventionPlan,
    Problem,
    SituationReport,
)
from samverkan.public import selectors
from tests.picture.world import build_local_world

pytestmark = pytest.mark.django_db

NUMBERS = itertools.count(1)
NOTE = "INTERNT: personalbrist hos polisen"


@pytest.fixture
def world():
    w = build_local_world(["jarva_coord", "city_coord"])
    husby = w.areas["husby"]
    kept = CitizenPromise.objects.create(area=husby, title="Tryggare torg", text="Vi finns på torget.",
                                         period="2026", published=True)
    PromiseProgress.objects.create(promise=kept, recorded_on=date(2026, 3, 1), state="not_started",
                                   public_text="Vi börjar i april.", internal_note="gammal anteckning")
    PromiseProgress.objects.create(promise=kept, recorded_on=date(2026, 5, 1), state="on_track",
                                   public_text="Vi har varit på torget varje fredag i maj.", internal_note=NOTE)
    hidden = CitizenPromise.objects.create(area=husby, title="Utkastlöfte", text="Inte klart.", period="2026")
    PromiseProgress.objects.create(promise=hidden, recorded_on=date(2026, 5, 2), state="behind",
                                   public_text="Utkastets framsteg", internal_note="x")
    CitizenPromise.objects.create(area=husby, title="Löfte utan uppföljning", text="Nytt.", period="2027",
                                  published=True)
    CitizenPromise.objects.create(area=w.areas["bredang"], title="Bredängs löfte", text="Annat område.",
                                  period="2026", published=True)
    w.kept = kept
    return w


def _plan(world, *, district="jarva", status=DocumentStatus.DECIDED, municipality="Stockholm"):
    district_obj = world.districts[district] if district else None
    common = {"municipality": municipality, "district": district_obj, "period_start": date(2026, 1, 1),
              "period_end": date(2027, 12, 31), "status": status, "number": next(NUMBERS)}
    report = SituationReport.objects.create(title="Lägesbild", **common)
    plan = PreventionPlan.objects.create(title="Åtgärdsplan", situation_report=report, **common)
    problem = Problem.objects.create(report=report, title="Otrygghet på torget")
    return plan, problem


def _measure(world, plan, problem, summary, *, public=True, status="ongoing", order=100):
    return Measure.objects.create(
        plan=plan, problem=problem, title=f"Intern titel {summary}", organisation=world.orgs["jarva"],
        starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31), indicator="Andel trygga", baseline=Decimal(40),
        target=Decimal(60), status=status, public=public, public_summary=summary, order=order,
        description="Intern beskrivning",
    )


def _page(world, code="husby") -> str:
    response = Client().get(reverse("public:area", args=[code]))
    assert response.status_code == 200
    return response.content.decode()


def test_only_published_promises_show_with_their_newest_progress_in_plain_words(world):
    body = _page(world)
    assert "Tryggare torg" in body
    assert "It is going as planned" in body  # the state in words, not its code
    assert "Vi har varit på torget varje fredag i maj." in body
    assert "2026-05-01" in body
    assert "Vi börjar i april." not in body  # only the newest entry
    assert "Löfte utan uppföljning" in body and "We have not told you how it is going yet." in body
    assert "Utkastlöfte" not in body and "Utkastets framsteg" not in body
    assert "Bredängs löfte" not in body


def test_internal_notes_never_reach_the_page_or_the_selector(world):
    body = _page(world)
    assert NOTE not in body and "gammal anteckning" not in body
    page = selectors.area_page(code="husby")
    assert NOTE not in repr(page)
    for promise in page.promises:
        assert not hasattr(promise.progress, "internal_note")


def test_the_area_page_reads_promises_measures_and_poll_in_a_fixed_number_of_queries(
    world, django_assert_max_num_queries
):
    plan, problem = _plan(world)
    for i in range(5):
        _measure(world, plan, problem, f"Åtgärd {i}")
    for i in range(10):
        promise = CitizenPromise.objects.create(area=world.areas["husby"], title=f"L{i}", text="t", period="2026",
                                                published=True)
        PromiseProgress.objects.create(promise=promise, recorded_on=date(2026, 1, 1), state="kept",
                                       public_text="Klart.")
    with django_assert_max_num_queries(10):
        selectors.area_page(code="husby")


def test_top_measures_are_public_ones_of_decided_plans_of_the_district_or_the_municipality(world):
    decided, problem = _plan(world)
    _measure(world, decided, problem, "Fler vuxna på torget kvällstid", order=2)
    _measure(world, decided, problem, "Bättre belysning vid tunnelbanan", status="done", order=1)
    _measure(world, decided, problem, "Hemlig åtgärd", public=False)
    draft, draft_problem = _plan(world, status=DocumentStatus.DRAFT)
    _measure(world, draft, draft_problem, "Åtgärd i utkast")
    other, other_problem = _plan(world, district="skarholmen")
    _measure(world, other, other_problem, "Skärholmens åtgärd")
    city, city_problem = _plan(world, district=None)
    _measure(world, city, city_problem, "Stadens åtgärd för alla områden")
    elsewhere, elsewhere_problem = _plan(world, district=None, municipality="Solna")
    _measure(world, elsewhere, elsewhere_problem, "Solnas åtgärd")
    body = _page(world)
    assert body.index("Bättre belysning vid tunnelbanan") < body.index("Fler vuxna på torget kvällstid")
    assert body.index("Fler vuxna på torget kvällstid") < body.index("Stadens åtgärd för alla områden")
    assert "Done" in body and "Under way" in body  # status in plain words
    for absent in ("Hemlig åtgärd", "Åtgärd i utkast", "Skärholmens åtgärd", "Solnas åtgärd", "Intern titel",
                   "Intern beskrivning", "Andel trygga"):
        assert absent not in body, absent
    # At most three.
    _measure(world, decided, problem, "En fjärde åtgärd", order=3)
    measures = selectors.public_measures_for_area(world.areas["husby"], limit=3)
    assert [m.summary for m in measures] == [
        "Bättre belysning vid tunnelbanan", "Fler vuxna på torget kvällstid", "En fjärde åtgärd"]


def test_adding_progress_through_the_service_clears_the_cached_page(world, django_capture_on_commit_callbacks):
    client = Client()
    url = reverse("public:area", args=["husby"])
    client.get(url)
    assert client.get(url)["X-Public-Cache"] == "hit"
    actor = world["jarva_coord"]
    with django_capture_on_commit_callbacks(execute=True):
        promise_services.progress_add(
            actor=actor, access=local_access_for(actor), promise=world.kept, expected_version=world.kept.version,
            recorded_on=timezone.localdate(), state="kept", public_text="Löftet är hållet.")
    response = client.get(url)
    assert response.get("X-Public-Cache") is None
    assert "Löftet är hållet." in response.content.decode()
    assert "We have kept the promise" in response.content.decode()


def test_unpublishing_through_the_service_clears_the_cached_page(world, django_capture_on_commit_callbacks):
    client = Client()
    url = reverse("public:area", args=["husby"])
    assert "Tryggare torg" in client.get(url).content.decode()
    actor = world["jarva_coord"]
    with django_capture_on_commit_callbacks(execute=True):
        promise_services.promise_set_published(actor=actor, access=local_access_for(actor), promise=world.kept,
                                               published=False, expected_version=world.kept.version)
    assert "Tryggare torg" not in client.get(url).content.decode()


def test_a_changed_measure_or_its_progress_clears_the_cached_page(world, django_capture_on_commit_callbacks):
    plan, problem = _plan(world)
    client = Client()
    url = reverse("public:area", args=["husby"])
    client.get(url)
    assert client.get(url)["X-Public-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        measure = _measure(world, plan, problem, "Ny åtgärd för torget")
    assert "Ny åtgärd för torget" in client.get(url).content.decode()
    assert client.get(url)["X-Public-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        MeasureProgress.objects.create(measure=measure, recorded_on=date(2026, 6, 1), status="done")
    assert client.get(url).get("X-Public-Cache") is None


def test_a_versioned_update_of_a_measure_clears_the_cached_page(world, django_capture_on_commit_callbacks):
    """The prevention services write through lib.concurrency (an UPDATE, no post_save)."""
    from samverkan.lib.concurrency import update_versioned

    plan, problem = _plan(world)
    measure = _measure(world, plan, problem, "Åtgärd som byter status")
    client = Client()
    url = reverse("public:area", args=["husby"])
    client.get(url)
    assert client.get(url)["X-Public-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        update_versioned(Measure, pk=measure.pk, version=measure.version, status="done")
    response = client.get(url)
    assert response.get("X-Public-Cache") is None
    assert "Åtgärd som byter status</span> <span class=\"state\">(Done)</span>" in response.content.decode()


@pytest.mark.parametrize("lang", ["sv", "en", "ar", "so", "sv-ll"])
def test_the_page_with_promises_and_measures_renders_in_every_public_language(world, lang):
    plan, problem = _plan(world)
    _measure(world, plan, problem, "Fler vuxna på torget kvällstid")
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    response = client.get(reverse("public:area", args=["husby"]))
    assert response.status_code == 200
    assert response["Content-Language"] == lang
    body = response.content.decode()
    assert "Vi har varit på torget varje fredag i maj." in body and "Fler vuxna på torget kvällstid" in body
