"""The residents' area page with promises, progress, measures and the poll's results,
the poll itself (with its error summary and thank-you page), and the staff pages for
promises: axe (WCAG 2.1 AA) on each, and no sideways scrolling at 320 px."""

from __future__ import annotations

import os
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone

from samverkan.agreement.models import CitizenPromise, PromiseProgress
from samverkan.prevention.models import DocumentStatus, Measure, PreventionPlan, Problem, SituationReport
from samverkan.public.models import SafetyPollAnswer
from samverkan.public.services import week_start
from tests.browser.conftest import assert_accessible, login
from tests.picture.world import build_local_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module", autouse=True)
def _orm_beside_playwright(request):
    """As in test_public.py: the ORM runs in the thread that holds Playwright's loop."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

    def restore():
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous

    request.config.add_cleanup(restore)


@pytest.fixture
def world(settings):
    settings.TIPS_MIN_FILL_SECONDS = 0
    settings.TIPS_RATE_LIMIT = 1000
    cache.clear()
    w = build_local_world(["jarva_coord"])
    husby = w.areas["husby"]
    promise = CitizenPromise.objects.create(area=husby, title="Tryggare torg", text="Vi finns på torget varje kväll.",
                                            period="2026", published=True)
    PromiseProgress.objects.create(promise=promise, recorded_on=date(2026, 5, 1), state="on_track",
                                   public_text="Vi har varit på torget varje fredag i maj.", internal_note="Intern.")
    common = {"municipality": "Stockholm", "district": w.districts["jarva"], "period_start": date(2026, 1, 1),
              "period_end": date(2027, 12, 31), "status": DocumentStatus.DECIDED}
    report = SituationReport.objects.create(title="Lägesbild", **common)
    plan = PreventionPlan.objects.create(title="Åtgärdsplan", situation_report=report, **common)
    problem = Problem.objects.create(report=report, title="Otrygghet")
    Measure.objects.create(plan=plan, problem=problem, title="Belysning", organisation=w.orgs["jarva"],
                           starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31), indicator="Andel",
                           baseline=Decimal(1), target=Decimal(2), status="ongoing", public=True,
                           public_summary="Bättre belysning vid tunnelbanan och på torget")
    monday = week_start(timezone.localdate())
    SafetyPollAnswer.objects.bulk_create(
        SafetyPollAnswer(area=husby, week_start=monday - timedelta(weeks=i % 4), day_score=1 + i % 5,
                         evening_score=1 + (i * 2) % 5) for i in range(12))
    w.promise = promise
    yield w
    cache.clear()


def _no_sideways_scroll(page, path):
    for width in (320, 390):
        page.set_viewport_size({"width": width, "height": 700})
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), (path, width)


@pytest.mark.parametrize("lang", ["sv", "ar"])
def test_area_page_and_poll_are_accessible(live_server, page_factory, world, lang):
    base = live_server.url
    page = page_factory()
    page.goto(f"{base}/valj-sprak/{lang}/?next=/omraden/husby/")
    page.wait_for_url(f"{base}/omraden/husby/")
    main = page.locator("main").inner_text()
    assert "Vi har varit på torget varje fredag i maj." in main
    assert "Bättre belysning vid tunnelbanan" in main
    assert page.locator("table.results tbody tr").count() == 2
    assert "Intern." not in page.content()
    assert_accessible(page)
    _no_sideways_scroll(page, f"{base}/omraden/husby/")

    page.goto(f"{base}/trygghetsenkat/husby/")
    assert_accessible(page)
    page.click("main button[type=submit]")  # nothing chosen: the error summary
    page.locator(".error-summary").wait_for()  # (the answer page, once it has loaded)
    assert_accessible(page)
    page.check("#id_day_score_3")
    page.check("#id_evening_score_1")
    page.click("main button[type=submit]")
    page.locator("[role=status]").wait_for()  # the thank-you page
    assert page.locator("h1").count() == 1
    assert_accessible(page)
    assert SafetyPollAnswer.objects.filter(day_score=4, evening_score=2).exists()
    _no_sideways_scroll(page, f"{base}/trygghetsenkat/husby/")


def test_staff_promise_pages_are_accessible(live_server, page_factory, world):
    base = live_server.url
    page = page_factory()
    login(page, base, world["jarva_coord"])
    pk = world.promise.pk
    for path in ("/overenskommelser/medborgarloften/", "/overenskommelser/medborgarloften/ny/",
                 f"/overenskommelser/medborgarloften/{pk}/", f"/overenskommelser/medborgarloften/{pk}/andra/",
                 f"/overenskommelser/medborgarloften/{pk}/publicera/"):
        page.goto(f"{base}{path}")
        assert_accessible(page)
    page.goto(f"{base}/overenskommelser/medborgarloften/{pk}/")
    page.fill("#id_public_text", "Pratade med 19900101-1239.")
    page.check("input[name=state][value=behind]")
    page.click("main form button[type=submit]")
    page.locator(".govuk-error-summary").wait_for()
    assert_accessible(page)
    _no_sideways_scroll(page, f"{base}/overenskommelser/medborgarloften/{pk}/")
