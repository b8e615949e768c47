"""Working-time rules added for issue 14: breaks (ATL 15 §), total time over the calculation
period (ATL 10 b §), weekly rest over rolling 7-day windows (ATL 14 §, the stricter
reading), and the period boundary: the previous published period's work is input to the
validator and to the solver."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import datetime, time

import pytest

from samverkan.rostering.engine.model import PriorWork, Problem, Requirement, Rules, Shift
from samverkan.rostering.engine.shifts import (
    generate_shifts,
    longest_stretch,
    requirements_for,
    standard_breaks,
)
from samverkan.rostering.engine.solver.explain import explain
from samverkan.rostering.engine.solver.run import solve
from samverkan.rostering.engine.validator import validate

from .helpers import MONDAY, at, expert, problem, roster, rules_of, sid
from .test_solver import team


def worked(eid: str, *pairs: tuple[datetime, datetime]) -> list[PriorWork]:
    return [PriorWork(expert_id=eid, start=s, end=e) for s, e in pairs]


def day_shifts(*days: int, hour: int = 6) -> list[str]:
    return [sid(d, hour) for d in days]


# ---------------------------------------------------------------- breaks (ATL 15 §)


def test_the_built_in_patterns_keep_every_stretch_within_five_hours():
    for pattern in ("3x8", "2x12"):
        for s in generate_shifts("g", MONDAY, 1, pattern):
            assert s.breaks, pattern
            stretch = longest_stretch(s)
            assert stretch is not None and stretch <= 5.0


def test_custom_shifts_get_the_standard_breaks_unless_they_name_their_own():
    assert standard_breaks(5.0) == ()
    assert standard_breaks(10.0) == ((4.75, 0.5),)
    custom = [("L", time(7), 10.0)]
    standard = generate_shifts("g", MONDAY, 1, custom)[0]
    assert standard.breaks == ((at(0, 11, 45), at(0, 12, 15)),)
    own = generate_shifts("g", MONDAY, 1, custom, breaks={"L": [(6.0, 0.5)]})[0]
    assert own.breaks == ((at(0, 13), at(0, 13, 30)),)
    assert longest_stretch(own) == 6.0


def test_a_roster_on_the_built_in_pattern_has_no_break_violation():
    p = problem(required=[sid(0, 6)], experts=[expert("e1")])
    assert validate(p, roster((sid(0, 6), "e1"))) == []


def test_a_shift_without_a_break_for_too_long_is_reported_once():
    long_stretch = Shift(
        id="g:x", group="g", start=at(0, 8), end=at(0, 16), code="X", breaks=((at(0, 14), at(0, 14, 30)),)
    )
    p = problem(required=[], experts=[expert("e1"), expert("e2")], extra_shifts=[long_stretch])
    p.requirements.append(Requirement(shift_id="g:x", agency="A", count=2))
    v = validate(p, roster(("g:x", "e1"), ("g:x", "e2")))
    assert rules_of(v) == {"breaks"}
    assert len(v) == 1 and v[0].shift_id == "g:x" and "6 h" in v[0].message


def test_the_break_limit_is_configurable():
    p = problem(required=[sid(0, 6)], experts=[expert("e1")], rules=Rules(break_after_hours=3.5))
    v = validate(p, roster((sid(0, 6), "e1")))
    assert rules_of(v) == {"breaks"}  # the 3x8 break after 4 h is too late for 3.5 h


def test_a_shift_whose_breaks_are_not_described_is_not_judged():
    external = Shift(id="g:x", group="g", start=at(0, 8), end=at(0, 16), code="X")  # breaks=None
    p = problem(required=[], experts=[expert("e1")], extra_shifts=[external])
    p.requirements.append(Requirement(shift_id="g:x", agency="A", count=1))
    assert validate(p, roster(("g:x", "e1"))) == []


def test_the_solver_uses_no_shift_without_breaks_and_says_why():
    bare = [replace(s, breaks=()) if s.code == "D" else s for s in generate_shifts("g", MONDAY, 7)]
    p = Problem(
        period_start=MONDAY,
        days=7,
        shifts=bare,
        requirements=requirements_for(bare, ("A",), 1),
        experts=team(6),
        rules=Rules(),
    )
    result = solve(p, time_limit_s=5)
    assert result.status == "infeasible" and result.roster is None
    assert any(d.code == "shift_without_break" for d in explain(p))


# ---------------------------------------------------------------- total time (ATL 10 b §)

TOTAL_RULES = Rules(max_week_average_hours=60, weekly_rest_hours=24, total_reference_weeks=2)


def _total_problem(history: bool) -> Problem:
    p = problem(
        required=day_shifts(0, 1, 2, 3, 4, 5),
        experts=[expert("e1", contract_hours_per_week=60.0)],
        days=7,
        rules=TOTAL_RULES,
    )
    if history:
        # The previous week: seven 8-hour day shifts, 56 h.
        p.history = worked("e1", *((at(d, 6), at(d, 14)) for d in range(-7, 0)))
        p.history_from = at(-7, 0)
    return p


def test_total_time_is_counted_with_the_previous_periods_hours():
    six_days = roster(*((s, "e1") for s in day_shifts(0, 1, 2, 3, 4, 5)))
    # Alone, 48 h in 7 days is within 48 h per 7 days.
    assert validate(_total_problem(history=False), six_days) == []
    # With the previous week's 56 h: 104 h in 14 days, above 2 x 48 = 96 h.
    v = validate(_total_problem(history=True), six_days)
    assert rules_of(v) == {"total_hours"}
    assert "104 h" in v[0].message and "96 h" in v[0].message


def test_total_time_within_the_average_passes_with_history():
    p = _total_problem(history=True)
    p.requirements = [Requirement(shift_id=s, agency="A", count=1) for s in day_shifts(0, 1, 2, 3, 4)]
    five_days = roster(*((s, "e1") for s in day_shifts(0, 1, 2, 3, 4)))
    assert validate(p, five_days) == []  # 56 + 40 = 96 h


def test_history_before_the_calculation_period_does_not_count():
    p = _total_problem(history=True)
    p.rules = replace(TOTAL_RULES, total_reference_weeks=1)
    six_days = roster(*((s, "e1") for s in day_shifts(0, 1, 2, 3, 4, 5)))
    assert validate(p, six_days) == []


def test_the_solver_keeps_total_time_with_the_previous_periods_hours():
    experts = [expert("e1", contract_hours_per_week=60.0), expert("e2", contract_hours_per_week=60.0)]
    p = problem(required=day_shifts(0, 1, 2, 3, 4, 5), experts=experts, days=7, rules=TOTAL_RULES)
    p.history = worked("e1", *((at(d, 6), at(d, 14)) for d in range(-7, 0)))
    p.history_from = at(-7, 0)
    result = solve(p, time_limit_s=5)
    assert result.roster is not None
    assert validate(p, result.roster) == []
    assert sum(1 for a in result.roster.assignments if a.expert_id == "e1") <= 5


# ---------------------------------------------------------------- rolling weekly rest (ATL 14 §)


def _rolling_case(rolling: bool) -> tuple[Problem, object]:
    # Off Monday and Tuesday of week 1, day shifts Wednesday to the next Friday, off the
    # last weekend: each fixed week has a long rest, but the 7 days from Wednesday do not.
    days = [2, 3, 4, 5, 6, 7, 8, 9, 10, 11]
    p = problem(
        required=day_shifts(*days), experts=[expert("e1")], rules=Rules(weekly_rest_rolling=rolling)
    )
    return p, roster(*((s, "e1") for s in day_shifts(*days)))


def test_fixed_weeks_allow_a_roster_that_rolling_windows_do_not():
    p, r = _rolling_case(rolling=False)
    assert validate(p, r) == []
    p, r = _rolling_case(rolling=True)
    v = validate(p, r)
    assert rules_of(v) == {"weekly_rest"}
    assert "in every 7 days" in v[0].message


def test_rolling_windows_pass_a_roster_with_a_long_rest_every_seven_days():
    # Monday to Thursday (80 h from the first start to the last end), then 3 days off.
    # (Monday to Friday would not do: 104 h of work and short rests leave a 7-day window
    # from Saturday evening without 36 h of rest.)
    days = [0, 1, 2, 3, 7, 8, 9, 10]
    p = problem(required=day_shifts(*days), experts=[expert("e1")], rules=Rules(weekly_rest_rolling=True))
    assert validate(p, roster(*((s, "e1") for s in day_shifts(*days)))) == []


@pytest.mark.parametrize("rolling", [False, True])
def test_the_solver_keeps_weekly_rest_under_either_reading(rolling):
    shifts = generate_shifts("g", MONDAY, 14)
    p = Problem(
        period_start=MONDAY,
        days=14,
        shifts=shifts,
        requirements=requirements_for(shifts, ("A",), 1),
        experts=team(6),
        rules=Rules(weekly_rest_rolling=rolling),
    )
    result = solve(p, time_limit_s=10)
    assert result.roster is not None, result.explanation
    assert validate(p, result.roster) == []


# ---------------------------------------------------------------- the period boundary


def test_daily_rest_is_checked_against_the_previous_period():
    p = problem(required=[sid(0, 6)], experts=[expert("e1")], days=7)
    r = roster((sid(0, 6), "e1"))
    assert validate(p, r) == []
    # The previous roster ended with an evening shift: 8 h of rest before Monday 06:00.
    p.history = worked("e1", (at(-1, 14), at(-1, 22)))
    p.history_from = at(-7, 0)
    v = validate(p, r)
    assert rules_of(v) == {"daily_rest"}
    assert "previous period" in v[0].message and v[0].shift_id == sid(0, 6)


def test_a_night_shift_reaching_into_the_period_overlaps_the_first_shift():
    p = problem(required=[sid(0, 6)], experts=[expert("e1")], days=7)
    p.history = worked("e1", (at(-1, 22), at(0, 6, 30)))
    v = validate(p, roster((sid(0, 6), "e1")))
    assert rules_of(v) == {"overlap"}


def test_weekly_rest_counts_the_previous_periods_night_shift():
    # Evening shifts Tuesday to Saturday: week 1's longest rest is Monday 00:00 to Tuesday
    # 14:00, 38 h - but only 32 h when the previous roster's Sunday night ended at 06:00.
    evenings = [sid(d, 14) for d in (1, 2, 3, 4, 5)]
    p = problem(required=evenings, experts=[expert("e1")], days=7)
    r = roster(*((s, "e1") for s in evenings))
    assert validate(p, r) == []
    p.history = worked("e1", (at(-1, 22), at(0, 6)))
    p.history_from = at(-7, 0)
    v = validate(p, r)
    assert rules_of(v) == {"weekly_rest"}
    assert "32 h" in v[0].message


def test_rolling_weekly_rest_reaches_back_into_the_previous_period():
    # The previous week ended with day shifts Thursday to Sunday; this one starts with day
    # shifts Monday to Wednesday: seven days in a row without 36 h of rest.
    days = [0, 1, 2]
    p = problem(required=day_shifts(*days), experts=[expert("e1")], days=7, rules=Rules(weekly_rest_rolling=True))
    r = roster(*((s, "e1") for s in day_shifts(*days)))
    assert validate(p, r) == []
    p.history = worked("e1", *((at(d, 6), at(d, 14)) for d in (-4, -3, -2, -1)))
    p.history_from = at(-7, 0)
    assert rules_of(validate(p, r)) == {"weekly_rest"}


def test_the_solver_respects_rest_across_the_boundary():
    shifts = generate_shifts("g", MONDAY, 7)
    experts = team(6)
    p = Problem(
        period_start=MONDAY,
        days=7,
        shifts=shifts,
        requirements=requirements_for(shifts, ("A",), 1),
        experts=experts,
        rules=Rules(weekly_rest_rolling=True),
    )
    # The previous roster: e0 worked the last night (to Monday 06:00), e1 the last evening,
    # e2 day shifts from Thursday to Sunday.
    p.history = [
        *worked("e0", (at(-1, 22), at(0, 6))),
        *worked("e1", (at(-1, 14), at(-1, 22))),
        *worked("e2", *((at(d, 6), at(d, 14)) for d in range(-4, 0))),
    ]
    p.history_from = at(-7, 0)
    result = solve(p, time_limit_s=10)
    assert result.roster is not None, result.explanation
    assert validate(p, result.roster) == []
    first_day = {a.expert_id for a in result.roster.assignments if a.shift_id == sid(0, 6)}
    assert first_day.isdisjoint({"e0", "e1"})
    # e2 worked Thursday 06:00 to Sunday 14:00; the next 36 h of rest must begin by
    # Monday 06:00, 96 h after the last one ended, so e2 is free until Tuesday 02:00 at least.
    e2 = sorted(s.start for s in shifts for a in result.roster.assignments if a.shift_id == s.id and a.expert_id == "e2")
    assert not e2 or e2[0] >= at(1, 2)


def test_the_solver_and_the_validator_agree_on_rolling_weekly_rest():
    """One expert must work every required shift, so a roster exists exactly when the
    validator accepts that one: the solver's rolling-window model is neither looser nor
    stricter than the validator's rule (random cases, with and without history)."""
    rng = random.Random(3)
    seen = set()
    for _case in range(30):
        days = sorted(rng.sample(range(14), rng.randint(6, 10)))
        required = [sid(d, rng.choice((6, 14, 22))) for d in days]
        p = problem(
            required=required,
            experts=[expert("e1")],
            rules=Rules(weekly_rest_rolling=True, daily_rest_hours=0.0),
        )
        if rng.random() < 0.5:
            before = sorted(rng.sample(range(-7, 0), rng.randint(1, 5)))
            p.history = worked("e1", *((at(d, 6), at(d, 14)) for d in before))
            p.history_from = at(-7, 0)
        valid = not validate(p, roster(*((s, "e1") for s in required)))
        result = solve(p, time_limit_s=5)
        assert (result.roster is not None) == valid, (required, p.history)
        seen.add(valid)
    assert seen == {True, False}


# ---------------------------------------------------------------- two weeks' notice (ATL 12 §)


def _notice_case(override: str = "") -> tuple[Problem, object]:
    published = roster((sid(2, 6), "e1"), (sid(9, 6), "e1"))
    p = problem(required=[sid(2, 6), sid(9, 6)], experts=[expert("e1"), expert("e2")], days=14)
    p.published = published
    p.replanned_at = at(0, 0)
    p.notice_override = override
    p.rules = Rules(schedule_notice_days=7)
    return p, published


def test_changes_inside_the_notice_period_need_a_reason():
    p, _published_roster = _notice_case()
    moved = roster((sid(2, 6), "e2"), (sid(9, 6), "e2"))
    v = validate(p, moved)
    assert rules_of(v) == {"notice"}
    assert {x.shift_id for x in v} == {sid(2, 6)}  # day 9 is after the 7-day notice
    p, _published_roster = _notice_case(override="Expert e1 sick in week 1")
    assert validate(p, moved) == []


def test_replan_keeps_the_notice_period_unless_a_reason_overrides_it():
    from samverkan.rostering.engine.model import Leave
    from samverkan.rostering.engine.solver.run import replan

    sick = (Leave(at(2, 0), at(3, 0), "sick"),)  # inside the 7-day notice period
    p, _published_roster = _notice_case()
    p.experts = [expert("e1", leave=sick), expert("e2")]
    kept = replan(p, time_limit_s=5)
    assert kept.status == "infeasible" and kept.roster is None
    assert any("pinned" in line for line in kept.explanation)

    p, _published_roster = _notice_case(override="Sickness in week 1")
    p.experts = [expert("e1", leave=sick), expert("e2")]
    repaired = replan(p, time_limit_s=5)
    assert repaired.roster is not None
    assert validate(p, repaired.roster) == []
    assert {a.expert_id for a in repaired.roster.assignments if a.shift_id == sid(2, 6)} == {"e2"}
    assert {a.expert_id for a in repaired.roster.assignments if a.shift_id == sid(9, 6)} == {"e1"}
