"""Infeasibility explained in words, with structured data for translation."""

from __future__ import annotations

from datetime import time

from samverkan.rostering.engine.capacity import instance
from samverkan.rostering.engine.model import Expert, Leave, Problem, Requirement, Rules
from samverkan.rostering.engine.shifts import generate_shifts, requirements_for
from samverkan.rostering.engine.solver.explain import TEMPLATES, explain, explain_infeasible
from samverkan.rostering.engine.solver.run import solve

from .helpers import MONDAY, at


def test_capacity_shortfall_in_words_with_numbers():
    p = instance(6)  # 2 positions 24/7 for 4 weeks = 1,344 position-hours; 6 x 160 = 960
    texts = explain_infeasible(p)
    assert texts[0] == (
        "A, g: 6 experts can cover at most 71 % of the 1,344 position-hours in the period "
        "(4 weeks); at least 3 more full-time experts are needed."
    )
    details = explain(p)
    assert details[0].code == "period_capacity"
    assert details[0].params["more"] == 3
    assert TEMPLATES[details[0].code].format(**details[0].params) == details[0].text


def test_week_shortfall_when_leave_bunches_up():
    experts = [
        Expert(
            id=f"x{i}",
            agency="Tullverket",
            groups=frozenset({"Husby"}),
            leave=(Leave(at(7, 0), at(14, 0), "vacation"),) if i < 4 else (),
        )
        for i in range(10)
    ]
    shifts = generate_shifts("Husby", MONDAY, 28)
    p = Problem(
        period_start=MONDAY,
        days=28,
        shifts=shifts,
        requirements=requirements_for(shifts, ["Tullverket"], 2),
        experts=experts,
    )
    texts = explain_infeasible(p)
    week = [t for t in texts if "week 2" in t]
    assert week and week[0].startswith("Tullverket, Husby: 10 experts can cover at most")
    assert "336 position-hours in week 2" in week[0]
    assert any("have leave" in t for t in texts)


def test_qualification_and_leave_shortage_on_a_shift():
    shifts = generate_shifts("g", MONDAY, 7)
    reqs = [Requirement(s.id, "A", 1, frozenset({"arabic"})) for s in shifts]
    experts = [
        Expert(
            id="q1",
            agency="A",
            groups=frozenset({"g"}),
            qualifications=frozenset({"arabic"}),
            leave=(Leave(at(2, 0), at(3, 0), "sick"),),
        ),
        *[Expert(id=f"n{i}", agency="A", groups=frozenset({"g"})) for i in range(5)],
    ]
    p = Problem(period_start=MONDAY, days=7, shifts=shifts, requirements=reqs, experts=experts)
    details = explain(p)
    codes = [d.code for d in details]
    assert "shift_shortage" in codes
    first = next(d for d in details if d.code == "shift_shortage")
    assert first.params["unqualified"] == 5
    assert "without the required qualifications" in first.text
    assert any(d.code == "more_shift_shortages" for d in details)


def test_no_experts_at_all():
    shifts = generate_shifts("g", MONDAY, 7)
    p = Problem(
        period_start=MONDAY,
        days=7,
        shifts=shifts,
        requirements=requirements_for(shifts, ["Polisen"], 2),
        experts=[],
    )
    texts = explain_infeasible(p)
    assert texts == ["Polisen, g: no expert may serve here, but 336 position-hours are required in the period."]


def test_binding_rule_found_by_relaxing():
    # Hours are ample, but night workers may average only 1 h per 24 h: no one can take
    # a night shift. Dropping that rule makes a roster possible.
    shifts = generate_shifts("g", MONDAY, 7)
    experts = [Expert(id=f"x{i}", agency="A", groups=frozenset({"g"})) for i in range(6)]
    p = Problem(
        period_start=MONDAY,
        days=7,
        shifts=shifts,
        requirements=requirements_for(shifts, ["A"], 1),
        experts=experts,
        rules=Rules(night_average_hours_per_24h=1),
    )
    r = solve(p, time_limit_s=5)
    assert r.status == "infeasible"
    assert r.explanation == [
        "A, g: the hours suffice on paper, but no roster meets every rule at once; dropping "
        "the night work average rule would make one possible, so it is the binding rule."
    ]


def test_too_long_shift_is_named():
    shifts = generate_shifts("g", MONDAY, 2, [("L", time(6), 14.0)])
    p = Problem(
        period_start=MONDAY,
        days=2,
        shifts=shifts,
        requirements=requirements_for(shifts, ["A"], 1),
        experts=[Expert(id="x", agency="A", groups=frozenset({"g"}))],
    )
    details = explain(p)
    assert details[0].code == "shift_too_long" and "14 h" in details[0].text
