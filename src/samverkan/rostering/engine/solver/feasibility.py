"""Whether any roster exists at all (the rules only, no objective): the question the
infeasibility explainer and the capacity planner's proofs ask the solver.
"""

from __future__ import annotations

import time

from ortools.sat.python import cp_model

from ..model import Problem
from .build import _Context, _Model
from .decompose import components


def feasible(problem: Problem, *, relax: frozenset[str] = frozenset(), time_limit_s: float = 5.0) -> bool | None:
    """Does any roster satisfy the rules (less ``relax``)? True, False (proven), or None
    when undecided within ``time_limit_s`` (shared by the components). Used to explain
    infeasibility and by the capacity planner's proofs; ignores the objective."""
    comps = components(problem)
    ctx = _Context(problem)
    deadline = time.monotonic() + time_limit_s
    undecided = False
    for comp in comps:
        model = _Model(problem, comp, replan=False, ctx=ctx, relax=relax)
        if model.impossible:
            return False
        model.m.clear_objective()
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 2
        solver.parameters.max_time_in_seconds = max(0.1, deadline - time.monotonic())
        solver.parameters.stop_after_first_solution = True
        status = solver.solve(model.m)
        if status == cp_model.INFEASIBLE:
            return False
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            undecided = True
    return None if undecided else True
