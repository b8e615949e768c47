"""The participant's plan prints names, goals and commitments as they were typed.

Before the fix the plan went through reportlab paragraph markup; now it is an
autoescaped template: a name such as ``<img src="/etc/hostname"/>`` is printed as those
characters, nothing is fetched but the print stylesheet, and the PDF links nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from samverkan.plans import services
from samverkan.plans.selectors import plan_for_case
from tests.documents import FORMULAS, HOSTILE_MARKUP, assert_printed_literally, spy_on_document_fetches
from tests.world import adult_world

pytestmark = pytest.mark.django_db


def test_plan_pdf_prints_hostile_text_literally(logged_in, monkeypatch):
    world = adult_world(first_name=HOSTILE_MARKUP[2], last_name=HOSTILE_MARKUP[0])
    access = world.access(world.lead)
    goal = services.goal_create(
        actor=world.lead, case=world.case, access=access, life_area="school",
        title=HOSTILE_MARKUP[1], description=f"{FORMULAS[0]}\n{HOSTILE_MARKUP[0]}",
    )
    services.commitment_create(
        actor=world.lead, case=world.case, access=access, description=HOSTILE_MARKUP[2],
        responsible=world.lead, due_on=timezone.localdate() + timedelta(days=3), goal=goal,
    )
    plan = plan_for_case(case=world.case)
    services.plan_summary_update(
        actor=world.lead, case=world.case, access=world.access(world.lead),
        expected_version=plan.version, summary=HOSTILE_MARKUP[1],
    )
    spy = spy_on_document_fetches(monkeypatch)
    response = logged_in(world.lead).get(f"/arenden/{world.case.public_id}/plan/plan.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert_printed_literally(
        response.content,
        [f"{HOSTILE_MARKUP[2]} {HOSTILE_MARKUP[0]}", *HOSTILE_MARKUP, FORMULAS[0]],
    )
    spy.assert_only_static()
