"""A roster's quality in a coordinator's words (rostering.quality): fairness from the
roster's own spreads, proven best or how close to the best possible, numbers in the
reader's style; on the planner's page and the version's page no solver numbers."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from samverkan.rostering import quality
from samverkan.rostering.services import rosters as roster_services
from samverkan.rostering.services import rules as rule_services
from tests.actiongroups.helpers import make_experts, make_group, monday


def test_fairness_in_words():
    assert quality.fairness_words({"spread_nights": 2, "spread_weekends": 0, "objective": 5}) == [
        "Nights differ by at most 2 between experts of the same agency.",
        "Every expert of an agency has the same number of weekend shifts.",
    ]
    assert quality.fairness_words({"spread_holidays": 1}) == [
        "Public-holiday shifts differ by at most 1 between experts of the same agency."
    ]
    assert quality.fairness_words({}) == [] and quality.fairness_words(None) == []


@pytest.mark.parametrize(
    ("status", "objective", "bound", "words"),
    [
        ("optimal", 540.0, 540.0, "Proven to be the best possible roster under the rules."),
        ("feasible", 0.0, None, "Proven to be the best possible roster under the rules."),
        ("feasible", 646.0, 646.0, "Proven to be the best possible roster under the rules."),
        # 646 against a proven 180: at most 72.1 % worse, rounded up to whole per cent.
        ("feasible", 646.0, 180.0, "Within 73 % of the best possible roster (not proven best)."),
        ("feasible", 200.0, 191.0, "Within 4.5 % of the best possible roster (not proven best)."),
        ("feasible", 50.0, 0.0, "Keeps every rule; the planner could not show how close it is to the best possible roster."),
        ("infeasible", None, None, "No roster keeps every rule."),
        ("unknown", None, None, "No roster was found in the time given."),
    ],
)
def test_how_close_in_words(status, objective, bound, words):
    assert quality.closeness_words(status, objective, bound) == words


def test_while_planning():
    assert quality.closeness_words("", None, None, running=True) == "No roster found yet."
    assert quality.closeness_words("", 42.0, 7.0, running=True) == (
        "The best roster so far is within 84 % of the best possible."
    )


def test_numbers_in_the_readers_style():
    with translation.override("sv"):
        assert "4,5 %" in quality.closeness_words("feasible", 200.0, 191.0)
        assert "4.5" not in quality.closeness_words("feasible", 200.0, 191.0)


@pytest.mark.django_db
def test_the_planner_and_the_version_page_speak_words(personas, reference, logged_in):
    coord = personas["city_coord"]
    group = make_group(coord, positions={"tullverket": 1})
    rule_services.pattern_set(actor=coord, group=group, kind="2x12")
    make_experts(reference["tullverket"], group, 6)
    plan = roster_services.plan_get_or_create(actor=coord, group=group, period_start=monday(1), weeks=2)
    version = roster_services.solve_plan(plan=plan, time_limit_s=4)
    # The roster's own spreads are kept with it (nights and weekends in a 2x12 pattern).
    assert {"spread_nights", "spread_weekends"} <= set(version.stats)
    lines = quality.fairness_words(version.stats)
    assert any(line.startswith(("Nights differ by at most", "Every expert of an agency has the same number of nights"))
               for line in lines)
    html = logged_in(coord).get(f"/bemanning/versioner/{version.pk}/").content.decode()
    assert 'data-testid="fairness"' in html and lines[0] in html
    assert quality.closeness_words(version.solver_status, version.objective, version.bound) in html
    for engineer in ("Objective", "bound", "Bound", "objective"):
        assert engineer not in html, engineer
    # The finished job's page says the same.
    result = {"running": False, "status": version.solver_status, "objective": version.objective,
              "bound": version.bound, "elapsed_s": 1.5, "time_limit_s": 4, **version.stats}
    page = render_to_string("rostering/solve_result.html", {"result": result})
    assert lines[0] in page and "Finished after 1.5 seconds" in page
    assert "objective" not in page.lower() and "bound" not in page.lower()
