"""The agreement's pages on a phone (320 and 390 px wide): the page never scrolls
sideways (wide tables scroll inside their own ``.sv-scroll`` region) and axe (WCAG 2.1
AA) finds nothing — the list, the agreement with commitments, promises, the presence
table and forums, the follow-up record, the report, a forum, and the forms."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from samverkan.agreement.models import PresenceReport
from samverkan.agreement.selectors.presence import last_weeks
from tests.agreement.agreement_world import add_presence, build_agreement_world, sign_directly
from tests.agreement.test_follow_up import _fill
from tests.browser.conftest import axe_violations, login
from tests.browser.test_trefas_phone import _WIDEST

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_agreement_pages_fit_a_phone_and_pass_axe(live_server, page_factory):
    world = build_agreement_world()
    sign_directly(world, world.jarva)
    _fill(world)
    promise = add_presence(world, world.jarva)
    for week, value in zip(last_weeks()[-3:], ("3", "4", "5"), strict=True):
        PresenceReport.objects.create(promise=promise, week_start=week, value=Decimal(value))
    jarva = world.jarva
    meeting = jarva.follow_ups.first()
    forum = jarva.forums.first()
    commitment = jarva.commitments.first()
    base = f"/overenskommelser/{jarva.pk}/"
    pages = {
        "police_rinkeby_lead": [
            "/overenskommelser/", base, f"{base}rapport/", f"{base}uppfoljning/{meeting.pk}/",
            f"{base}forum/{forum.pk}/", f"{base}ataganden/{commitment.pk}/", f"{base}forum/ny/",
            f"{base}narvaro/{promise.pk}/rapportera/?week={(timezone.localdate() - timedelta(days=7)).isoformat()}",
            f"{base}uppfoljning/{meeting.pk}/stang/", f"{base}avsluta/",
        ],
        "city_coord": ["/overenskommelser/ny/", f"/overenskommelser/{world.city.pk}/",
                       f"/overenskommelser/{world.city.pk}/andra/", f"/overenskommelser/{world.city.pk}/parter/ny/"],
    }
    failures = []
    for persona, paths in pages.items():
        page = page_factory()
        login(page, live_server.url, world[persona])
        for width in (320, 390):
            page.set_viewport_size({"width": width, "height": 800})
            for path in paths:
                response = page.goto(live_server.url + path)
                assert response is not None and response.status == 200, f"{persona} {path}: {response.status}"
                if not page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth"):
                    failures.append((persona, width, path, "scrolls sideways", page.evaluate(_WIDEST)))
                violations = axe_violations(page)
                if violations:
                    failures.append((persona, width, path, "axe", violations))
        page.context.close()
    assert not failures, "\n".join(str(f) for f in failures)
