"""A lower bound on re-planning's changes from whole per-expert rosters (column generation).

The compact model's linear relaxation is weak on re-planning: a hole left by a sick expert
is filled by fractions of experts who would each have to give up a shift to take it whole.
Here every expert's part of the roster is one *pattern* (a set of shifts that meets the
expert's own rules) and the relaxation mixes whole patterns: the Dantzig-Wolfe bound,
which counts the ejection chains that the compact relaxation hides.

Validity does not depend on the linear program converging: for any prices ``pi`` on the
coverage equalities (sum over experts of their shifts in cell c equals need_c), every
roster that meets the rules has

    changes = const + sum_e cost_e(pattern_e)
            = const + sum_c need_c pi_c + sum_e (cost_e(pattern_e) - sum_{c in pattern_e} pi_c)
           >= const + sum_c need_c pi_c + sum_e min over patterns p of e (cost_e(p) - pi(p))

(the Lagrangian bound), so the bound holds as long as each expert's minimum is exact over a
set of patterns that contains every pattern the model allows. The pricing below is exact
over a *larger* set: it keeps the daily rest between consecutive shifts, the weekly rest in
fixed weeks (relaxed away with rolling weeks), the hours cap and the pinned shifts, and
drops the rules that only remove patterns (night average, total time, qualifications,
history before the period). Dropping rules only lowers the minimum, so the bound stays
valid; the linear program over the patterns found supplies good prices.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import numpy as np
from ortools.linear_solver import pywraplp

from ..model import Shift
from ..validator import hours_caps, longest_free
from .eligibility import conflicts

if TYPE_CHECKING:  # pragma: no cover
    from .build import _Model

# Cost of an artificial variable that lets the first linear programs cover a cell without
# patterns (above any number of changes a real pattern can make).
_ARTIFICIAL = 20.0

# Patterns an expert's pricing offers the linear program at most (the best few ends).
_PATTERNS_PER_PRICING = 4

# Most hours units (of the shifts' greatest common divisor in minutes) the pricing tracks.
_MAX_UNITS = 400

# Weight of the best bound's prices in the smoothed prices.
_SMOOTHING = 0.7

# (next shift index, new weekly-rest flag when the current block's rest is not yet met,
# ... when it is); None: the transition breaks the weekly rest of a block it closes.
_Step = tuple[int, bool | None, bool | None]


class _Expert:
    """One expert's pricing problem: a shortest path over their free shifts in time order."""

    def __init__(self, model: _Model, eid: str, cells: dict[tuple[str, str], int]) -> None:
        ctx = model.ctx
        p = model.problem
        expert = next(e for e in model.comp.experts if e.id == eid)
        self.eid = eid
        mine: list[Shift] = model.expert_shifts.get(eid, [])
        pinned = [s for s in mine if (eid, s.id) in model.fixed_one]
        self.free = [s for s in mine if (eid, s.id) not in model.fixed_one]
        self.cell = [cells[(s.id, expert.agency)] for s in self.free]
        # Changes: a published shift kept saves its removal, any other shift is an addition.
        self.cost = [-1 if (eid, s.id) in model.published_keys else 1 for s in self.free]
        self.base = sum(1 for key in model.published_keys if key[0] == eid)
        self.minutes = [ctx.minutes[s.id] for s in self.free]
        cap_h = min(hours_caps(expert, p, ctx.pinned_hours.get(eid, 0.0)))
        self.cap = math.floor(cap_h * 60 + 1e-6) - sum(ctx.minutes[s.id] for s in pinned)
        rest_h = p.rules.daily_rest_hours
        week_rest = timedelta(hours=p.rules.weekly_rest_hours)
        blocks = ctx.blocks
        p0 = blocks[0][0]
        check_week = not p.rules.weekly_rest_rolling

        def block(t: datetime) -> int:
            return (t - p0) // timedelta(days=7)

        def step(a: datetime, b: datetime, end: datetime, flag: bool) -> bool | None:
            """Free from a to b, then busy until ``end``: the weekly-rest flag of the block
            holding ``end`` (None if a block closed here lacks its rest)."""
            if not check_week:
                return True
            ka, kend = block(a), block(end)
            new = True
            for k in range(max(0, ka), min(kend, len(blocks) - 1) + 1):
                lo, hi = blocks[k]
                ok = (k == ka and flag) or min(b, hi) - max(a, lo) >= week_rest
                if k < kend:
                    if not ok:
                        return None
                else:
                    new = ok
            return new

        # The start: the end of the pinned work (the daily rest against the last pinned
        # shift; the weekly rest of its block from the pinned shifts alone).
        if pinned:
            last = max(pinned, key=lambda s: (s.end, s.start))
            t0 = last.end
            lo = blocks[min(max(0, block(t0)), len(blocks) - 1)][0]
            flag0 = longest_free([(s.start, s.end) for s in pinned], lo, t0) >= p.rules.weekly_rest_hours
        else:
            last = None
            t0 = p0
            flag0 = False
        n = len(self.free)
        self.start_steps: list[_Step] = []
        self.steps: list[list[_Step]] = [[] for _ in range(n)]
        for j, s in enumerate(self.free):
            if last is not None and conflicts(last, s, rest_h):
                continue
            self.start_steps.append((j, step(t0, s.start, s.end, False), step(t0, s.start, s.end, True)))
        # The start's flag is known: fold it into its steps (the first entry is used).
        self.start_steps = [(j, e1 if flag0 else e0, e1) for j, e0, e1 in self.start_steps]
        for i, a in enumerate(self.free):
            for j in range(i + 1, n):
                b = self.free[j]
                if conflicts(a, b, rest_h):
                    continue
                self.steps[i].append((j, step(a.end, b.start, b.end, False), step(a.end, b.start, b.end, True)))

        def end_ok(t: datetime, flag: bool) -> bool:
            if not check_week or flag:
                return True
            k = block(t)
            return k >= len(blocks) or blocks[k][1] - t >= week_rest

        self.end_ok = [(end_ok(s.end, False), end_ok(s.end, True)) for s in self.free]
        self.start_end_ok = flag0 or end_ok(t0, False)

        # Dense tables for the pricing: minutes in units of their greatest common divisor.
        unit = 0
        for m in self.minutes:
            unit = math.gcd(unit, m)
        self.unit = max(1, unit)
        self.units = [m // self.unit for m in self.minutes]
        self.top = max(-1, self.cap // self.unit)  # most units the free shifts may use
        if self.top > _MAX_UNITS:
            # Too fine a grid for dense tables: drop the hours cap from the pricing (a
            # relaxation, so the bound stays valid; only weaker).
            self.units = [0] * len(self.minutes)
            self.top = 0
        self.w_index = np.array(self.cell, dtype=np.int64)
        self.cost_arr = np.array(self.cost, dtype=np.float64)
        # Levels: runs of consecutive shifts no two of which may follow each other (a day's
        # shifts under the daily rest); a level's best paths depend only on earlier rows.
        # Row 0 of the tables is the start, row j + 1 the free shift j. Per level: its
        # first row r0, its shifts, and a penalty (0 or inf) per (source row, source flag,
        # shift, new flag) for the steps the rules allow.
        self.groups: list[tuple[int, int, np.ndarray, np.ndarray, np.ndarray]] = []
        allowed: list[dict[int, tuple[bool | None, bool | None]]] = [{} for _ in range(n)]
        for i in range(n):
            for j, e0, e1 in self.steps[i]:
                allowed[i][j] = (e0, e1)
        start_allowed = {j: e0 for j, e0, _e1 in self.start_steps}
        j = 0
        while j < n:
            level = [j]
            while j + 1 < n and all(j + 1 not in allowed[i] for i in level):
                j += 1
                level.append(j)
            j += 1
            r0 = level[0] + 1
            penalty = np.full((r0, 2, len(level), 2), np.inf)
            for t, tj in enumerate(level):
                nf0 = start_allowed.get(tj)
                if tj in start_allowed and nf0 is not None:
                    penalty[0, 0, t, 1 if nf0 else 0] = 0.0
                for i in range(level[0]):
                    move = allowed[i].get(tj)
                    if move is None:
                        continue
                    for f in (0, 1):
                        nf = move[f]
                        if nf is not None:
                            penalty[i + 1, f, t, 1 if nf else 0] = 0.0
            # Per level, its shifts grouped by their units: (first row, units, shifts, their
            # rows, the penalty with a trailing axis for the units).
            by_units: dict[int, list[int]] = {}
            for t, tj in enumerate(level):
                by_units.setdefault(self.units[tj], []).append(t)
            for du, ts in by_units.items():
                if du > self.top:
                    continue
                self.groups.append(
                    (
                        r0,
                        du,
                        np.array([level[t] for t in ts], dtype=np.int64),
                        np.array([level[t] + 1 for t in ts], dtype=np.int64),
                        penalty[:, :, ts, :][:, :, :, :, None],
                    )
                )
        self.end_mask = np.array(self.end_ok, dtype=bool).reshape(n, 2)

    def price(self, pi: np.ndarray) -> tuple[float, list[list[int]]]:
        """min over the expert's patterns of cost - prices of its cells (exact for the rules
        kept), and the best few patterns (indices into ``free``; the first attains it)."""
        n = len(self.free)
        top = self.top
        if n == 0 or top < 0:
            return (self.base, [[]]) if self.start_end_ok else (math.inf, [])
        w = self.cost_arr - pi[self.w_index]
        # value[r, f, u]: least reduced cost of a path ending at row r with weekly-rest flag
        # f and u units of hours used; pred: 2 * source row + source flag.
        value = np.full((n + 1, 2, top + 1), np.inf)
        value[0, 0, 0] = 0.0
        pred = np.zeros((n + 1, 2, top + 1), dtype=np.int64)
        for r0, du, shifts, rows, penalty in self.groups:
            width = top + 1 - du
            cand = value[:r0, :, None, None, :width] + penalty
            cand = cand.reshape(r0 * 2, len(rows), 2, width)
            value[rows, :, du:] = cand.min(axis=0) + w[shifts][:, None, None]
            pred[rows, :, du:] = cand.argmin(axis=0)
        value = value[1:]
        pred = pred[1:]
        ends = np.where(self.end_mask[:, :, None], value, np.inf)
        flat_ends = ends.ravel()
        many = min(flat_ends.size, 3 * _PATTERNS_PER_PRICING)
        order = np.argpartition(flat_ends, many - 1)[:many]
        found: list[tuple[float, list[int]]] = [(0.0, [])] if self.start_end_ok else []
        for flat in order:
            if not np.isfinite(flat_ends[flat]):
                continue
            j, f, u = (int(x) for x in np.unravel_index(int(flat), ends.shape))
            chosen: list[int] = []
            while True:
                chosen.append(j)
                row, f = divmod(int(pred[j, f, u]), 2)
                u -= self.units[j]
                if row == 0:
                    break
                j = row - 1
            found.append((float(flat_ends[flat]), sorted(chosen)))
        found.sort(key=lambda vp: vp[0])
        patterns: list[list[int]] = []
        for _v, pattern in found:
            if pattern not in patterns:
                patterns.append(pattern)
        best = found[0][0] if found else math.inf
        return self.base + best, patterns[:_PATTERNS_PER_PRICING]


class PatternBound:
    """Column generation over per-expert patterns for one disturbed component."""

    def __init__(self, model: _Model) -> None:
        ctx = model.ctx
        pinned_until = ctx.pinned_until
        self.model = model
        self.cells = [c for c in model.comp.cells if pinned_until is None or ctx.shifts[c[0]].start >= pinned_until]
        self.cell_index = {c: i for i, c in enumerate(self.cells)}
        self.need = [ctx.need[c] for c in self.cells]
        self.experts = [_Expert(model, e.id, self.cell_index) for e in model.comp.experts]
        self.const = model.change_const
        self.columns: list[set[tuple[int, ...]]] = [set() for _ in self.experts]
        self.bound = -math.inf
        self.lp_value: float | None = None
        self.iterations = 0
        self._search: Iterator[None] | None = None
        self.done = False  # column generation has ended: the bound will not rise
        self.guide: set[tuple[str, str]] | None = None  # see ``_iterate``

    def lagrangian(self, pi: list[float] | np.ndarray) -> tuple[float, list[tuple[float, list[list[int]]]]]:
        """The Lagrangian bound at prices ``pi`` and each expert's best pattern."""
        prices = np.asarray(pi, dtype=np.float64)
        priced = [ex.price(prices) for ex in self.experts]
        value = self.const + sum(n * p for n, p in zip(self.need, pi, strict=True)) + sum(v for v, _ in priced)
        return value, priced

    def run(self, *, time_limit_s: float, target: int | None = None, start: set[tuple[str, str]] | None = None) -> int:
        """A proven lower bound on the component's changes (an integer), raised by column
        generation until ``time_limit_s`` passes, the linear program is optimal or the bound
        reaches ``target``. ``start``: a roster (pairs (expert, shift)) whose patterns seed
        the linear program (first call). A later call resumes where the last one stopped."""
        deadline = time.monotonic() + time_limit_s
        if self._search is None:
            self._search = self._iterate(start)
        if target is not None and self.proven() >= target:
            return self.proven()
        for _ in self._search:
            if target is not None and self.proven() >= target:
                break
            if time.monotonic() >= deadline:
                break
        else:
            self.done = True
        return self.proven()

    def proven(self) -> int:
        """The bound proven so far (0 before any)."""
        if self.bound == -math.inf:
            return 0
        return max(0, math.ceil(self.bound - 1e-6))

    def _iterate(self, start: set[tuple[str, str]] | None) -> Iterator[None]:
        """Column generation, one round per step; ends when the linear program is optimal
        (no pattern prices out) or cannot be solved."""
        solver = pywraplp.Solver.CreateSolver("GLOP")
        assert solver is not None
        cover = [solver.Constraint(float(n), float(n)) for n in self.need]
        convex = [solver.Constraint(1.0, 1.0) for _ in self.experts]
        objective = solver.Objective()
        objective.SetMinimization()
        for ct in cover:
            for coef in (1.0, -1.0):
                v = solver.NumVar(0.0, solver.infinity(), "")
                ct.SetCoefficient(v, coef)
                objective.SetCoefficient(v, _ARTIFICIAL)
        seen = self.columns
        variables: list[tuple[int, tuple[int, ...], pywraplp.Variable]] = []

        def add(k: int, pattern: list[int]) -> bool:
            key = tuple(pattern)
            if key in seen[k]:
                return False
            seen[k].add(key)
            ex = self.experts[k]
            v = solver.NumVar(0.0, solver.infinity(), "")
            variables.append((k, key, v))
            objective.SetCoefficient(v, float(ex.base + sum(ex.cost[j] for j in pattern)))
            convex[k].SetCoefficient(v, 1.0)
            for j in pattern:
                cover[ex.cell[j]].SetCoefficient(v, 1.0)
            return True

        if start is not None:
            for k, ex in enumerate(self.experts):
                mine = {sid for eid, sid in start if eid == ex.eid}
                pattern = [j for j, s in enumerate(ex.free) if s.id in mine]
                if sum(ex.minutes[j] for j in pattern) <= ex.cap:
                    add(k, pattern)
        # Seed with each expert's best pattern at zero prices (as close to the published
        # roster as the rules allow).
        value, priced = self.lagrangian(np.zeros(len(self.cells)))
        for k, (_val, patterns) in enumerate(priced):
            for pattern in patterns:
                add(k, pattern)
        if math.isfinite(value):
            self.bound = max(self.bound, value)
        stable: np.ndarray | None = None  # the prices of the best bound so far
        while True:
            self.iterations += 1
            if solver.Solve() != pywraplp.Solver.OPTIMAL:
                break
            # Each expert's heaviest pattern in the linear program: a guide for the search
            # (near the end the program is nearly integral).
            heaviest: dict[int, tuple[float, tuple[int, ...]]] = {}
            for k, key, v in variables:
                weight = v.solution_value()
                if weight > heaviest.get(k, (0.0, ()))[0]:
                    heaviest[k] = (weight, key)
            self.guide = {
                (self.experts[k].eid, self.experts[k].free[j].id) for k, (_w, key) in heaviest.items() for j in key
            }
            pi = np.array([ct.dual_value() for ct in cover])
            mu = [ct.dual_value() for ct in convex]
            # Smoothed prices (Wentges): between the best bound's and the program's; a
            # round that finds no column there is priced again at the program's own.
            for at in (pi if stable is None else _SMOOTHING * stable + (1 - _SMOOTHING) * pi, pi):
                value, priced = self.lagrangian(at)
                if not math.isfinite(value):
                    return  # an expert without any pattern: claim nothing from these prices
                if value > self.bound:
                    self.bound, stable = value, at
                added = False
                for k, (_val, patterns) in enumerate(priced):
                    ex = self.experts[k]
                    for pattern in patterns:
                        reduced = ex.base + sum(ex.cost[j] - pi[ex.cell[j]] for j in pattern) - mu[k]
                        if reduced < -1e-7:
                            added = add(k, pattern) or added
                if added or at is pi:
                    break
            if not added:
                self.lp_value = self.const + objective.Value()
                return
            yield
