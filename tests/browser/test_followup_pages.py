"""axe (WCAG 2.1 AA) on the statistics and log review pages in a real browser."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, login
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_statistics_and_log_review_pages_are_accessible(live_server, page_factory, tmp_path):
    from samverkan.audit.services import bulk_append
    from samverkan.cases import reference as programmes
    from samverkan.cases.models import Case, Programme
    from samverkan.directory.models import District, Organisation
    from samverkan.directory.services import reference_data_load
    from samverkan.lib.identity_numbers import make_fictitious
    from samverkan.logreview.services import review_sample
    from samverkan.people.models import Person

    reference_data_load()
    programmes.load()
    jarva = Organisation.objects.get(short_code="sdf-jarva")
    manager = UserFactory(organisation=jarva, roles=["manager"])
    reviewer = UserFactory(organisation=jarva, roles=["log_reviewer"])
    programme = Programme.objects.get(code="sig-unga-jarva")
    district = District.objects.get(code="jarva")
    from django.utils import timezone

    for i, status in enumerate(["active"] * 9 + ["intake"] * 2 + ["closed"] * 6):
        person = Person.objects.create(
            identity_number=make_fictitious(date(2011, 1, 1), 100 + i), identity_kind="personnummer",
            first_name="T", last_name="T", birth_date=date(2011, 1, 1), is_fictitious=True)
        Case.objects.create(programme=programme, person=person, lead_organisation=jarva, district=district,
                            status=status, intake_source="police", received_on=date(2025, 3, 1),
                            last_entry_at=timezone.now(), closed_at=timezone.now() if status == "closed" else None)
    bulk_append([{"action": "case.viewed", "actor_id": manager.pk, "actor_organisation_id": jarva.pk,
                  "subject_type": "case", "subject_id": "x", "subject_organisation_id": jarva.pk,
                  "detail": {"emergency": True}}])
    today = timezone.localdate()
    review_sample(organisation_id=jarva.pk, month=today.replace(day=1))

    _check_pages(page_factory, live_server.url, manager, reviewer, today, tmp_path)


def _check_pages(page_factory, base, manager, reviewer, today, tmp_path):
    page = page_factory(locale="sv-SE")
    login(page, base, manager)
    page.goto(f"{base}/statistik/")
    charts = page.locator("img.sv-chart")
    assert charts.count() >= 3
    for i in range(charts.count()):
        chart = charts.nth(i)
        # The SVG image was allowed by the CSP and drawn, with its words as the alternative.
        assert chart.evaluate("img => img.complete && img.naturalWidth > 0"), i
        assert chart.get_attribute("alt").strip()
    assert_accessible(page)
    page.screenshot(path=str(tmp_path / "statistics.png"), full_page=True)

    page = page_factory(locale="sv-SE")
    login(page, base, reviewer)
    page.goto(f"{base}/loggranskning/")
    assert_accessible(page)
    page.goto(f"{base}/loggranskning/{today.year}-{today.month}/")
    assert page.locator("table tbody tr").count() >= 1
    assert_accessible(page)
    page.check("input[name=outcome][value=ok]")
    page.click("main form button[type=submit] >> nth=-1")
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    assert_accessible(page)
    page.screenshot(path=str(tmp_path / "logreview.png"), full_page=True)
