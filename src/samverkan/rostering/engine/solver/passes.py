"""Solving one component: pass 1 (a first roster), pass 2 (improving it), the re-planning
repair; progress reports and cancellation polled from the solution callback.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from ..model import (
    Assignment,
    Problem,
    Roster,
)
from ..validator import validate
from .bounds import static_changes_lower_bound
from .build import _Model
from .decompose import Component, sub_problem
from .patterns import PatternBound
from .repair import NeighbourhoodSearch, Repairer

ProgressFn = Callable[[dict[str, float | None]], None]
StopFn = Callable[[], bool]

# Least seconds between two solutions of one search evaluated for progress (a solution
# of a large component takes a noticeable fraction of a second to read and evaluate).
_KEEP_EVERY_S = 1.0

# Re-planning a disturbed component in pass 1: the share of its time for the pattern bound
# (at most: it stops at convergence or at the roster's changes; the neighbourhood search
# has the rest). The bound rises little until its linear program has its first good prices
# (about 1 s per part on a slower machine), and its last program guides the search.
_PATTERN_SHARE = 0.85
# Experts re-solved at once by the neighbourhood search at first (it widens when stuck).
_SEARCH_SIZE = 5

# Least seconds ``run._Run`` gives a part still without a roster after its share.
_NO_ROSTER_EXTENSION_S = 5.0

_STATUS = {
    cp_model.OPTIMAL: "optimal",
    cp_model.FEASIBLE: "feasible",
    cp_model.INFEASIBLE: "infeasible",
    cp_model.MODEL_INVALID: "invalid",
    cp_model.UNKNOWN: "unknown",
}


class _Callback(cp_model.CpSolverSolutionCallback):
    def __init__(self, on_solution: Callable[[_Callback], None], should_stop: StopFn | None):
        super().__init__()
        self._on_solution = on_solution
        self._should_stop = should_stop
        self.solutions = 0
        self.first_at: float | None = None

    def on_solution_callback(self) -> None:
        self.solutions += 1
        if self.first_at is None:
            self.first_at = time.monotonic()
        self._on_solution(self)
        if self._should_stop is not None and self._should_stop():
            self.stop_search()


@dataclass
class _State:
    """Best known solution of one component. ``objective`` is always the objective of
    ``assignments`` computed from them (``_Model.evaluate``), never CP-SAT's value of a
    solution (which overstates a spread before optimality); ``bound`` is a proven lower
    bound on the component's objective over every roster that meets the rules."""

    model: _Model | None  # None: settled without a model (re-planning, unchanged part)
    comp: Component
    status: str = "unknown"  # unknown | infeasible | feasible | optimal | invalid
    assignments: list[Assignment] | None = None
    objective: float = 0.0
    bound: float = 0.0
    changes: int = 0
    changes_bound: int = 0
    changes_optimal: bool = False

    passes: int = 0
    tried_target: bool = False
    # Re-planning: the pattern bound and the neighbourhood search with its best roster
    # (pairs (expert, shift), possibly with empty positions), resumed in pass 2.
    patterns: PatternBound | None = None
    search: NeighbourhoodSearch | None = None
    search_best: set[tuple[str, str]] | None = None

    @property
    def final(self) -> bool:
        """Nothing left to improve: proven optimal (re-planning: changes and the rest)."""
        return self.status == "optimal"

    @property
    def solved(self) -> bool:
        return self.assignments is not None

    @property
    def size(self) -> int:
        return max(1, len(self.model.x)) if self.model is not None else 1


def _within_need(model: _Model, chosen: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """``chosen`` (pairs (expert, shift)) less the assignments that over-fill a cell: the
    additions first (published assignments are kept where the cell allows)."""
    agency = {e.id: e.agency for e in model.comp.experts}
    by_cell: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for eid, sid in sorted(chosen):
        if (eid, sid) not in model.fixed_one:
            by_cell.setdefault((sid, agency[eid]), []).append((eid, sid))
    out = set(chosen)
    for cell, keys in by_cell.items():
        keys.sort(key=lambda key: key not in model.published_keys)
        out.difference_update(keys[model.ctx.need.get(cell, 0) :])
    return out


class _Passes:
    """One solve over all components with a shared time budget.

    Pass 1 finds a roster for every component (stopping at the first solution; in
    re-planning it minimises the changes); pass 2 spends the remaining time improving the
    components not yet proven optimal, hinted with their pass-1 roster. ``run._Run`` adds the
    loop over all components.
    """

    def __init__(
        self,
        problem: Problem,
        *,
        time_limit_s: float,
        on_progress: ProgressFn | None,
        should_stop: StopFn | None,
        hint: Roster | None,
        replan: bool,
        workers: int = 2,
        lanes: int = 2,
        improve_lanes: int = 1,
    ) -> None:
        self.problem = problem
        self.time_limit_s = time_limit_s
        self.on_progress = on_progress
        self.should_stop = should_stop
        self.hint = hint
        self.replan = replan
        self.workers = workers
        self.lanes = lanes  # components solved at once in pass 1
        self.improve_lanes = improve_lanes  # … in pass 2 (each with ``workers`` threads)
        self.total_count = 0
        self.t0 = time.monotonic()
        self.solutions = 0
        self.cancelled = False
        self.states: list[_State] = []

    def elapsed(self) -> float:
        return time.monotonic() - self.t0

    def remaining(self) -> float:
        return self.time_limit_s - self.elapsed()

    def _stopping(self) -> bool:
        if not self.cancelled and self.should_stop is not None and self.should_stop():
            self.cancelled = True
        return self.cancelled

    def _progress(self) -> None:
        """Report the objective of the roster that would be returned now (the components'
        best rosters, once every component has one) and the sum of their proven bounds."""
        if self.on_progress is None:
            return
        states = list(self.states)
        complete = len(states) == self.total_count and all(st.solved for st in states)
        obj_sum = sum(st.objective for st in states if st.solved)
        bound_sum = sum(min(st.bound, st.objective) if st.solved else st.bound for st in states)
        self.on_progress(
            {
                "objective": obj_sum if complete else None,
                "bound": bound_sum,
                "elapsed_s": round(self.elapsed(), 3),
                "solutions": float(self.solutions),
                "components_done": float(sum(1 for s in self.states if s.solved)),
                "components_total": float(self.total_count),
            }
        )

    def _solve_model(
        self,
        st: _State,
        objective: cp_model.LinearExprT,
        limit: float,
        *,
        hint: Roster | None,
        first_only: bool = False,
        extra: Callable[[cp_model.CpModel], object] | None = None,
        full: bool = False,
        keep: bool = False,
        bound_search: bool = False,
        ls_only: bool = False,
    ) -> tuple[str, cp_model.CpSolver]:
        """Solve ``st``'s model minimising ``objective``. ``full``: the objective is the
        full one and ``extra`` adds nothing, so CP-SAT's bound is a bound on the component
        (raised in ``st.bound`` as the search proves it). ``keep``: a solution that is
        better by its own objective (``_Model.evaluate``) is kept in ``st`` as it is found
        (at most every ``_KEEP_EVERY_S``), so progress reports a roster that exists.
        ``bound_search``: a stronger linear relaxation (linearization level 2), which on
        re-planning's changes objective proves its bound far sooner."""
        model = st.model
        assert model is not None
        m = model.m if extra is None else model.m.clone()
        m.minimize(objective)
        m.clear_hints()
        if hint is not None:
            chosen = {(a.expert_id, a.shift_id) for a in hint.assignments}
            for key, v in model.x.items():
                m.add_hint(v, key in chosen)
        if extra is not None:
            extra(m)
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.05, limit)
        solver.parameters.num_workers = self.workers
        solver.parameters.random_seed = 1
        if bound_search:
            solver.parameters.linearization_level = 2
        if first_only:
            # Presolve dominates the time to a first roster on these models, and the
            # feasibility-jump worker finds one quickly without it.
            solver.parameters.stop_after_first_solution = True
            solver.parameters.cp_model_presolve = False
            solver.parameters.num_workers = 2
            if ls_only:
                # One thread (a job worker solving one part per core): feasibility jump
                # alone, in this thread (the single-thread complete search is many times
                # slower to a first roster on these models).
                solver.parameters.num_workers = 1
                solver.parameters.use_ls_only = True

        last_kept = [-math.inf]

        def on_solution(cb: _Callback) -> None:
            self.solutions += 1
            if full:
                st.bound = max(st.bound, cb.best_objective_bound)
            now = time.monotonic()
            if keep and now - last_kept[0] >= _KEEP_EVERY_S:
                last_kept[0] = now
                self._offer(st, model.assignments(cb.boolean_value))
            self._progress()

        cb = _Callback(on_solution, self.should_stop)
        stop_event = threading.Event()
        watchdog = None
        if self.should_stop is not None:
            should_stop = self.should_stop

            def watch() -> None:
                while not stop_event.wait(0.1):
                    if should_stop():
                        self.cancelled = True
                        solver.stop_search()
                        return

            watchdog = threading.Thread(target=watch, daemon=True)
            watchdog.start()
        try:
            status = solver.solve(m, cb)
        finally:
            stop_event.set()
            if watchdog is not None:
                watchdog.join()
        self._stopping()
        return _STATUS.get(status, "unknown"), solver

    def _offer(self, st: _State, assignments: list[Assignment]) -> bool:
        """Keep ``assignments`` as ``st``'s roster if it has none yet or this one is better
        by its own objective (computed from it); True if kept."""
        assert st.model is not None
        value = st.model.evaluate(assignments)[0]
        if st.assignments is not None and value >= st.objective - 1e-9:
            return False
        st.assignments = assignments
        st.objective = value
        return True

    def _take(self, st: _State, solver: cp_model.CpSolver, *, optimal: bool) -> None:
        """After a solve of the full objective on the unrestricted model: keep its roster if
        better and raise the bound (an optimal status proves the optimum: CP-SAT's value
        of an optimal solution equals its roster's objective)."""
        assert st.model is not None
        self._offer(st, st.model.assignments(solver.boolean_value))
        st.bound = max(st.bound, solver.best_objective_bound, float(st.model.static_lb))
        st.status = "optimal" if optimal or st.objective <= st.bound + 1e-9 else "feasible"

    def _unchanged(self, comp: Component, sub: Problem) -> list[Assignment] | None:
        """Re-planning: the published part of ``comp`` (``sub``: its ``sub_problem``) if it
        still meets every rule (then keeping it, with no change, is the unique optimum),
        else None."""
        assert sub.published is not None
        cells = set(comp.cells)
        kept = [a for a in sub.published.assignments if (a.shift_id, a.agency) in cells]
        if validate(sub, Roster(kept)):
            return None
        return kept

    def _repair(self, st: _State, limit: float) -> None:
        """Re-planning one disturbed component, the fewest changes first.

        1. A constructive repair (repair.Repairer: remove what became impossible, fill each
           hole directly or by a short ejection chain) and the cheap bounds on the changes
           (the static count, the hole-assignment relaxation, Repairer.extra_lower_bound).
        2. The pattern bound (patterns.PatternBound), which also gives a nearly complete
           roster (each expert's heaviest pattern in its final linear program).
        3. A neighbourhood search (repair.NeighbourhoodSearch) from the better of the two
           rosters, to the bound: a few of the component's experts at a time are re-solved
           exactly, the rest kept, widening only when a size stops improving. Pass 2
           resumes the bound and the search in turn.
        4. With no roster at all, CP-SAT on the whole component. Called again for a part
           still without a roster (the run loop's extension), it searches on from what it
           has."""
        model = st.model
        assert model is not None and self.problem.published is not None
        began = time.monotonic()
        deadline = began + limit
        sub = sub_problem(self.problem, st.comp)
        if st.search is not None and st.assignments is None:
            # The run loop's extension for a part without a roster: search on.
            self._search(st, sub, deadline, until_complete=True)
            self._settle(st)
            return
        static = static_changes_lower_bound(sub)
        repairer = Repairer(model)
        greedy, complete = repairer.greedy(lambda: time.monotonic() > deadline - 0.85 * limit)
        extra = repairer.extra_lower_bound(min(1.0, max(0.1, 0.05 * limit)))
        st.changes_bound = max(st.changes_bound, static, static_changes_lower_bound(sub, hours=False) + extra)
        if complete and validate(sub, Roster(greedy)):
            complete = False
        if complete:
            st.assignments = greedy
            st.changes = model.evaluate(greedy)[1]
        # The pattern bound (column generation over whole per-expert rosters): on these
        # problems it is the optimum or within a change or two (the compact model's linear
        # relaxation is far weaker). Its final linear program is nearly integral: each
        # expert's heaviest pattern is a roster with few empty positions, often optimal.
        if st.assignments is None or st.changes > st.changes_bound:
            st.patterns = PatternBound(model)
            st.changes_bound = max(
                st.changes_bound,
                st.patterns.run(
                    time_limit_s=_PATTERN_SHARE * limit,
                    target=st.changes if st.assignments is not None else None,
                    start={(a.expert_id, a.shift_id) for a in greedy},
                ),
            )
        lns = NeighbourhoodSearch(_Model(self.problem, st.comp, replan=True, ctx=model.ctx, elastic=True), repairer.cap)
        start = {(a.expert_id, a.shift_id) for a in greedy}
        guide = st.patterns.guide if st.patterns is not None else None
        if guide is not None:
            guide = _within_need(model, guide | model.fixed_one)
            if lns.feasible(guide) and lns.value(guide) < lns.value(start):
                start = guide
        if not lns.feasible(start):
            start = {(eid, sid) for eid, sids in repairer.kept_within_caps().items() for sid in sids}
        if (st.assignments is None or st.changes > st.changes_bound) and lns.feasible(start):
            # The neighbourhood search from there, to the bound.
            st.search, st.search_best = lns, start
            self._search(st, sub, deadline)
            if lns.value(st.search_best)[0] and st.assignments is None:
                # Positions still empty: search on until none is, with all the time left
                # and at least the 5 s the run loop would give a part without a roster (a
                # roster first; the search keeps what it has found rather than start again).
                until = max(self.remaining() - 0.2, _NO_ROSTER_EXTENSION_S - (time.monotonic() - began))
                self._search(st, sub, time.monotonic() + until, until_complete=True)
        if st.assignments is None:
            # No roster yet: CP-SAT on the whole component from the published roster.
            status, solver = self._solve_model(
                st,
                model.changes_expr(),
                max(0.1, deadline - time.monotonic()),
                hint=self.problem.published,
                bound_search=True,
            )
            if status == "infeasible":
                st.status = "infeasible"
                return
            if status not in ("optimal", "feasible"):
                return
            st.changes = round(solver.objective_value)
            st.assignments = model.assignments(solver.boolean_value)
            st.changes_bound = max(st.changes_bound, math.ceil(solver.best_objective_bound - 1e-6))
        self._prove_changes(st, max(0.0, deadline - time.monotonic()))
        self._settle(st)

    def _settle(self, st: _State) -> None:
        """Re-planning: status, objective and bound of ``st`` after a repair step."""
        model = st.model
        assert model is not None
        if st.assignments is None:
            return
        st.changes_optimal = st.changes <= st.changes_bound
        st.status = "feasible"
        st.objective = model.evaluate(st.assignments)[0]
        st.bound = float(self.problem.weights.change * st.changes_bound + model.static_lb)

    def _search(self, st: _State, sub: Problem, until: float, *, until_complete: bool = False) -> None:
        """Re-planning: the neighbourhood search of ``st`` from its best roster until the
        monotonic time ``until`` (or the bound; ``until_complete``: or a roster without empty
        positions); a complete roster with fewer changes that meets every rule becomes the
        component's."""
        lns = st.search
        assert lns is not None and st.search_best is not None
        best, optimal = lns.run(
            st.search_best,
            deadline=lambda: until - time.monotonic(),
            target=st.changes_bound,
            size=_SEARCH_SIZE,
            until_complete=until_complete,
        )
        st.search_best = best
        empty, changes = lns.value(best)
        if empty == 0 and (st.assignments is None or changes < st.changes):
            agency = {e.id: e.agency for e in st.comp.experts}
            found = [Assignment(shift_id=sid, expert_id=eid, agency=agency[eid]) for eid, sid in sorted(best)]
            if not validate(sub, Roster(found)):
                st.assignments, st.changes = found, changes
                if optimal:
                    st.changes_bound = max(st.changes_bound, changes)

    def _prove_changes(self, st: _State, limit: float) -> None:
        """Raise ``st.changes_bound`` (and improve the roster if CP-SAT finds a better one)
        by asking the whole component's model for a roster with at most k changes: first
        k = 10 % below the roster's changes, then one below (optimality). "None" proves
        k + 1; a roster found is kept and its changes become the next target. Infeasibility
        with a cap on the objective is proven far sooner than a minimisation closes its gap.
        """
        model = st.model
        assert model is not None and st.assignments is not None
        end = time.monotonic() + limit
        while st.changes > st.changes_bound and not self._stopping():
            left = end - time.monotonic()
            if left < 0.05:
                return
            coarse = math.floor(st.changes / 1.1)
            cap = coarse if st.changes_bound <= coarse < st.changes - 1 else st.changes - 1

            def capped(m: cp_model.CpModel, cap: int = cap) -> None:
                m.add(model.changes_expr() <= cap)

            status, solver = self._solve_model(
                st, model.changes_expr(), left, hint=Roster(st.assignments), bound_search=True, extra=capped
            )
            if status == "infeasible":
                st.changes_bound = max(st.changes_bound, cap + 1)
            elif status in ("optimal", "feasible"):
                found = model.assignments(solver.boolean_value)
                changes = model.evaluate(found)[1]
                if changes < st.changes:
                    st.assignments, st.changes = found, changes
                # Every roster with fewer changes than ``cap + 1`` is in the capped model.
                if status == "optimal":
                    st.changes_bound = max(st.changes_bound, st.changes)
                else:
                    st.changes_bound = max(st.changes_bound, math.ceil(solver.best_objective_bound - 1e-6))
            else:
                # Unknown: the capped model's bound holds for the uncapped one up to cap + 1.
                st.changes_bound = max(st.changes_bound, min(cap + 1, math.ceil(solver.best_objective_bound - 1e-6)))
                return

    def _first_pass(self, st: _State, limit: float) -> None:
        model = st.model
        assert model is not None
        if model.impossible:
            st.status = "infeasible"
            return
        if self.replan:
            self._repair(st, limit)
            return
        single = self.workers == 1
        status, solver = self._solve_model(
            st,
            model.full_objective(),
            limit / 2 if single else limit,
            hint=self.hint,
            first_only=True,
            full=True,
            ls_only=single,
        )
        if single and status == "unknown":
            # Local search proves nothing: the complete search, which can also prove
            # that no roster exists, gets the other half.
            status, solver = self._solve_model(st, model.full_objective(), limit / 2, hint=self.hint, full=True)
        if status in ("optimal", "feasible"):
            self._take(st, solver, optimal=status == "optimal")
        elif status == "infeasible":
            st.status = "infeasible"

    def _second_pass(self, st: _State, limit: float) -> None:
        model = st.model
        assert model is not None
        if self.replan:
            if not st.changes_optimal:
                # The bound (column generation resumed) and the roster (the neighbourhood
                # search resumed) in turn; CP-SAT's proof on the whole component only once
                # the pattern bound can rise no further.
                began = time.monotonic()
                if st.patterns is not None and not st.patterns.done and st.changes > st.changes_bound:
                    st.changes_bound = max(
                        st.changes_bound, st.patterns.run(time_limit_s=0.5 * limit, target=st.changes)
                    )
                if st.search is not None and st.changes > st.changes_bound:
                    self._search(st, sub_problem(self.problem, st.comp), began + 0.9 * limit)
                if st.patterns is None or st.patterns.done:
                    self._prove_changes(st, max(0.0, began + 0.9 * limit - time.monotonic()))
                st.changes_optimal = st.changes <= st.changes_bound
                st.bound = max(st.bound, float(self.problem.weights.change * st.changes_bound + model.static_lb))
                st.objective = model.evaluate(st.assignments or [])[0]
                limit = max(0.05, began + limit - time.monotonic())
            best_changes = st.changes
            status, solver = self._solve_model(
                st,
                model.full_objective(),
                limit,
                hint=Roster(st.assignments or []),
                extra=lambda m: m.add(model.changes_expr() <= best_changes),
            )
            if status in ("optimal", "feasible"):
                found = model.assignments(solver.boolean_value)
                value, changes = model.evaluate(found)
                if changes <= st.changes and value <= st.objective + 1e-9:
                    st.assignments, st.objective, st.changes = found, value, changes
                # The bound holds among rosters with at most ``best_changes`` changes; any
                # other roster has at least one more change.
                st.bound = max(
                    st.bound,
                    min(
                        solver.best_objective_bound,
                        float(self.problem.weights.change * (best_changes + 1) + model.static_lb),
                    ),
                )
            st.status = "optimal" if status == "optimal" and st.changes_optimal else "feasible"
            return
        if not st.tried_target and model.spread_vars:
            # Aim straight at the proven bound: every spread at its lower bound. On these
            # models that feasibility question is answered far faster than the search
            # closes the gap from above.
            st.tried_target = True
            rest = self.problem.weights.preference * cp_model.LinearExpr.sum(model.pref_terms)
            status, solver = self._solve_model(
                st,
                rest,
                min(limit, max(1.0, limit / 2)),
                hint=Roster(st.assignments or []),
                first_only=not model.pref_terms,
                extra=lambda m: [
                    m.add(v <= lb) for (_a, _k, v), lb in zip(model.spread_vars, model.spread_lbs, strict=True)
                ],
            )
            if status in ("optimal", "feasible"):
                self._offer(st, model.assignments(solver.boolean_value))
                if st.objective <= st.bound + 1e-9:
                    st.status = "optimal"
            return
        status, solver = self._solve_model(
            st, model.full_objective(), limit, hint=Roster(st.assignments or []), full=True, keep=True
        )
        if status in ("optimal", "feasible"):
            self._take(st, solver, optimal=status == "optimal")
