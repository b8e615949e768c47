"""The roster benchmark's own objective check (issue 14): ``recompute_objective``, written
apart from the solver package, agrees with the engine's objective, and a report whose
objective is not its roster's fails."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from samverkan.rostering.engine.model import Expert, Leave, Requirement, Roster, Weights
from samverkan.rostering.engine.solver.objective import objective, objective_parts
from samverkan.rostering.engine.solver.run import solve

from .helpers import at
from .test_solver import instance, team

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("roster_benchmark", ROOT / "benchmarks" / "roster.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_benchmarks_recomputation_agrees_with_the_engine(bench):
    experts = team(8, prefix="a", groups=("g",)) + team(8, prefix="c", groups=("h",))
    experts += team(3, prefix="s", groups=("g", "h"), qualifications=frozenset({"arabic"}))
    experts[0] = Expert(id="a0", agency="A", groups=frozenset({"g"}), night_allowed=False)
    experts[1] = Expert(id="a1", agency="A", groups=frozenset({"g"}), leave=(Leave(at(2, 0), at(6, 0)),))
    experts[2] = Expert(
        id="a2", agency="A", groups=frozenset({"g"}), avoided_shift_codes=frozenset({"E"}), avoided_weekdays=frozenset({5, 6})
    )
    experts[9] = Expert(id="c1", agency="A", groups=frozenset({"h"}), wanted_shift_codes=frozenset({"D"}))
    p = instance(experts, groups=("g", "h"), days=14)
    p.weights = Weights(fairness_nights=7, fairness_weekends=3, fairness_holidays=0, preference=5)
    # One day shift of h needs a qualification only the shared experts hold.
    first = p.requirements[0]
    p.requirements[0] = Requirement(first.shift_id, first.agency, first.count, frozenset({"arabic"}))
    r = solve(p, time_limit_s=0.01)
    assert r.roster is not None
    parts = objective_parts(p, r.roster)
    assert parts.fairness > 0 and parts.preference > 0
    for roster in (r.roster, Roster(r.roster.assignments[::3]), Roster([])):
        assert bench.recompute_objective(p, roster) == objective(p, roster)
    assert bench.recompute_objective(p, r.roster) == r.objective


def test_the_benchmark_fails_on_an_objective_that_is_not_the_rosters(bench):
    entry = {
        "objective_10s": 50.0,
        "objective_recomputed_10s": 50.0,
        "bound_10s": 10.0,
        "objective_60s": 20.0,
        "objective_recomputed_60s": 20.0,
        "bound_60s": 20.0,
    }
    assert bench.objective_mismatches({"instances": {"x": entry}}) == []
    assert bench.objective_mismatches({"instances": {"x": {**entry, "objective_10s": 60.0}}}) == [
        "x at 10s: objective 60.0, recomputed 50.0"
    ]
    assert bench.objective_mismatches({"instances": {"x": {**entry, "bound_60s": 30.0}}}) == [
        "x at 60s: bound 30.0 above the recomputed objective 20.0"
    ]
    assert bench.objective_mismatches({"instances": {"x": {**entry, "objective_recomputed_60s": None}}})
