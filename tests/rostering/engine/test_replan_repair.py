"""Re-planning's neighbourhood repair: the fewest changes, found from the published roster
by small exact re-solves, checked against an exact solve of the whole model."""

from __future__ import annotations

import time

from ortools.sat.python import cp_model

from samverkan.rostering.engine.model import Expert, Leave, Problem, Roster
from samverkan.rostering.engine.shifts import generate_shifts, requirements_for
from samverkan.rostering.engine.solver.build import _Context, _Model
from samverkan.rostering.engine.solver.decompose import components
from samverkan.rostering.engine.solver.objective import objective
from samverkan.rostering.engine.solver.repair import NeighbourhoodSearch, Repairer
from samverkan.rostering.engine.solver.run import replan, solve
from samverkan.rostering.engine.validator import validate

from .helpers import MONDAY, at


def _sick_replan(n: int = 10, days: int = 14, sick: int = 2) -> Problem:
    """A published roster of ``n`` experts (2 positions on 3x8 shifts); the ``sick``
    experts with the most shifts in days 8-11 fall sick then (pinned until day 8)."""
    shifts = generate_shifts("g", MONDAY, days)
    experts = [Expert(id=f"e{i}", agency="A", groups=frozenset({"g"})) for i in range(n)]
    p = Problem(
        period_start=MONDAY,
        days=days,
        shifts=shifts,
        requirements=requirements_for(shifts, ("A",), 2),
        experts=experts,
    )
    base = solve(p, time_limit_s=10)
    assert base.roster is not None and validate(p, base.roster) == []
    by_id = {s.id: s for s in shifts}
    busy = [a.expert_id for a in base.roster.assignments if at(8, 6) <= by_id[a.shift_id].start < at(11, 0)]
    ill = sorted(set(busy), key=lambda e: (-busy.count(e), e))[:sick]
    return Problem(
        period_start=MONDAY,
        days=days,
        shifts=shifts,
        requirements=p.requirements,
        experts=[
            Expert(
                id=e.id,
                agency=e.agency,
                groups=e.groups,
                leave=(Leave(at(8, 6), at(11, 0), "sick"),) if e.id in ill else (),
            )
            for e in experts
        ],
        published=base.roster,
        pinned_until=at(8, 0),
    )


def _fewest_changes(problem: Problem) -> int:
    """The exact fewest changes: CP-SAT on the whole (single) component, to optimality."""
    (comp,) = components(problem)
    model = _Model(problem, comp, replan=True, ctx=_Context(problem))
    model.m.minimize(model.changes_expr())
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 60
    assert solver.solve(model.m) == cp_model.OPTIMAL
    return round(solver.objective_value)


def test_neighbourhood_search_fills_the_holes_with_the_fewest_changes():
    p = _sick_replan()
    (comp,) = components(p)
    ctx = _Context(p)
    repairer = Repairer(_Model(p, comp, replan=True, ctx=ctx))
    lns = NeighbourhoodSearch(_Model(p, comp, replan=True, ctx=ctx, elastic=True), repairer.cap)
    # From the published roster less the sick experts' shifts: positions are empty.
    start = {(eid, sid) for eid, sids in repairer.kept_within_caps().items() for sid in sids}
    assert lns.feasible(start)
    assert lns.value(start)[0] > 0
    fewest = _fewest_changes(p)
    end = time.monotonic() + 20
    best, _optimal = lns.run(start, deadline=lambda: end - time.monotonic(), target=fewest)
    empty, changes = lns.value(best)
    assert empty == 0
    assert changes == fewest


def test_replan_reaches_its_lower_bound_with_zero_violations():
    p = _sick_replan()
    fewest = _fewest_changes(p)
    r = replan(p, time_limit_s=10)
    assert r.status in ("optimal", "feasible"), r.explanation
    assert r.roster is not None
    assert validate(p, r.roster) == []
    published = {(a.shift_id, a.expert_id) for a in p.published.assignments}  # type: ignore[union-attr]
    new = {(a.shift_id, a.expert_id) for a in r.roster.assignments}
    assert r.stats["changes"] == len(published ^ new) == fewest
    # The bound is proven (valid: at most the exact optimum) and reached.
    assert r.stats["changes_lower_bound"] == fewest
    # The reported objective is the returned roster's own.
    assert r.objective == objective(p, Roster(r.roster.assignments), replan=True)
