"""Capacity arithmetic against hand calculation (legal-facts.md)."""

from __future__ import annotations

import pytest

from samverkan.rostering.engine.capacity import plan, prove_minimum
from samverkan.rostering.engine.model import Rules
from samverkan.rostering.engine.shifts import DEFAULT_AGENCIES


def test_one_24_7_position_is_168_hours_and_4_2_fte():
    p = plan(areas=1)
    assert p.hours_per_week_per_position == 168
    assert p.fte_per_position == pytest.approx(4.2)
    assert p.fte_per_agency_per_area == pytest.approx(8.4)


def test_area_totals_match_legal_facts():
    p = plan(areas=1)
    assert len(DEFAULT_AGENCIES) == 11
    assert p.positions_per_area == 22
    assert p.hours_per_week_per_area == 2 * 11 * 168 == 3696
    assert p.fte_per_area == pytest.approx(92.4)


def test_experts_after_absence_are_rounded_up():
    p = plan(areas=6, absence_rate=0.15)
    # ceil(2 * 4.2 / 0.85) = ceil(9.88) = 10 per agency and area
    assert p.experts_per_agency_per_area == 10
    assert p.experts_per_area == 110
    assert p.experts_total == 660
    assert p.fte_total == pytest.approx(6 * 92.4)
    assert plan(areas=1, absence_rate=0.0).experts_per_agency_per_area == 9  # ceil(8.4)


def test_no_rounding_up_of_floating_point_dust():
    # 5 positions x 4.2 = 21.000000000000004 FTE: exactly 21 experts, not 22.
    assert plan(areas=1, positions_per_agency=5, absence_rate=0.0).experts_per_agency_per_area == 21


def test_yearly_cost():
    costs = {a: 700_000.0 for a in DEFAULT_AGENCIES}
    costs["Polisen"] = 800_000.0
    p = plan(areas=6, cost_per_expert=costs)
    police = next(line for line in p.lines if line.agency == "Polisen")
    assert police.experts_total == 60 and police.yearly_cost == 48_000_000
    assert p.yearly_cost_total == 10 * 60 * 700_000 + 60 * 800_000
    assert plan(areas=1, cost_per_expert={"Polisen": 1.0}).yearly_cost_total is None


def test_patterns_and_rules_change_the_arithmetic():
    assert plan(areas=1, pattern="2x12").hours_per_week_per_position == 168
    from datetime import time

    day_only = plan(areas=1, pattern=[("D", time(8), 8.0)], absence_rate=0.0)
    assert day_only.hours_per_week_per_position == 56
    assert day_only.fte_per_position == pytest.approx(1.4)
    p = plan(areas=1, rules=Rules(max_week_average_hours=37.5))
    assert p.fte_per_position == pytest.approx(168 / 37.5)


def test_bad_inputs_are_refused():
    with pytest.raises(ValueError):
        plan(areas=1, absence_rate=1.0)
    with pytest.raises(ValueError):
        plan(areas=-1)


def test_proven_minimum_for_two_positions_24_7():
    proof = prove_minimum(positions=2, time_limit_s=20)
    # 1,344 h in 4 weeks / 160 h per expert = 8.4 -> 8 cannot give the hours; 9 can roster.
    assert proof.status == "proven"
    assert proof.minimum == 9 and proof.lower_bound == 9 and proof.method == "hours"
    assert proof.with_absence == 11  # ceil(9 / 0.85)
    assert proof.tries[0] == (9, "roster")


def test_minimum_proven_by_the_solver_when_rules_bind():
    # Night workers limited to 1 h per 24 h on average cannot take an 8 h night shift, so
    # no number of experts gives a 24/7 roster: the solver proves each try impossible and
    # only bounds are reported.
    proof = prove_minimum(positions=1, weeks=1, rules=Rules(night_average_hours_per_24h=1), time_limit_s=2)
    assert proof.status == "bound" and proof.best_found is None
    assert proof.method == "solver" and proof.lower_bound > 5
