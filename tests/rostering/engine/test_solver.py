"""CP-SAT solver: every roster it returns validates with zero violations."""

from __future__ import annotations

from datetime import time

import pytest

from samverkan.rostering.engine.model import (
    Assignment,
    Expert,
    Leave,
    Problem,
    Requirement,
    Roster,
    Rules,
    Weights,
)
from samverkan.rostering.engine.shifts import generate_shifts, is_night_shift, requirements_for
from samverkan.rostering.engine.solver.bounds import fairness_spreads
from samverkan.rostering.engine.solver.decompose import components
from samverkan.rostering.engine.solver.run import replan, solve
from samverkan.rostering.engine.validator import validate

from .helpers import MONDAY, at


def team(n: int, *, agency: str = "A", groups: tuple[str, ...] = ("g",), prefix: str = "e", **kw) -> list[Expert]:
    return [Expert(id=f"{prefix}{i}", agency=agency, groups=frozenset(groups), **kw) for i in range(n)]


def instance(
    experts: list[Expert],
    *,
    days: int = 14,
    positions: int = 1,
    pattern="3x8",
    groups: tuple[str, ...] = ("g",),
    agencies: tuple[str, ...] = ("A",),
    rules: Rules | None = None,
) -> Problem:
    shifts = []
    reqs = []
    for g in groups:
        sh = generate_shifts(g, MONDAY, days, pattern)
        shifts += sh
        reqs += requirements_for(sh, agencies, positions)
    return Problem(
        period_start=MONDAY,
        days=days,
        shifts=shifts,
        requirements=reqs,
        experts=experts,
        rules=rules or Rules(),
    )


def assert_valid(problem: Problem, result) -> None:
    assert result.status in ("optimal", "feasible"), result.explanation
    assert result.roster is not None
    assert validate(problem, result.roster) == []
    assert result.stats["first_feasible_s"] <= result.stats["wall_s"]
    assert result.objective is not None and result.bound is not None
    assert result.bound <= result.objective + 1e-6


def test_solves_a_small_24_7_roster_that_validates():
    p = instance(team(5))
    r = solve(p, time_limit_s=5)
    assert_valid(p, r)
    assert len(r.roster.assignments) == len(p.shifts)  # one position, every shift
    assert fairness_spreads(p, r.roster)["max"] <= 1


def test_leave_night_rules_and_qualifications_are_kept():
    experts = team(6, qualifications=frozenset({"arabic"}))
    experts[0] = Expert(id="e0", agency="A", groups=frozenset({"g"}), night_allowed=False)
    experts[1] = Expert(
        id="e1",
        agency="A",
        groups=frozenset({"g"}),
        leave=(Leave(at(2, 0), at(6, 0), "sick"),),
        qualifications=frozenset({"arabic"}),
    )
    experts[2] = Expert(
        id="e2",
        agency="A",
        groups=frozenset({"g"}),
        contract_hours_per_week=20,
        qualifications=frozenset({"arabic"}),
    )
    p = instance(experts)
    # Day shifts need the qualification; e0 lacks it, so e0 may only take evening shifts.
    p.requirements = [
        Requirement(
            r.shift_id,
            r.agency,
            r.count,
            frozenset({"arabic"}) if r.shift_id.endswith("T0600") else frozenset(),
        )
        for r in p.requirements
    ]
    r = solve(p, time_limit_s=5)
    assert_valid(p, r)
    worked = {(a.expert_id, a.shift_id) for a in r.roster.assignments}
    shifts = {s.id: s for s in p.shifts}
    assert not any(e == "e0" and is_night_shift(shifts[s], p.rules) for e, s in worked)
    assert not any(e == "e0" and s.endswith("T0600") for e, s in worked)


def test_two_by_twelve_pattern():
    p = instance(team(5), pattern="2x12", days=14)
    r = solve(p, time_limit_s=5)
    assert_valid(p, r)


def test_shared_experts_join_groups_into_one_component():
    experts = (
        team(4, groups=("g",), prefix="g") + team(4, groups=("h",), prefix="h") + team(2, groups=("g", "h"), prefix="s")
    )
    p = instance(experts, groups=("g", "h"), days=7)
    assert len(components(p)) == 1
    r = solve(p, time_limit_s=8)
    assert_valid(p, r)


def test_agencies_split_into_components_and_stay_apart():
    p = instance(
        team(5, agency="A", prefix="a") + team(5, agency="B", prefix="b"),
        agencies=("A", "B"),
        days=7,
    )
    assert len(components(p)) == 2
    r = solve(p, time_limit_s=5)
    assert_valid(p, r)
    by_agency = {a.expert_id[0]: a.agency for a in r.roster.assignments}
    assert by_agency == {"a": "A", "b": "B"}


def test_preferences_are_honoured_when_free():
    experts = team(5)
    experts[0] = Expert(id="e0", agency="A", groups=frozenset({"g"}), avoided_shift_codes=frozenset({"N"}))
    p = instance(experts, days=7)
    p.weights = Weights(preference=50)
    r = solve(p, time_limit_s=5)
    assert_valid(p, r)
    assert not any(a.expert_id == "e0" and a.shift_id.endswith("T2200") for a in r.roster.assignments)


def test_infeasible_is_explained_in_words():
    p = instance(team(3), days=14)  # 3 experts cannot staff 336 h in two weeks
    r = solve(p, time_limit_s=5)
    assert r.status == "infeasible" and r.roster is None
    assert r.explanation and all(isinstance(t, str) for t in r.explanation)
    text = " ".join(r.explanation)
    assert "A, g:" in text and "position-hours" in text and "more full-time expert" in text
    assert r.explanation_details[0].code.startswith("period_capacity")


def test_progress_callback_is_called():
    p = instance(team(5))
    seen: list[dict] = []
    r = solve(p, time_limit_s=5, on_progress=seen.append)
    assert_valid(p, r)
    assert seen
    assert {"objective", "bound", "elapsed_s", "solutions"} <= set(seen[-1])
    assert seen[-1]["objective"] == pytest.approx(r.objective)


def test_cancellation_via_should_stop():
    p = instance(team(5))
    r = solve(p, time_limit_s=30, should_stop=lambda: True)
    assert r.status == "cancelled" and r.roster is None
    assert r.stats["wall_s"] < 5


def test_cancellation_during_the_search():
    p = instance(team(5))
    calls = {"n": 0}

    def stop() -> bool:
        calls["n"] += 1
        return calls["n"] > 3

    r = solve(p, time_limit_s=30, should_stop=stop)
    assert r.status == "cancelled"
    assert r.stats["wall_s"] < 10


def test_hint_is_accepted():
    p = instance(team(5), days=7)
    first = solve(p, time_limit_s=5)
    again = solve(p, time_limit_s=5, hint=first.roster)
    assert_valid(p, again)
    assert again.objective <= first.objective


def test_replan_pins_past_shifts_and_changes_few_assignments():
    p = instance(team(6), days=14)
    base = solve(p, time_limit_s=5)
    assert_valid(p, base)
    # The expert with the most week-2 shifts falls sick from day 8 06:00 (after a pinned
    # night shift would end) to day 11.
    shifts = {s.id: s for s in p.shifts}
    in_leave = [a for a in base.roster.assignments if at(8, 6) <= shifts[a.shift_id].start < at(11, 0)]
    sick_id = max({a.expert_id for a in in_leave}, key=lambda e: (sum(a.expert_id == e for a in in_leave), e))
    experts = [
        Expert(
            id=e.id,
            agency=e.agency,
            groups=e.groups,
            leave=(Leave(at(8, 6), at(11, 0), "sick"),) if e.id == sick_id else (),
        )
        for e in p.experts
    ]
    repaired = Problem(
        period_start=p.period_start,
        days=p.days,
        shifts=p.shifts,
        requirements=p.requirements,
        experts=experts,
        published=base.roster,
        pinned_until=at(8, 0),
    )
    r = replan(repaired, time_limit_s=8)
    assert_valid(repaired, r)
    before = {(a.shift_id, a.expert_id) for a in base.roster.assignments if a.shift_id < "g:20270208"}
    after = {(a.shift_id, a.expert_id) for a in r.roster.assignments if a.shift_id < "g:20270208"}
    assert before == after  # pinned
    published = {(a.shift_id, a.expert_id) for a in base.roster.assignments}
    new = {(a.shift_id, a.expert_id) for a in r.roster.assignments}
    changes = len(published ^ new)
    assert changes == r.stats["changes"]
    removed_sick = sum(
        1 for s, e in published if e == sick_id and shifts[s].start < at(11, 0) and shifts[s].end > at(8, 6)
    )
    assert r.stats["changes_lower_bound"] >= 2 * removed_sick > 0
    assert r.stats["changes_lower_bound"] <= changes <= 4 * len(p.shifts) // 3


def test_replan_without_disturbance_changes_nothing():
    p = instance(team(5), days=7)
    base = solve(p, time_limit_s=5)
    p.published = base.roster
    p.pinned_until = at(2, 0)
    r = replan(p, time_limit_s=5)
    assert_valid(p, r)
    assert r.stats["changes"] == 0 and r.stats["changes_lower_bound"] == 0
    assert r.status == "optimal"


def test_replan_with_an_impossible_pinned_assignment_is_explained():
    p = instance(team(5), days=7)
    base = solve(p, time_limit_s=5)
    victim = base.roster.assignments[0]
    experts = [
        Expert(
            id=e.id,
            agency=e.agency,
            groups=e.groups,
            leave=(Leave(at(0, 0), at(1, 0), "sick"),) if e.id == victim.expert_id else (),
        )
        for e in p.experts
    ]
    repaired = Problem(
        period_start=p.period_start,
        days=p.days,
        shifts=p.shifts,
        requirements=p.requirements,
        experts=experts,
        published=base.roster,
        pinned_until=at(1, 0),
    )
    r = replan(repaired, time_limit_s=5)
    assert r.status == "infeasible"
    assert any("pinned" in t and victim.expert_id in t for t in r.explanation)


def test_late_sick_leave_keeps_the_replan_feasible():
    """A published 4-week roster; the expert who carried the most hours falls sick for the
    last 5 days. Leave lowers the hours cap pro rata, but never below the hours already
    pinned, so the repair exists and validates."""
    days = 28
    q0 = Expert(id="q0", agency="A", groups=frozenset({"g"}), qualifications=frozenset({"q"}))
    p = instance([*team(5, prefix="o"), q0], days=days)
    # Only q0 may work the weekday day shifts of days 0-22: 17 shifts, 136 h pinned, more
    # than the 40 h/week x 23/7 = 131.4 h a pro-rata cap would leave after 5 sick days.
    shifts = {s.id: s for s in p.shifts}
    qualified = {s.id for s in p.shifts if s.code == "D" and s.start < at(23, 0) and s.start.weekday() < 5}
    p.requirements = [
        Requirement(shift_id=r.shift_id, agency=r.agency, count=r.count, qualifications=frozenset({"q"}))
        if r.shift_id in qualified
        else r
        for r in p.requirements
    ]
    base = solve(p, time_limit_s=10)
    assert_valid(p, base)
    pinned = sum(
        shifts[a.shift_id].hours
        for a in base.roster.assignments
        if a.expert_id == "q0" and shifts[a.shift_id].start < at(23, 0)
    )
    assert pinned >= 136 > 40 * 23 / 7
    experts = [
        Expert(
            id=e.id,
            agency=e.agency,
            groups=e.groups,
            qualifications=e.qualifications,
            leave=(Leave(at(23, 0), at(28, 0), "sick"),) if e.id == "q0" else (),
        )
        for e in p.experts
    ]
    repaired = Problem(
        period_start=p.period_start,
        days=days,
        shifts=p.shifts,
        requirements=p.requirements,
        experts=experts,
        published=base.roster,
        pinned_until=at(23, 0),
    )
    r = replan(repaired, time_limit_s=10)
    assert_valid(repaired, r)
    assert not any(a.expert_id == "q0" and shifts[a.shift_id].start >= at(23, 0) for a in r.roster.assignments)
    # The same roster without the pin would break the pro-rata cap: the rule is the pin's.
    unpinned = Problem(
        period_start=p.period_start, days=days, shifts=p.shifts, requirements=p.requirements, experts=experts
    )
    assert "weekly_hours" in {v.rule for v in validate(unpinned, r.roster)}


def test_replan_requires_a_published_roster():
    with pytest.raises(ValueError):
        replan(instance(team(5), days=7), time_limit_s=1)


def test_custom_pattern_and_time_of_day():
    pattern = [("D", time(7), 10.0), ("E", time(17), 7.0), ("N", time(0), 7.0)]
    p = instance(team(6), days=7, pattern=pattern)
    r = solve(p, time_limit_s=5)
    assert_valid(p, r)


def test_roster_assignments_name_the_position_agency():
    p = instance(team(5), days=7)
    r = solve(p, time_limit_s=5)
    assert all(isinstance(a, Assignment) and a.agency == "A" for a in r.roster.assignments)
    assert isinstance(r.roster, Roster)


def test_nothing_required_gives_an_empty_roster():
    p = instance(team(2), days=7)
    p.requirements = []
    r = solve(p, time_limit_s=1)
    assert r.status == "optimal" and r.roster is not None and r.roster.assignments == []
