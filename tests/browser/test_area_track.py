"""The area track in a real browser: create a group → outreach statuses → add experts →
solve with visible progress → publish → an expert's calendar and iCalendar export;
axe (WCAG 2.1 AA) on each page."""

from __future__ import annotations

import pytest

from samverkan.directory.models import Organisation
from samverkan.directory.services import reference_data_load
from samverkan.rostering.models import Expert
from tests.browser.conftest import assert_accessible, login
from tests.factories import OrganisationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _monday_next_week() -> str:
    import datetime as dt

    from django.utils import timezone

    today = timezone.localdate()
    return (today - dt.timedelta(days=today.weekday()) + dt.timedelta(days=7)).isoformat()


def test_group_outreach_experts_solve_publish_calendar(live_server, page_factory, settings):
    settings.ROSTER_TIME_LIMIT_S = 4  # the planner's time is a setting, not a form field
    reference_data_load()
    city = OrganisationFactory(kind="municipal", short_code="test-city")
    coordinator = UserFactory(organisation=city, roles=["coordinator"])
    tull = Organisation.objects.get(short_code="tullverket")
    expert_user = UserFactory(organisation=tull, roles=[])
    base = live_server.url
    page = page_factory()
    login(page, base, coordinator)

    # 1. Create the group.
    page.goto(f"{base}/aktionsgrupper/")
    assert_accessible(page)
    page.click("text=Ny aktionsgrupp") if page.locator(
        "text=Ny aktionsgrupp"
    ).count() else page.goto(f"{base}/aktionsgrupper/ny/")
    page.wait_for_url("**/aktionsgrupper/ny/")
    assert_accessible(page)
    page.fill("#id_name", "Husby")
    page.fill("#id_code", "husby")
    page.check("input[name=areas] >> nth=0")
    page.click("main button[type=submit]")
    page.wait_for_url("**/aktionsgrupper/*/")
    assert_accessible(page)
    group_url = page.url

    # Only Tullverket staffs one position in this test (keeps the solve small).
    page.click("text=Ändra positionerna") if page.locator(
        "text=Ändra positionerna"
    ).count() else page.goto(group_url + "positioner/")
    assert_accessible(page)
    for field in page.locator("input[type=number]").all():
        field.fill("0")
    page.fill(f"#id_agency_{tull.pk}", "1")
    page.click("main button[type=submit]")
    page.wait_for_url(group_url)

    # 2. Outreach: log a contact, then agreed → staffed.
    page.click("[data-testid=outreach-table] >> text=Tullverket")
    page.wait_for_url("**/kontakter/*/")
    assert_accessible(page)
    outreach_url = page.url
    page.click("summary >> nth=0")
    page.fill("#id_c-contacted_on", "2026-01-12")
    page.fill("#id_c-who", "Regionchef")
    page.check("input[name='c-channel'][value=meeting]")
    page.fill("#id_c-summary", "Möte om två experter dygnet runt.")
    page.click("form[action$='/logg/'] button[type=submit]")
    page.wait_for_url(outreach_url)
    for status in ("agreed", "staffed"):
        page.select_option("#id_s-status", status)
        page.fill("#id_s-agreed_experts", "6")
        page.click("form[action$='/status/'] button[type=submit]")
        page.wait_for_url(outreach_url)
    assert page.locator("[data-testid=outreach-status]").get_attribute("data-status") == "staffed"
    assert_accessible(page)
    page.goto(f"{base}/aktionsgrupper/kontakter/")
    assert_accessible(page)

    # 3. Experts: one through the form (with a user account link via the database),
    #    five more directly; 2 × 12 h shifts.
    page.goto(f"{base}/bemanning/experter/ny/")
    assert_accessible(page)
    page.select_option("#id_agency", str(tull.pk))
    page.fill("#id_first_name", "Alva")
    page.fill("#id_last_name", "Expertsson")
    page.check("input[name=home_groups] >> nth=0")
    page.click("main button[type=submit]")
    page.wait_for_url("**/bemanning/experter/*/")
    assert_accessible(page)
    alva = Expert.objects.get(first_name="Alva")
    Expert.objects.filter(pk=alva.pk).update(user=expert_user)
    for i in range(5):
        e = Expert.objects.create(
            agency=tull, first_name=f"Test{i}", last_name="Expertsson", is_demo=True
        )
        e.home_groups.add(alva.home_groups.get())
    page.goto(f"{base}/bemanning/experter/")
    assert_accessible(page)
    group_id = alva.home_groups.get().pk
    page.goto(f"{base}/bemanning/grupper/{group_id}/regler/")
    assert_accessible(page)
    page.select_option("#id_p-kind", "2x12")
    page.click("form:has(input[name=pattern]) button[type=submit]")
    page.wait_for_url(f"**/bemanning/grupper/{group_id}/regler/")

    # 4. Solve with visible progress.
    page.goto(f"{base}/bemanning/grupper/{group_id}/")
    assert_accessible(page)
    page.fill("#id_period_start", _monday_next_week())
    page.fill("#id_weeks", "1")
    page.click("[data-testid=solve]")
    page.wait_for_url("**/jobb/**")
    assert page.locator("progress").count() == 1
    assert page.locator("[data-testid=solve-progress]").is_visible()
    assert page.locator("[data-testid=closeness]").inner_text().strip() != ""
    assert_accessible(page)

    # 5. Publish.
    page.click("[data-testid=version-link]")
    page.wait_for_url("**/bemanning/versioner/*/")
    assert page.locator("[data-testid=roster-grid] caption").count() == 1
    assert_accessible(page)
    page.click("[data-testid=publish]")
    yes = page.locator("main form:has(input[name=confirmed]) button[type=submit] >> nth=0")
    yes.wait_for()  # the confirmation page: what publishing does and that it cannot be taken back
    assert_accessible(page)
    yes.click()
    page.wait_for_url("**/bemanning/versioner/*/")
    page.locator("[data-testid=version-status]").wait_for()
    assert page.locator("[data-testid=version-status]").get_attribute("data-status") == "published"
    assert_accessible(page)
    page.goto(f"{base}/bemanning/grupper/{group_id}/i-tjanst/")
    assert_accessible(page)
    page.goto(f"{base}/bemanning/kontrollera/")
    assert_accessible(page)

    # 6. The expert logs in: own calendar and iCalendar export.
    expert_page = page_factory()
    login(expert_page, base, expert_user)
    expert_page.goto(f"{base}/bemanning/mitt-schema/")
    assert expert_page.locator("[data-testid=calendar] tbody tr").count() >= 1
    assert_accessible(expert_page)
    with expert_page.expect_download() as download:
        expert_page.click("[data-testid=ical-link]")
    from icalendar import Calendar

    with open(download.value.path(), "rb") as fh:
        cal = Calendar.from_ical(fh.read())
    events = [c for c in cal.walk() if c.name == "VEVENT"]
    assert len(events) == expert_page.locator("[data-testid=calendar] tbody tr").count()
