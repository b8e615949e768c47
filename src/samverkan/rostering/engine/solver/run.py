"""The solver's entry points (``solve``, ``replan``) and the run loop over all
components with a shared time budget.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

from ..model import (
    Explanation,
    Problem,
    Roster,
    SolveResult,
)
from ..validator import notice_until
from .bounds import gap, static_changes_lower_bound
from .build import _Context, _Model
from .decompose import Component, components, sub_problem, sub_problems
from .explain import explain
from .objective import ObjectiveTerms
from .passes import _NO_ROSTER_EXTENSION_S, ProgressFn, StopFn, _Passes, _State


class _Run(_Passes):
    """One solve over all components with a shared time budget (see ``_Passes``)."""

    def run(self) -> SolveResult:
        comps = components(self.problem)
        self.total_count = len(comps)
        if not comps:  # nothing required: the empty roster is the answer
            empty_stats = {"wall_s": 0.0, "first_feasible_s": 0.0, "objective": 0.0, "bound": 0.0}
            if self.replan:
                published = self.problem.published
                empty_stats["changes"] = float(len(published.assignments) if published else 0)
                empty_stats["changes_lower_bound"] = empty_stats["changes"]
            return SolveResult(status="optimal", roster=Roster([]), objective=0.0, bound=0.0, stats=empty_stats)
        ctx = _Context(self.problem)
        lanes = self.lanes if len(comps) > 1 else 1
        infeasible: list[Component] = []
        first_feasible: float | None = None
        lock = threading.Lock()

        # Pass 1: a roster for every component. Models are built here while earlier ones
        # are being solved in the pool (CP-SAT releases the GIL while it searches).
        est = [max(1, len(c.cells)) * max(1, len(c.experts)) for c in comps]
        left_est = float(sum(est))
        share1 = 0.3
        todo_comps: list[tuple[Component, int]] = []
        # Re-planning: the objective's terms of every component, built once (an unchanged
        # component's objective is its roster's fairness and preferences: no changes).
        replan_terms = ObjectiveTerms(self.problem, comps, replan=True) if self.replan else None
        subs = sub_problems(self.problem, comps) if self.replan else None
        for k, (comp, size) in enumerate(zip(comps, est, strict=True)):
            kept = self._unchanged(comp, subs[k]) if subs is not None else None
            if kept is not None:
                assert replan_terms is not None
                st = _State(None, comp=comp)
                st.assignments = kept
                st.changes = st.changes_bound = 0
                st.changes_optimal = True
                parts = replan_terms.value(kept)
                st.objective = parts.fairness + parts.preference
                # Optimal with changes first (any other roster changes at least one
                # position: a removal and an addition); as a weighted sum, the bound.
                st.bound = min(st.objective, 2.0 * self.problem.weights.change)
                st.status = "optimal"
                self.states.append(st)
            else:
                todo_comps.append((comp, size))
        left_est = float(sum(size for _c, size in todo_comps)) or 1.0
        if self.replan:
            # Only the disturbed components are solved, one at a time with one worker;
            # each takes its share of 90 % of the budget left when it starts (time a component
            # does not need flows to the next), the rest is left for pass 2.
            todo_comps.sort(key=lambda cs: cs[1])
            for comp, size in todo_comps:
                if self._stopping():
                    break
                st = _State(_Model(self.problem, comp, replan=True, ctx=ctx), comp=comp)
                self.states.append(st)
                limit = max(1.0, (self.remaining() * 0.9 - 0.2) * size / left_est)
                left_est -= size
                self._first_pass(st, limit)
            todo_comps = []
        with ThreadPoolExecutor(max_workers=lanes) as pool:
            futures = []
            for comp, size in todo_comps:
                if self._stopping():
                    break
                st = _State(_Model(self.problem, comp, replan=self.replan, ctx=ctx), comp=comp)
                self.states.append(st)
                limit = max(2.0, self.remaining() * share1 * lanes * size / left_est)
                left_est -= size
                futures.append(pool.submit(self._first_pass, st, limit))
            # The objective's terms (problem data only) while CP-SAT searches without the GIL.
            terms = replan_terms or ObjectiveTerms(self.problem, comps, replan=self.replan)
            for f in futures:
                f.result()
        for st in self.states:
            # No roster within its share: one more try with the time left (at least 5 s).
            if st.status == "unknown" and not self._stopping():
                self._first_pass(st, max(_NO_ROSTER_EXTENSION_S, self.remaining()))
        infeasible = [st.comp for st in self.states if st.status == "infeasible"]
        if (
            self.states
            and len(self.states) == len(comps)
            and all(st.solved for st in self.states)
            and not self.cancelled
        ):
            first_feasible = self.elapsed()
            self._progress()
            # Pass 2 (repeated while time is left): improve the components not yet proven
            # optimal, largest gaps first; each gets a share of the time left by its size.
            while not self._stopping() and self.remaining() > 0.1:
                todo = [st for st in self.states if not st.final]
                if not todo:
                    break
                todo.sort(key=lambda st: -(st.objective - st.bound))
                pending = [float(sum(st.size for st in todo))]
                # Many small components: two at a time; few large ones: one with 2 workers.
                lanes = min(self.improve_lanes if len(todo) <= 20 else self.lanes, len(todo))

                def task(st: _State, pending: list[float] = pending, lanes: int = lanes) -> None:
                    with lock:
                        share = self.remaining() * lanes * st.size / max(1.0, pending[0])
                        pending[0] -= st.size
                    if self._stopping() or self.remaining() <= 0.05:
                        return
                    self._second_pass(st, max(0.1, min(share, self.remaining())))
                    self._progress()

                with ThreadPoolExecutor(max_workers=lanes) as pool:
                    list(pool.map(task, todo))

        wall = self.elapsed()
        solved = sum(1 for st in self.states if st.solved)
        stats: dict[str, float] = {
            "wall_s": round(wall, 3),
            "components": float(len(comps)),
            "components_solved": float(solved),
            "solutions": float(self.solutions),
        }
        if self.cancelled:
            return SolveResult(status="cancelled", roster=None, stats=stats)
        if infeasible:
            details: list[Explanation] = []
            for comp in infeasible:
                details.extend(explain(sub_problem(self.problem, comp)))
            stats["infeasible_components"] = float(len(infeasible))
            return SolveResult(
                status="infeasible",
                roster=None,
                explanation=[d.text for d in details],
                explanation_details=details,
                stats=stats,
            )
        if solved < len(comps) or first_feasible is None:
            return SolveResult(
                status="unknown",
                roster=None,
                explanation=[
                    UNKNOWN_TEMPLATE.format(
                        seconds=f"{self.time_limit_s:g}",
                        missing=len(comps) - solved,
                        total=len(comps),
                    )
                ],
                stats=stats,
            )
        assignments = [a for st in self.states for a in (st.assignments or [])]
        assignments.sort(key=lambda a: (a.shift_id, a.agency, a.expert_id))
        roster = Roster(assignments)
        # The objective of the roster returned, recomputed from it (what
        # ``objective.objective(problem, roster)`` gives); the bound is the sum of the
        # components' proven bounds (each at most its roster's objective).
        objective = terms.value(roster.assignments).total
        bound = min(objective, sum(min(st.bound, st.objective) for st in self.states))
        stats["first_feasible_s"] = round(first_feasible, 3)
        stats["objective"] = objective
        stats["bound"] = bound
        stats["gap"] = gap(objective, bound)
        stats["components_optimal"] = float(sum(1 for st in self.states if st.status == "optimal"))
        if self.replan:
            stats["changes"] = float(sum(st.changes for st in self.states))
            stats["changes_lower_bound"] = float(
                max(
                    sum(st.changes_bound for st in self.states),
                    static_changes_lower_bound(self.problem),
                )
            )
        status = "optimal" if all(st.status == "optimal" for st in self.states) else "feasible"
        return SolveResult(
            status=status,
            roster=roster,
            objective=objective,
            bound=bound,
            stats=stats,
        )


UNKNOWN_TEMPLATE = (
    "No roster was found within {seconds} seconds for {missing} of {total} independent "
    "parts of the problem, and none was proven impossible; allow more time."
)


def solve(
    problem: Problem,
    *,
    time_limit_s: float = 60,
    on_progress: ProgressFn | None = None,
    should_stop: StopFn | None = None,
    hint: Roster | None = None,
    threads: int = 2,
) -> SolveResult:
    """Solve ``problem`` within about ``time_limit_s`` seconds (components share the budget;
    a part with no solution in its share gets a short extension). ``on_progress`` receives
    dicts with objective, bound, elapsed_s, solutions, components_done, components_total;
    ``should_stop`` is polled (also from the solution callback) and ends the run with status
    "cancelled". ``hint`` seeds the search with an existing roster. ``threads`` is the
    number of CP-SAT workers and of components searched at once (1 in a job worker that
    solves one part of a larger problem: one process per core)."""
    run = _Run(
        problem,
        time_limit_s=time_limit_s,
        on_progress=on_progress,
        should_stop=should_stop,
        hint=hint,
        replan=False,
        workers=threads,
        lanes=threads,
    )
    return run.run()


def replan(
    problem: Problem,
    *,
    time_limit_s: float = 10,
    on_progress: ProgressFn | None = None,
    should_stop: StopFn | None = None,
) -> SolveResult:
    """Repair ``problem.published`` with the fewest changed assignments (added + removed):
    shifts starting before ``problem.pinned_until`` keep their published assignments, and
    with ``problem.replanned_at`` those in the notice period after it (ATL § 12) unless
    ``problem.notice_override`` names a reason.
    First minimises the changes, then the other objectives among rosters with that many
    changes. ``stats["changes"]`` and ``stats["changes_lower_bound"]`` (a proven bound: the
    larger of the solver's bound and the count of published assignments that became
    impossible plus their refills) are reported."""
    if problem.published is None:
        raise ValueError("replan needs problem.published (the roster to repair)")
    # Two weeks' notice (ATL § 12): without an override the notice period is pinned too.
    notice = notice_until(problem)
    if notice is not None and (problem.pinned_until is None or problem.pinned_until < notice):
        problem = replace(problem, pinned_until=notice)
    run = _Run(
        problem,
        time_limit_s=time_limit_s,
        on_progress=on_progress,
        should_stop=should_stop,
        hint=problem.published,
        replan=True,
        # One CP-SAT worker: the repair is a sequence of small exact solves and one
        # bound search, which one core does as fast as two (and the target holds on a
        # machine whose other core is busy).
        workers=1,
    )
    return run.run()
