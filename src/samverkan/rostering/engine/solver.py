"""Roster solver on OR-Tools CP-SAT.

Formulation (one boolean x[e, s] per expert and shift the expert may work at all):

* Eligibility removes variables instead of adding constraints: the expert's agency has a
  requirement on the shift, the shift's group is one of the expert's groups, the shift does
  not overlap leave, is not a night shift for an expert without night work, is not longer
  than ``max_shift_hours`` nor than 24 - daily rest (the validator's 24-hour window rule),
  and the expert holds the qualifications of a sole requirement.
* Coverage: sum of x over the (shift, agency) cell == required count (plus, with several
  requirements on one cell, enough qualified experts for each).
* Daily rest and overlaps: two shifts conflict when the later one starts less than
  ``daily_rest_hours`` after the earlier one ends. Conflicts are covered by cliques
  (for 3x8: {D, E, N} of a day, {E, N, D+1}, {N, D+1, E+1}) posted as at-most-one, the rest
  as pairs.
* Weekly rest: per expert and 7-day block, a boolean per candidate free window of
  ``weekly_rest_hours`` starting at the block's start or at the end of one of the expert's
  possible shifts; a chosen window forbids every shift overlapping it; at least one window
  per block. (A maximal free stretch always starts at one of those points, so this is
  exact.)
* Hours: sum of shift minutes <= min(average, contract) cap in minutes (validator.hours_caps:
  leave lowers the cap pro rata, never below the expert's pinned hours).
* Night workers: a literal "works a night" implied by every night shift enforces the
  night-average cap (posted only where it can bind).

Soft (minimised, weighted by ``problem.weights``): per (group, agency) cohort the spread
(max - min) of nights, weekend shifts and holiday shifts; preference penalties (an avoided
shift code or weekday, or a shift outside the wanted codes); and in re-planning the number
of changed assignments (added + removed, each counts one).

Independent components (experts linked through the (group, agency) cells they may fill)
are solved one after the other, sharing the time budget; small components usually prove
optimality long before their share runs out.
"""

from __future__ import annotations

import math
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ortools.sat.python import cp_model

from .model import (
    Assignment,
    Expert,
    Explanation,
    Problem,
    Requirement,
    Roster,
    Shift,
    SolveResult,
)
from .shifts import is_night_shift
from .validator import hours_caps, night_cap, on_leave, period_bounds, pinned_hours, validate

ProgressFn = Callable[[dict[str, float | None]], None]
StopFn = Callable[[], bool]

_STATUS = {
    cp_model.OPTIMAL: "optimal",
    cp_model.FEASIBLE: "feasible",
    cp_model.INFEASIBLE: "infeasible",
    cp_model.MODEL_INVALID: "invalid",
    cp_model.UNKNOWN: "unknown",
}


# --------------------------------------------------------------------------- components


@dataclass
class Component:
    """Experts and requirement cells that interact; solved as one CP-SAT model."""

    experts: list[Expert] = field(default_factory=list)
    cells: list[tuple[str, str]] = field(default_factory=list)  # (shift_id, agency)

    @property
    def label(self) -> str:
        agencies = sorted({a for _s, a in self.cells} | {e.agency for e in self.experts})
        return ", ".join(agencies)


def components(problem: Problem) -> list[Component]:
    """Split the problem into independent parts: an expert links the (group, agency) cells
    of all groups they may serve; cells without any expert form their own component."""
    parent: dict[tuple[str, str], tuple[str, str]] = {}

    def find(x: tuple[str, str]) -> tuple[str, str]:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: tuple[str, str], b: tuple[str, str]) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[ra] = rb

    shift_group = {s.id: s.group for s in problem.shifts}
    for e in problem.experts:
        nodes = [(g, e.agency) for g in sorted(e.groups)]
        for n in nodes:
            find(n)
        for n in nodes[1:]:
            union(nodes[0], n)
    comps: dict[tuple[str, str], Component] = {}
    for e in problem.experts:
        if not e.groups:
            continue
        root = find((sorted(e.groups)[0], e.agency))
        comps.setdefault(root, Component()).experts.append(e)
    seen: set[tuple[str, str]] = set()
    for r in problem.requirements:
        key = (r.shift_id, r.agency)
        if key in seen or r.shift_id not in shift_group:
            continue
        seen.add(key)
        root = find((shift_group[r.shift_id], r.agency))
        comps.setdefault(root, Component()).cells.append(key)
    return [c for c in comps.values() if c.cells]


def sub_problem(problem: Problem, comp: Component) -> Problem:
    """The part of ``problem`` that ``comp`` covers (for explanations)."""
    shift_ids = {s for s, _a in comp.cells}
    cells = set(comp.cells)
    expert_ids = {e.id for e in comp.experts}
    published = None
    if problem.published is not None:
        published = Roster([a for a in problem.published.assignments if a.expert_id in expert_ids])
    return Problem(
        period_start=problem.period_start,
        days=problem.days,
        shifts=[s for s in problem.shifts if s.id in shift_ids],
        requirements=[r for r in problem.requirements if (r.shift_id, r.agency) in cells],
        experts=list(comp.experts),
        rules=problem.rules,
        weights=problem.weights,
        published=published,
        pinned_until=problem.pinned_until,
    )


# --------------------------------------------------------------------------- model

KINDS = ("nights", "weekends", "holidays")


def _kind_predicate(kind: str, night: set[str]) -> Callable[[Shift], bool]:
    if kind == "nights":
        return lambda s: s.id in night
    if kind == "weekends":
        return lambda s: s.is_weekend
    return lambda s: s.is_holiday


def conflicts(a: Shift, b: Shift, rest_hours: float) -> bool:
    """True if one expert may not work both (overlap, or less than the daily rest between)."""
    if (b.start, b.end) < (a.start, a.end):
        a, b = b, a
    return (b.start - a.end).total_seconds() < rest_hours * 3600 - 1e-6


def eligible(
    problem: Problem,
    expert: Expert,
    shift: Shift,
    reqs: Sequence[Requirement],
    *,
    night: bool | None = None,
) -> bool:
    """May ``expert`` be put on ``shift`` at all (before any interaction with other shifts)?"""
    rules = problem.rules
    if shift.group not in expert.groups or not reqs or sum(r.count for r in reqs) <= 0:
        return False
    if shift.hours > rules.max_shift_hours + 1e-9:
        return False
    if shift.hours > 24 - rules.daily_rest_hours + 1e-9:
        return False
    if on_leave(expert, shift):
        return False
    if not expert.night_allowed and (is_night_shift(shift, rules) if night is None else night):
        return False
    return not (len(reqs) == 1 and not reqs[0].qualifications <= expert.qualifications)


class _Context:
    """Facts about the whole problem, computed once and shared by every component model."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        rules = problem.rules
        self.shifts = {s.id: s for s in problem.shifts}
        self.reqs: dict[tuple[str, str], list[Requirement]] = defaultdict(list)
        for r in problem.requirements:
            self.reqs[(r.shift_id, r.agency)].append(r)
        self.need = {k: sum(r.count for r in v) for k, v in self.reqs.items()}
        self.night = {s.id for s in problem.shifts if is_night_shift(s, rules)}
        self.minutes = {s.id: round(s.hours * 60) for s in problem.shifts}
        self.published: set[tuple[str, str]] = set()
        self.pinned_until = problem.pinned_until if problem.published is not None else None
        if problem.published is not None:
            self.published = {(a.shift_id, a.expert_id) for a in problem.published.assignments}
        self.pinned_hours = pinned_hours(problem) if self.pinned_until is not None else {}
        p0, _p1 = period_bounds(problem)
        self.blocks = [
            (p0 + timedelta(days=7 * k), p0 + timedelta(days=7 * (k + 1))) for k in range(math.ceil(problem.days / 7))
        ]
        self._cliques: dict[tuple[object, ...], list[tuple[int, ...]]] = {}
        self._windows: dict[tuple[str, ...], list[list[list[int]] | None]] = {}

    def cliques(self, mine: list[Shift], rest: float) -> list[tuple[int, ...]]:
        """Index cliques covering every conflicting pair of ``mine`` (sorted by start)."""
        key = (rest, *(s.id for s in mine))
        cached = self._cliques.get(key)
        if cached is not None:
            return cached
        n = len(mine)
        out: set[tuple[int, ...]] = set()
        for i in range(n):
            s = mine[i]
            limit = s.end + timedelta(hours=rest)
            forward = []
            for j in range(i + 1, n):
                if mine[j].start >= limit:
                    break
                if conflicts(s, mine[j], rest):
                    forward.append(j)
            if not forward:
                continue
            clique = [i]
            for j in forward:
                if all(conflicts(mine[k], mine[j], rest) for k in clique[1:]):
                    clique.append(j)
                else:
                    out.add((i, j))
            out.add(tuple(clique))
        # Cliques i..j that are suffixes of the previous clique add nothing; keep it simple
        # and only drop exact subsets of a neighbour (cheap, catches the common case).
        result = sorted(out)
        self._cliques[key] = result
        return result

    def windows(self, mine: list[Shift]) -> list[list[list[int]] | None]:
        """Per 7-day block: None when no possible shift touches the block or a free window
        exists whatever is chosen; else the candidate windows, each as the indices of the
        shifts it forbids."""
        key = tuple(s.id for s in mine)
        cached = self._windows.get(key)
        if cached is not None:
            return cached
        week_rest = timedelta(hours=self.problem.rules.weekly_rest_hours)
        result: list[list[list[int]] | None] = []
        for lo, hi in self.blocks:
            in_block = [i for i, s in enumerate(mine) if s.end > lo and s.start < hi]
            if not in_block:
                result.append(None)
                continue
            starts = {lo} | {mine[i].end for i in in_block if lo < mine[i].end < hi}
            windows: list[list[int]] | None = []
            for t in sorted(starts):
                t_end = t + week_rest
                if t_end > hi:
                    continue
                over = [i for i in in_block if mine[i].start < t_end and mine[i].end > t]
                if not over:
                    windows = None
                    break
                assert windows is not None
                windows.append(over)
            result.append(windows)
        self._windows[key] = result
        return result


class _Model:
    """The CP-SAT model of one component."""

    def __init__(
        self,
        problem: Problem,
        comp: Component,
        *,
        replan: bool,
        ctx: _Context | None = None,
        relax: frozenset[str] = frozenset(),
    ) -> None:
        """``relax`` drops rule families (daily_rest, weekly_rest, hours, night_average) -
        only for explaining infeasibility, never for a roster."""
        self.relax = relax
        self.problem = problem
        self.comp = comp
        self.ctx = ctx or _Context(problem)
        self.m = cp_model.CpModel()
        self.x: dict[tuple[str, str], cp_model.IntVar] = {}
        self.fixed_one: set[tuple[str, str]] = set()
        self.impossible: list[tuple[str, str]] = []  # pinned (expert, shift) now impossible
        self.change_const = 0
        self.change_terms: list[cp_model.LinearExprT] = []
        self.fair_terms: list[cp_model.LinearExprT] = []
        self.pref_terms: list[cp_model.LinearExprT] = []
        self.spread_vars: list[tuple[str, str, cp_model.IntVar]] = []
        self.spread_lbs: list[int] = []
        self.pref_penalty: dict[tuple[str, str], int] = {}
        self.cohorts: list[tuple[int, list[list[tuple[str, str]]]]] = []
        self.published_keys: set[tuple[str, str]] = set()  # changeable published (e, s)
        self.static_lb = 0  # proven lower bound of the fairness part of the objective
        self._build(replan)

    # .................................................................... build
    def _build(self, replan: bool) -> None:
        p = self.problem
        ctx = self.ctx
        m = self.m
        cells = self.comp.cells
        by_agency_group: dict[tuple[str, str], list[Shift]] = defaultdict(list)
        for sid, agency in cells:
            by_agency_group[(ctx.shifts[sid].group, agency)].append(ctx.shifts[sid])
        pinned_until = ctx.pinned_until

        # Variables.
        expert_shifts: dict[str, list[Shift]] = {}
        by_cell: dict[tuple[str, str], list[tuple[Expert, cp_model.IntVar]]] = defaultdict(list)
        for e in self.comp.experts:
            mine: list[Shift] = []
            for g in sorted(e.groups):
                for s in by_agency_group.get((g, e.agency), ()):
                    pinned = pinned_until is not None and s.start < pinned_until
                    if pinned and (s.id, e.id) not in ctx.published:
                        continue
                    if not eligible(p, e, s, ctx.reqs[(s.id, e.agency)], night=s.id in ctx.night):
                        if pinned:
                            self.impossible.append((e.id, s.id))
                        continue
                    mine.append(s)
            mine.sort(key=lambda s: (s.start, s.end, s.id))
            expert_shifts[e.id] = mine
            for s in mine:
                v = m.new_bool_var("")
                self.x[(e.id, s.id)] = v
                by_cell[(s.id, e.agency)].append((e, v))
                if pinned_until is not None and s.start < pinned_until:
                    m.add(v == 1)
                    self.fixed_one.add((e.id, s.id))

        # Coverage (and qualification counts with several requirements on one cell).
        for key in cells:
            group = ctx.reqs[key]
            lits = [v for _e, v in by_cell.get(key, ())]
            m.add(cp_model.LinearExpr.sum(lits) == ctx.need[key])
            if len(group) > 1:
                for r in group:
                    if not r.qualifications:
                        continue
                    demand = sum(o.count for o in group if r.qualifications <= o.qualifications)
                    qual = [v for e, v in by_cell.get(key, ()) if r.qualifications <= e.qualifications]
                    m.add(cp_model.LinearExpr.sum(qual) >= demand)

        # Per-expert rules.
        cap_night = math.floor(night_cap(p) * 60 + 1e-6)
        for e in self.comp.experts:
            mine = expert_shifts[e.id]
            if not mine:
                continue
            xs = [self.x[(e.id, s.id)] for s in mine]
            rest = 0.0 if "daily_rest" in self.relax else p.rules.daily_rest_hours
            for clique in ctx.cliques(mine, rest):
                m.add_at_most_one([xs[i] for i in clique])
            for windows in ctx.windows(mine):
                if windows is None or "weekly_rest" in self.relax:
                    continue
                lits = []
                for over in windows:
                    w = m.new_bool_var("")
                    m.add_bool_and([xs[i].Not() for i in over]).only_enforce_if(w)
                    lits.append(w)
                m.add_bool_or(lits)
            # Hours (in minutes).
            minutes = [ctx.minutes[s.id] for s in mine]
            avg_cap, contract_cap = hours_caps(e, p, ctx.pinned_hours.get(e.id, 0.0))
            cap = math.floor(min(avg_cap, contract_cap) * 60 + 1e-6)
            total = cp_model.LinearExpr.weighted_sum(xs, minutes)
            if sum(minutes) > cap and "hours" not in self.relax:
                m.add(total <= cap)
            night_idx = [i for i, s in enumerate(mine) if s.id in ctx.night]
            if night_idx and min(cap, sum(minutes)) > cap_night and "night_average" not in self.relax:
                nw = m.new_bool_var("")
                for i in night_idx:
                    m.add_implication(xs[i], nw)
                m.add(total <= cap_night).only_enforce_if(nw)
            # Preferences.
            if e.avoided_shift_codes or e.avoided_weekdays or e.wanted_shift_codes:
                for s, v in zip(mine, xs, strict=True):
                    penalty = 0
                    if s.code in e.avoided_shift_codes:
                        penalty += 1
                    if s.start.weekday() in e.avoided_weekdays:
                        penalty += 1
                    if e.wanted_shift_codes and s.code not in e.wanted_shift_codes:
                        penalty += 1
                    if penalty:
                        self.pref_terms.append(penalty * v)
                        self.pref_penalty[(e.id, s.id)] = penalty

        self._post_fairness(expert_shifts)
        if replan and p.published is not None:
            self._post_changes(ctx.published, pinned_until)
        self.expert_shifts = expert_shifts

    def _post_fairness(self, expert_shifts: dict[str, list[Shift]]) -> None:
        """Spread (max - min) per agency of the component and kind of shift. Experts who
        cannot work any shift of the kind are left out. As coverage is exact, the cohort's
        counts sum to the required total T, so max >= ceil(T/n) and min <= floor(T/n)
        (posted: they give CP-SAT the bound it cannot find from the LP)."""
        p = self.problem
        w = p.weights
        shifts = self.ctx.shifts
        need = self.ctx.need
        night = self.ctx.night
        for agency in sorted({a for _s, a in self.comp.cells}):
            cells = [shifts[sid] for sid, a in self.comp.cells if a == agency]
            for kind, weight in (
                ("nights", w.fairness_nights),
                ("weekends", w.fairness_weekends),
                ("holidays", w.fairness_holidays),
            ):
                if weight <= 0:
                    continue
                pred = _kind_predicate(kind, night)
                total = sum(need[(s.id, agency)] for s in cells if pred(s))
                counts = []
                keys: list[list[tuple[str, str]]] = []
                ubs = []
                rest = timedelta(hours=p.rules.daily_rest_hours)
                for e in self.comp.experts:
                    if e.agency != agency:
                        continue
                    kind_shifts = [s for s in expert_shifts[e.id] if pred(s)]
                    if kind_shifts:
                        counts.append([self.x[(e.id, s.id)] for s in kind_shifts])
                        keys.append([(e.id, s.id) for s in kind_shifts])
                        ubs.append(self._max_count(e, kind_shifts, rest))
                n = len(counts)
                if n < 2 or total == 0:
                    continue
                top = max(len(c) for c in counts)
                # Bounds: min <= floor(T/n) and <= the smallest per-expert maximum; max >=
                # what the others must take when the most limited experts work all they can.
                mn_ub = min(total // n, min(ubs))
                mx_lb = math.ceil(total / n)
                absorbed = 0
                for k, ub in enumerate(sorted(ubs)[:-1], start=1):
                    absorbed += ub
                    mx_lb = max(mx_lb, math.ceil((total - absorbed) / (n - k)))
                mx_lb = min(mx_lb, top)
                mx = self.m.new_int_var(mx_lb, top, "")
                mn = self.m.new_int_var(0, max(0, mn_ub), "")
                for lits in counts:
                    c = cp_model.LinearExpr.sum(lits)
                    self.m.add(mx >= c)
                    self.m.add(mn <= c)
                lb = max(0, min(top, mx_lb - max(0, mn_ub)))
                spread = self.m.new_int_var(lb, top, f"spread|{agency}|{kind}")
                self.spread_lbs.append(lb)
                self.static_lb += weight * lb
                self.m.add(spread == mx - mn)
                self.spread_vars.append((agency, kind, spread))
                self.cohorts.append((weight, keys))
                self.fair_terms.append(weight * spread)

    def _max_count(self, e: Expert, kind_shifts: list[Shift], rest: timedelta) -> int:
        """Most shifts of ``kind_shifts`` the expert can work: shifts conflict exactly when
        their intervals extended by the daily rest overlap, so earliest-end-first interval
        scheduling is exact; also capped by the hours."""
        count = 0
        free_from: datetime | None = None
        for s in sorted(kind_shifts, key=lambda s: s.end):
            if free_from is None or s.start >= free_from:
                count += 1
                free_from = s.end + rest
        avg_cap, contract_cap = hours_caps(e, self.problem, self.ctx.pinned_hours.get(e.id, 0.0))
        shortest = min(s.hours for s in kind_shifts)
        return min(count, math.floor(min(avg_cap, contract_cap) / shortest + 1e-9))

    def _post_changes(self, published: set[tuple[str, str]], pinned_until: datetime | None) -> None:
        p = self.problem
        shifts = {s.id: s for s in p.shifts}
        expert_ids = {e.id for e in self.comp.experts}
        cells = set(self.comp.cells)
        assert p.published is not None
        for a in p.published.assignments:
            if a.expert_id not in expert_ids or (a.shift_id, a.agency) not in cells:
                continue
            s = shifts.get(a.shift_id)
            if s is None or (pinned_until is not None and s.start < pinned_until):
                continue
            if (a.expert_id, a.shift_id) not in self.x:
                self.change_const += 1  # must be removed: now impossible
        for (eid, sid), v in self.x.items():
            if (eid, sid) in self.fixed_one:
                continue
            if (sid, eid) in published:
                self.change_terms.append(1 - v)
                self.published_keys.add((eid, sid))
            else:
                self.change_terms.append(v)

    # .................................................................... objectives
    def changes_expr(self) -> cp_model.LinearExpr:
        return cp_model.LinearExpr.sum([*self.change_terms, self.change_const])

    def full_objective(self) -> cp_model.LinearExpr:
        w = self.problem.weights
        return cp_model.LinearExpr.sum(
            [
                *self.fair_terms,
                w.preference * cp_model.LinearExpr.sum(self.pref_terms),
                w.change * self.changes_expr(),
            ]
        )

    def evaluate(self, assignments: Iterable[Assignment]) -> tuple[float, int]:
        """(objective, changes) of a roster of this component, computed directly."""
        chosen = {(a.expert_id, a.shift_id) for a in assignments}
        w = self.problem.weights
        value = 0.0
        for weight, keys in self.cohorts:
            counts = [sum(1 for k in ks if k in chosen) for ks in keys]
            value += weight * (max(counts) - min(counts))
        value += w.preference * sum(p for k, p in self.pref_penalty.items() if k in chosen)
        changes = self.change_const
        if self.published_keys or self.change_terms:
            free = chosen - self.fixed_one
            changes += len(self.published_keys - free) + len(free - self.published_keys)
        return value + w.change * changes, changes

    def assignments(self, value: Callable[[cp_model.IntVar], bool]) -> list[Assignment]:
        experts = {e.id: e for e in self.comp.experts}
        return [
            Assignment(shift_id=sid, expert_id=eid, agency=experts[eid].agency)
            for (eid, sid), v in self.x.items()
            if value(v)
        ]


# --------------------------------------------------------------------------- solving


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
    """Best known solution of one component."""

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


class _Run:
    """One solve over all components with a shared time budget.

    Pass 1 finds a roster for every component (stopping at the first solution; in
    re-planning it minimises the changes); pass 2 spends the remaining time improving the
    components not yet proven optimal, hinted with their pass-1 roster.
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

    def _totals(self) -> tuple[float | None, float]:
        objective = sum(s.objective for s in self.states if s.solved)
        bound = sum(s.bound for s in self.states if s.solved)
        complete = bool(self.states) and all(s.solved for s in self.states)
        return (objective if complete else None), bound

    def _progress(self, current: _State | None = None, objective: float = 0.0, bound: float = 0.0) -> None:
        if self.on_progress is None:
            return
        obj_sum = 0.0
        bound_sum = 0.0
        complete = len(self.states) == self.total_count  # all built (pass 1 builds lazily)
        for st in self.states:
            if st is current:
                obj_sum += objective
                bound_sum += bound
            elif st.solved:
                obj_sum += st.objective
                bound_sum += st.bound
            else:
                complete = False
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
    ) -> tuple[str, cp_model.CpSolver]:
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
        if first_only:
            # Presolve dominates the time to a first roster on these models, and the
            # feasibility-jump worker finds one quickly without it.
            solver.parameters.stop_after_first_solution = True
            solver.parameters.cp_model_presolve = False
            solver.parameters.num_workers = 2

        def on_solution(cb: _Callback) -> None:
            self.solutions += 1
            self._progress(st, cb.objective_value, cb.best_objective_bound)

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

    def _take(self, st: _State, status: str, solver: cp_model.CpSolver, *, optimal: bool) -> None:
        assert st.model is not None
        st.assignments = st.model.assignments(solver.boolean_value)
        st.objective = solver.objective_value
        st.bound = max(st.bound, solver.best_objective_bound, float(st.model.static_lb))
        st.status = "optimal" if optimal or st.objective <= st.bound + 1e-9 else "feasible"

    def _unchanged(self, ctx: _Context, comp: Component) -> list[Assignment] | None:
        """Re-planning: the published part of ``comp`` if it still meets every rule (then
        keeping it, with no change, is the unique optimum), else None."""
        assert self.problem.published is not None
        experts = {e.id for e in comp.experts}
        cells = set(comp.cells)
        kept = [
            a for a in self.problem.published.assignments if a.expert_id in experts and (a.shift_id, a.agency) in cells
        ]
        if validate(sub_problem(self.problem, comp), Roster(kept)):
            return None
        return kept

    def _repair(self, st: _State, limit: float) -> None:
        """Re-planning one disturbed component. A constructive repair (repair.Repairer:
        remove what became impossible, fill each hole directly or by a chain of two) gives
        CP-SAT a complete roster close to the fewest changes; CP-SAT then minimises the
        changes from there, everything else seeded with the published assignments. The
        component's bound on the changes is the largest of the solver's, the static one
        and the hole-assignment relaxation (repair.Repairer.extra_lower_bound)."""
        from .repair import Repairer

        model = st.model
        assert model is not None and self.problem.published is not None
        deadline = time.monotonic() + limit
        sub = sub_problem(self.problem, st.comp)
        static = static_changes_lower_bound(sub)
        repairer = Repairer(model)
        greedy, complete = repairer.greedy(lambda: time.monotonic() > deadline - 0.75 * limit)
        extra = repairer.extra_lower_bound(min(1.0, max(0.1, 0.1 * limit)))
        st.changes_bound = max(st.changes_bound, static, static_changes_lower_bound(sub, hours=False) + extra)
        if complete and validate(sub, Roster(greedy)):
            complete = False
        hint_roster = Roster(greedy) if complete else self.problem.published
        status, solver = self._solve_model(
            st, model.changes_expr(), max(0.1, deadline - time.monotonic()), hint=hint_roster
        )
        if status in ("optimal", "feasible"):
            st.changes = round(solver.objective_value)
            st.changes_bound = max(st.changes_bound, math.ceil(solver.best_objective_bound - 1e-6))
            st.assignments = model.assignments(solver.boolean_value)
        elif complete:
            st.changes = model.evaluate(greedy)[1]
            st.assignments = greedy
        elif status == "infeasible":
            st.status = "infeasible"
            return
        else:
            return
        if complete:
            greedy_changes = model.evaluate(greedy)[1]
            if greedy_changes < st.changes:
                st.changes, st.assignments = greedy_changes, greedy
        st.changes_optimal = status == "optimal" or st.changes <= st.changes_bound
        st.status = "feasible"
        st.objective = model.evaluate(st.assignments)[0]
        st.bound = float(self.problem.weights.change * st.changes_bound + model.static_lb)

    def _first_pass(self, st: _State, limit: float) -> None:
        model = st.model
        assert model is not None
        if model.impossible:
            st.status = "infeasible"
            return
        if self.replan:
            self._repair(st, limit)
            return
        status, solver = self._solve_model(st, model.full_objective(), limit, hint=self.hint, first_only=True)
        if status in ("optimal", "feasible"):
            self._take(st, status, solver, optimal=status == "optimal")
        elif status == "infeasible":
            st.status = "infeasible"

    def _second_pass(self, st: _State, limit: float) -> None:
        model = st.model
        assert model is not None
        if self.replan:
            if not st.changes_optimal:
                status, solver = self._solve_model(
                    st, model.changes_expr(), limit * 0.7, hint=Roster(st.assignments or [])
                )
                if status in ("optimal", "feasible"):
                    st.changes_bound = max(st.changes_bound, math.ceil(solver.best_objective_bound - 1e-6))
                    st.changes_optimal = status == "optimal"
                    st.bound = max(st.bound, float(self.problem.weights.change * st.changes_bound + model.static_lb))
                    if round(solver.objective_value) < st.changes:
                        st.changes = round(solver.objective_value)
                        st.assignments = model.assignments(solver.boolean_value)
                        st.objective = model.evaluate(st.assignments)[0]
                limit *= 0.3
            best_changes = st.changes
            status, solver = self._solve_model(
                st,
                model.full_objective(),
                limit,
                hint=Roster(st.assignments or []),
                extra=lambda m: m.add(model.changes_expr() <= best_changes),
            )
            if status in ("optimal", "feasible") and solver.objective_value <= st.objective + 1e-9:
                st.assignments = model.assignments(solver.boolean_value)
                st.objective = solver.objective_value
                st.changes = round(solver.value(model.changes_expr()))
            if status in ("optimal", "feasible"):
                st.bound = max(st.bound, solver.best_objective_bound)
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
                value = float(model.static_lb + solver.objective_value)
                if value <= st.objective + 1e-9:
                    st.assignments = model.assignments(solver.boolean_value)
                    st.objective = value
                if st.objective <= st.bound + 1e-9:
                    st.status = "optimal"
            return
        status, solver = self._solve_model(st, model.full_objective(), limit, hint=Roster(st.assignments or []))
        if status in ("optimal", "feasible") and solver.objective_value <= st.objective + 1e-9:
            self._take(st, status, solver, optimal=status == "optimal")
        elif status in ("optimal", "feasible"):
            st.bound = max(st.bound, solver.best_objective_bound)
        if status == "optimal":
            st.status = "optimal"
            st.bound = st.objective

    def run(self) -> SolveResult:
        from .explain import explain

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
        for comp, size in zip(comps, est, strict=True):
            kept = self._unchanged(ctx, comp) if self.replan else None
            if kept is not None:
                st = _State(None, comp=comp)
                st.assignments = kept
                st.changes = st.changes_bound = 0
                st.changes_optimal = True
                st.objective = st.bound = _direct_objective(ctx, comp, kept)
                st.status = "optimal"
                self.states.append(st)
            else:
                todo_comps.append((comp, size))
        left_est = float(sum(size for _c, size in todo_comps)) or 1.0
        if self.replan:
            # Only the disturbed components are solved, one at a time with both workers;
            # each takes its share of most of the budget when it starts (time a component
            # does not need flows to the next), the rest is left for pass 2.
            todo_comps.sort(key=lambda cs: cs[1])
            for comp, size in todo_comps:
                if self._stopping():
                    break
                st = _State(_Model(self.problem, comp, replan=True, ctx=ctx), comp=comp)
                self.states.append(st)
                limit = max(1.0, (self.remaining() * 0.75 - 0.2) * size / left_est)
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
            for f in futures:
                f.result()
        for st in self.states:
            # No roster within its share: one more try with the time left (at least 5 s).
            if st.status == "unknown" and not self._stopping():
                self._first_pass(st, max(5.0, self.remaining()))
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
        objective = sum(st.objective for st in self.states)
        bound = sum(st.bound for st in self.states)
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
        assignments = [a for st in self.states for a in (st.assignments or [])]
        assignments.sort(key=lambda a: (a.shift_id, a.agency, a.expert_id))
        status = "optimal" if all(st.status == "optimal" for st in self.states) else "feasible"
        return SolveResult(
            status=status,
            roster=Roster(assignments),
            objective=objective,
            bound=bound,
            stats=stats,
        )


UNKNOWN_TEMPLATE = (
    "No roster was found within {seconds} seconds for {missing} of {total} independent "
    "parts of the problem, and none was proven impossible; allow more time."
)


def gap(objective: float, bound: float) -> float:
    """Relative optimality gap (0 when the objective is 0 or proven)."""
    if objective <= 1e-9:
        return 0.0
    return max(0.0, (objective - bound) / abs(objective))


def static_changes_lower_bound(problem: Problem, *, hours: bool = True) -> int:
    """Changes that any repair must make, counted outside the pinned part:

    * published assignments that became impossible (leave, lost eligibility) are removed,
      and the positions they leave empty (or that were added) are filled — per (shift,
      agency) cell, removals + additions;
    * an expert whose pinned hours plus remaining possible published hours exceed the
      (possibly lowered) hours cap must lose at least k more published shifts (the fewest
      whose hours cover the excess); where those cells have no surplus each such removal
      leaves a position empty that someone else must fill: 2 changes each.
    """
    if problem.published is None:
        return 0
    shifts = {s.id: s for s in problem.shifts}
    experts = {e.id: e for e in problem.experts}
    reqs: dict[tuple[str, str], list[Requirement]] = defaultdict(list)
    for r in problem.requirements:
        reqs[(r.shift_id, r.agency)].append(r)
    per_cell: dict[tuple[str, str], list[str]] = defaultdict(list)
    for a in problem.published.assignments:
        per_cell[(a.shift_id, a.agency)].append(a.expert_id)
    until = problem.pinned_until
    total = 0
    surplus: set[tuple[str, str]] = set()
    kept: dict[str, list[tuple[str, str]]] = defaultdict(list)  # expert -> possible published cells
    for key in set(per_cell) | set(reqs):
        sid, agency = key
        s = shifts.get(sid)
        if s is None:
            continue
        if until is not None and s.start < until:
            continue
        published = per_cell.get(key, [])
        need = sum(r.count for r in reqs.get(key, []))
        impossible = 0
        for eid in published:
            e = experts.get(eid)
            if e is None or e.agency != agency or not eligible(problem, e, s, reqs.get(key, [])):
                impossible += 1
            else:
                kept[eid].append(key)
        if len(published) - impossible > need:
            surplus.add(key)
        removals = max(impossible, len(published) - need)
        additions = max(0, need - (len(published) - removals))
        total += removals + additions
    if not hours:
        return total
    fixed = pinned_hours(problem)
    for eid, cells in kept.items():
        e = experts[eid]
        if any(key in surplus for key in cells):
            continue
        lengths = sorted((shifts[sid].hours for sid, _a in cells), reverse=True)
        cap = min(hours_caps(e, problem, fixed.get(eid, 0.0)))
        excess = fixed.get(eid, 0.0) + sum(lengths) - cap
        k = 0
        while excess > 1e-6 and k < len(lengths):
            excess -= lengths[k]
            k += 1
        total += 2 * k
    return total


def solve(
    problem: Problem,
    *,
    time_limit_s: float = 60,
    on_progress: ProgressFn | None = None,
    should_stop: StopFn | None = None,
    hint: Roster | None = None,
) -> SolveResult:
    """Solve ``problem`` within about ``time_limit_s`` seconds (components share the budget;
    a part with no solution in its share gets a short extension). ``on_progress`` receives
    dicts with objective, bound, elapsed_s, solutions, components_done, components_total;
    ``should_stop`` is polled (also from the solution callback) and ends the run with status
    "cancelled". ``hint`` seeds the search with an existing roster."""
    run = _Run(
        problem,
        time_limit_s=time_limit_s,
        on_progress=on_progress,
        should_stop=should_stop,
        hint=hint,
        replan=False,
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
    shifts starting before ``problem.pinned_until`` keep their published assignments.
    First minimises the changes, then the other objectives among rosters with that many
    changes. ``stats["changes"]`` and ``stats["changes_lower_bound"]`` (a proven bound: the
    larger of the solver's bound and the count of published assignments that became
    impossible plus their refills) are reported."""
    if problem.published is None:
        raise ValueError("replan needs problem.published (the roster to repair)")
    run = _Run(
        problem,
        time_limit_s=time_limit_s,
        on_progress=on_progress,
        should_stop=should_stop,
        hint=problem.published,
        replan=True,
    )
    return run.run()


def _may_work(ctx: _Context, e: Expert, s: Shift) -> bool:
    """The model's eligibility, including the re-planning pin."""
    pinned = ctx.pinned_until is not None and s.start < ctx.pinned_until
    if pinned and (s.id, e.id) not in ctx.published:
        return False
    return eligible(ctx.problem, e, s, ctx.reqs[(s.id, e.agency)], night=s.id in ctx.night)


def _cohort_spreads(ctx: _Context, comp: Component, chosen: set[tuple[str, str]]) -> list[tuple[str, str, int]]:
    """(agency, kind, max - min) for the cohorts the model balances, computed directly."""
    out = []
    for agency in sorted({a for _s, a in comp.cells}):
        cells = [ctx.shifts[sid] for sid, a in comp.cells if a == agency]
        for kind in KINDS:
            pred = _kind_predicate(kind, ctx.night)
            kind_cells = [s for s in cells if pred(s)]
            if not kind_cells:
                continue
            counts = []
            for e in comp.experts:
                if e.agency != agency:
                    continue
                mine = [s for s in kind_cells if _may_work(ctx, e, s)]
                if mine:
                    counts.append(sum(1 for s in mine if (e.id, s.id) in chosen))
            if len(counts) >= 2:
                out.append((agency, kind, max(counts) - min(counts)))
    return out


def _direct_objective(ctx: _Context, comp: Component, assignments: list[Assignment]) -> float:
    """The objective of a component's roster without building its model (no changes)."""
    w = ctx.problem.weights
    weight = {
        "nights": w.fairness_nights,
        "weekends": w.fairness_weekends,
        "holidays": w.fairness_holidays,
    }
    chosen = {(a.expert_id, a.shift_id) for a in assignments}
    value = float(sum(weight[k] * spread for _a, k, spread in _cohort_spreads(ctx, comp, chosen)))
    experts = {e.id: e for e in comp.experts}
    for eid, sid in chosen:
        e, s = experts.get(eid), ctx.shifts.get(sid)
        if e is None or s is None:
            continue
        penalty = (s.code in e.avoided_shift_codes) + (s.start.weekday() in e.avoided_weekdays)
        penalty += bool(e.wanted_shift_codes) and s.code not in e.wanted_shift_codes
        value += w.preference * penalty
    return value


def fairness_spreads(problem: Problem, roster: Roster) -> dict[str, float]:
    """The spread (max - min per expert) of nights, weekend and holiday shifts for every
    cohort the solver balances (an agency within an independent component, experts who may
    work such a shift at all): ``{"agency|groups|kind": spread}`` plus ``"max"``."""
    ctx = _Context(problem)
    chosen = {(a.expert_id, a.shift_id) for a in roster.assignments}
    out: dict[str, float] = {}
    for comp in components(problem):
        groups = "+".join(sorted({ctx.shifts[sid].group for sid, _a in comp.cells}))
        for agency, kind, spread in _cohort_spreads(ctx, comp, chosen):
            out[f"{agency}|{groups}|{kind}"] = float(spread)
    out["max"] = max(out.values(), default=0.0)
    return out


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
