"""The local picture's journey (issue 11, acceptance item 2), in a real browser with axe
(WCAG 2.1 AA) on every page: a housing company's reporter reports an incident on a phone
→ it is on the week's map and list → the weekly meeting decides an action → the next
week's meeting follows it up → the measure's indicator moves in the åtgärdsplan → the
promise's progress shows on the residents' page.

The incident happened last week (the form takes up to 30 days back), so that last week's
meeting can decide the action and this week's follow it up, on one day.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from samverkan.agreement.models import CitizenPromise
from samverkan.picture.models import ActionStatus, IncidentReport, WeekAction, week_start_of
from samverkan.prevention.models import (
    DocumentStatus,
    Measure,
    MeasureProgress,
    PreventionPlan,
    Problem,
    SituationReport,
)
from tests.browser.conftest import axe_violations, login
from tests.picture.world import build_local_world

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

FITS = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"


def _iso(day: date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def _check(page, failures: list, label: str, *, phone: bool = False) -> None:
    if phone and not page.evaluate(FITS):
        failures.append((label, "scrolls sideways"))
    violations = axe_violations(page)
    if violations:
        failures.append((label, violations))


def _decided_plan(world):
    """Järva's decided lägesbild and åtgärdsplan with one public measure (baseline 40 %
    feel safe, target 60 %), written directly: deciding them has its own tests."""
    jarva = world.districts["jarva"]
    decided = {"status": DocumentStatus.DECIDED, "decided_by_body": "Järva stadsdelsnämnd",
               "decided_on": date(2026, 2, 1), "decision_reference": "§ 12"}
    report = SituationReport.objects.create(municipality="Stockholm", district=jarva, title="Lägesbild Järva",
                                            period_start=date(2026, 1, 1), period_end=date(2026, 12, 31), **decided)
    problem = Problem.objects.create(report=report, title="Otrygghet vid gångtunnlar", priority=1)
    plan = PreventionPlan.objects.create(municipality="Stockholm", district=jarva, title="Åtgärdsplan Järva",
                                         period_start=date(2026, 1, 1), period_end=date(2026, 12, 31),
                                         situation_report=report, **decided)
    measure = Measure.objects.create(
        plan=plan, problem=problem, title="Belysning och vuxennärvaro i gångtunnlar", organisation=world.orgs["jarva"],
        starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31), indicator="Andel som känner sig trygga",
        indicator_unit="%", baseline=40, target=60, public=True,
        public_summary="Bättre belysning och fler vuxna i gångtunnlarna.")
    return plan, measure


def test_report_map_meeting_follow_up_indicator_and_promise(live_server, page_factory):
    world = build_local_world(["housing_a", "jarva_coord"])
    plan, measure = _decided_plan(world)
    promise = CitizenPromise.objects.create(area=world.areas["husby"], title="Tryggare gångtunnlar",
                                            text="Vi lyser upp och finns på plats.", period="2026", published=True)
    today = timezone.localdate()
    last_week, this_week = _iso(today - timedelta(days=7)), _iso(today)
    failures: list = []

    # 1. The reporter, on a phone: report an incident in Husby (last week).
    phone = page_factory()
    phone.set_viewport_size({"width": 390, "height": 844})
    login(phone, live_server.url, world["housing_a"])
    phone.goto(f"{live_server.url}/trygghet/rapportera/")
    _check(phone, failures, "report form", phone=True)
    phone.check(f"input[name=area][value='{world.areas['husby'].pk}']")
    phone.check(f"input[name=category][value='{world.categories['graffiti'].pk}']")
    phone.click("#report-map")  # the map's centre: inside Husby
    phone.fill("#id_when_date", (today - timedelta(days=7)).isoformat())
    phone.fill("#id_text", "Nytt klotter i gångtunneln JOURNEYMARK.")
    phone.click("main button[type=submit]")
    phone.wait_for_url("**/trygghet/rapporter/**")
    _check(phone, failures, "report page", phone=True)
    report = IncidentReport.objects.get()
    assert report.week_start == week_start_of(today - timedelta(days=7))

    # 2. The district's coordinator: the report is on last week's map and list.
    desk = page_factory()
    desk.set_viewport_size({"width": 1280, "height": 900})
    login(desk, live_server.url, world["jarva_coord"])
    desk.goto(f"{live_server.url}/trygghet/omrade/husby/vecka/{last_week}/")
    assert "JOURNEYMARK" in desk.content()
    points = desk.evaluate("JSON.parse(document.getElementById('week-map-data').textContent).points")
    assert [round(p[0], 3) for p in points] == [round(float(report.lat), 3)]
    desk.wait_for_selector("#week-map .leaflet-map-pane", state="attached")  # the map drew
    _check(desk, failures, "week page")

    # 3. Last week's meeting decides an action.
    desk.goto(f"{live_server.url}/trygghet/omrade/husby/vecka/{last_week}/mote/")
    with desk.expect_navigation():
        desk.click("form[action$='/oppna/'] button[type=submit]")
    desk.wait_for_selector("#id_seen")
    desk.fill("#id_seen", "Klotter och trasig belysning i gångtunneln.")
    with desk.expect_navigation():
        desk.click("form[action$='/uppgifter/'] button[type=submit]")
    desk.fill("form[action$='/atgard/'] #id_text", "Sanera klottret och byta lysrören i gångtunneln.")
    desk.select_option("form[action$='/atgard/'] #id_organisation", str(world.orgs["jarva"].pk))
    desk.fill("form[action$='/atgard/'] #id_due_on", (today + timedelta(days=3)).isoformat())
    with desk.expect_navigation():
        desk.click("form[action$='/atgard/'] button[type=submit]")
    action = WeekAction.objects.get()
    assert action.meeting.week_start == week_start_of(today - timedelta(days=7))
    _check(desk, failures, "last week's meeting")

    # 4. This week's meeting follows it up.
    desk.goto(f"{live_server.url}/trygghet/omrade/husby/vecka/{this_week}/mote/")
    with desk.expect_navigation():
        desk.click("form[action$='/oppna/'] button[type=submit]")
    follow_up = f"form[action$='/uppfoljning/{action.pk}/']"
    desk.wait_for_selector(follow_up)
    desk.select_option(f"{follow_up} select[name$=status]", ActionStatus.DONE)
    desk.fill(f"{follow_up} textarea[name$=note]", "Sanerat och nya lysrör.")
    with desk.expect_navigation():
        desk.click(f"{follow_up} button[type=submit]")
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE and action.followed_up_at.week_start == week_start_of(today)
    _check(desk, failures, "this week's meeting")

    # 5. The measure's indicator moves in the åtgärdsplan.
    desk.goto(f"{live_server.url}/brottsforebyggande/atgardsplan/{plan.pk}/atgard/{measure.pk}/uppfoljning/")
    desk.select_option("#id_status", "ongoing")
    desk.fill("#id_note", "Belysningen bytt i två gångtunnlar.")
    desk.fill("#id_indicator_value", "50")
    _check(desk, failures, "progress form")
    with desk.expect_navigation():
        desk.click("main form button[type=submit]")
    assert MeasureProgress.objects.get(measure=measure).indicator_value == 50
    desk.goto(f"{live_server.url}/brottsforebyggande/atgardsplan/{plan.pk}/uppfoljning/")
    body = desk.content()
    assert "50" in body and "Belysning och vuxennärvaro i gångtunnlar" in body
    _check(desk, failures, "follow-up report")

    # 6. The promise's progress, in plain words, on the residents' page.
    desk.goto(f"{live_server.url}/overenskommelser/medborgarloften/{promise.pk}/")
    desk.check("input[name=state][value=on_track]")
    desk.fill("#id_public_text", "Vi har bytt belysningen i gångtunnlarna PROMISEMARK.")
    _check(desk, failures, "promise progress")
    with desk.expect_navigation():
        desk.click("main form button[type=submit]")
    resident = page_factory()
    resident.set_viewport_size({"width": 390, "height": 844})
    resident.goto(f"{live_server.url}/omraden/husby/")
    body = resident.content()
    assert "PROMISEMARK" in body and "Bättre belysning och fler vuxna i gångtunnlarna." in body
    _check(resident, failures, "residents' page", phone=True)
    assert not failures, "\n".join(str(f) for f in failures)
