"""Re-planning's pattern bound (column generation over per-expert rosters): a valid lower
bound on the changes, checked against the exact fewest changes, against the Lagrangian
bound at arbitrary prices, and with its pricing checked against enumeration."""

from __future__ import annotations

import random

import numpy as np
import pytest

from samverkan.rostering.engine.model import Problem
from samverkan.rostering.engine.solver import patterns
from samverkan.rostering.engine.solver.bounds import static_changes_lower_bound
from samverkan.rostering.engine.solver.build import _Context, _Model
from samverkan.rostering.engine.solver.decompose import components
from samverkan.rostering.engine.solver.eligibility import conflicts
from samverkan.rostering.engine.solver.patterns import PatternBound
from samverkan.rostering.engine.solver.repair import Repairer

from .test_replan_repair import _fewest_changes, _sick_replan


@pytest.fixture(scope="module")
def sick() -> Problem:
    return _sick_replan()


def _model(p: Problem) -> _Model:
    (comp,) = components(p)
    return _Model(p, comp, replan=True, ctx=_Context(p))


def test_pattern_bound_is_valid_and_far_above_the_static_bound(sick: Problem) -> None:
    fewest = _fewest_changes(sick)
    bound = PatternBound(_model(sick)).run(time_limit_s=30)
    assert bound <= fewest
    # On this problem the linear program over whole rosters closes the gap entirely (the
    # sick experts' shifts are refilled by chains of exchanges the static count misses).
    assert static_changes_lower_bound(sick) < fewest
    assert bound == fewest


def test_lagrangian_bound_holds_at_any_prices(sick: Problem) -> None:
    """For any prices on the coverage equalities the Lagrangian value is a lower bound; a
    sign or constant wrong anywhere in it breaks this for some prices."""
    fewest = _fewest_changes(sick)
    bound = PatternBound(_model(sick))
    rng = random.Random(3)
    cells = len(bound.cells)
    values = []
    for scale in (0.5, 1.0, 2.0, 4.0):
        for _ in range(5):
            pi = np.array([rng.uniform(-scale, scale) for _ in range(cells)])
            value, _priced = bound.lagrangian(pi)
            assert value <= fewest + 1e-6
            values.append(value)
    # At zero prices: the constant (impossible removals) plus each expert's least change.
    zero, _priced = bound.lagrangian(np.zeros(cells))
    assert zero == bound.const
    assert bound.const > 0


def _enumerate(model: _Model, repairer: Repairer, ex_index: int, bound: PatternBound) -> list[list[int]]:
    """Every set of the expert's free shifts that meets all their rules (pinned shifts
    added), by enumeration of the pairwise compatible sets."""
    ex = bound.experts[ex_index]
    rest = model.problem.rules.daily_rest_hours
    pinned = {sid for eid, sid in model.fixed_one if eid == ex.eid}
    n = len(ex.free)
    out: list[list[int]] = []

    def extend(chosen: list[int], nxt: int) -> None:
        if repairer.ok(ex.eid, {ex.free[j].id for j in chosen} | pinned):
            out.append(list(chosen))
        for j in range(nxt, n):
            if all(not conflicts(ex.free[i], ex.free[j], rest) for i in chosen):
                chosen.append(j)
                extend(chosen, j + 1)
                chosen.pop()

    extend([], 0)
    return out


def test_pricing_is_the_exact_minimum_over_the_rule_abiding_rosters(sick: Problem) -> None:
    model = _model(sick)
    repairer = Repairer(model)
    bound = PatternBound(model)
    rng = random.Random(7)
    for k, ex in enumerate(bound.experts):
        feasible = _enumerate(model, repairer, k, bound)
        assert feasible
        # Mixed prices, and high ones (every shift pays: the hours cap and the rests bind).
        for lo, hi in ((-2.5, 2.5), (-2.5, 2.5), (0.0, 6.0), (0.0, 6.0)):
            pi = np.array([rng.uniform(lo, hi) for _ in bound.cells])

            def reduced(pattern: list[int], ex=ex, pi=pi) -> float:
                return ex.base + sum(ex.cost[j] - pi[ex.cell[j]] for j in pattern)

            value, patterns = ex.price(pi)
            best = min(reduced(p) for p in feasible)
            # A relaxation may only find less; here every rule it drops is slack, so equal.
            assert value == pytest.approx(best, abs=1e-9)
            # The pattern returned attains the value, and the others are real patterns.
            assert reduced(patterns[0]) == pytest.approx(value, abs=1e-9)
            for pattern in patterns:
                assert pattern in feasible


def test_without_the_hours_grid_the_pricing_relaxes_and_the_bound_stays_valid(
    sick: Problem, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Too fine an hours grid drops the cap from the pricing: its minimum may only fall
    below the exact one, and the bound stays at most the fewest changes."""
    exact = PatternBound(_model(sick))
    monkeypatch.setattr(patterns, "_MAX_UNITS", 0)
    model = _model(sick)
    relaxed = PatternBound(model)
    assert all(ex.top == 0 for ex in relaxed.experts)
    rng = random.Random(11)
    below = 0
    for _ in range(6):
        pi = np.array([rng.uniform(0.0, 6.0) for _ in relaxed.cells])
        for ex_r, ex_e in zip(relaxed.experts, exact.experts, strict=True):
            v_r, _p = ex_r.price(pi)
            v_e, _p = ex_e.price(pi)
            assert v_r <= v_e + 1e-9
            below += v_r < v_e - 1e-9
    assert below  # the cap binds at these prices
    assert relaxed.run(time_limit_s=30) <= _fewest_changes(sick)
