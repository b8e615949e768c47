"""The åtgärdsplan's pages on a phone (320 and 390 px wide): the page itself never scrolls
sideways (tables scroll in their own ``.sv-scroll`` region), and axe (WCAG 2.1 AA) finds
nothing — the plan, a measure with its chart, the forms, the decision's confirmation and
the follow-up report."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.browser.conftest import axe_violations, login

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_plan_pages_fit_a_phone_and_pass_axe(live_server, page_factory):
    from samverkan.prevention.models import Measure, MeasureStatus
    from samverkan.prevention.services import plans as services
    from tests.prevention.plan_world import TODAY, build_plan_world, jarva_plan

    world = build_plan_world()
    plan = jarva_plan(world, measures=2)
    measure = Measure.objects.select_related("plan").filter(plan=plan).first()
    for value in ("35", "30"):
        services.progress_record(actor=world["jarva_coord"], access=world.access("jarva_coord"), measure=measure,
                                 recorded_on=TODAY, status=MeasureStatus.ONGOING, note="Patruller på kvällarna",
                                 indicator_value=Decimal(value))
    base = f"/brottsforebyggande/atgardsplan/{plan.pk}/"
    paths = [
        "/brottsforebyggande/atgardsplan/", "/brottsforebyggande/atgardsplan/ny/", base, f"{base}andra/",
        f"{base}atgard/ny/", f"{base}atgard/{measure.pk}/", f"{base}atgard/{measure.pk}/uppfoljning/",
        f"{base}enas/", f"{base}uppfoljning/",
    ]
    page = page_factory()
    login(page, live_server.url, world["jarva_coord"])
    failures = []
    for width in (320, 390):
        page.set_viewport_size({"width": width, "height": 800})
        for path in paths:
            response = page.goto(live_server.url + path)
            assert response is not None and response.status == 200, f"{path}: {response and response.status}"
            if not page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth"):
                failures.append((width, path, "scrolls sideways"))
            violations = axe_violations(page)
            if violations:
                failures.append((width, path, "axe", violations))
    assert not failures, "\n".join(str(f) for f in failures)
