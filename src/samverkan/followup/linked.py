"""Suppression of a family of linked tables (pure functions, no Django).

A manager can ask for the statistics of every year and of all years together. Every
published count in any of those tables is a sum of the same underlying counts, so the
tables are one system of equations: all years minus the other years gives a year's
hidden cell exactly, though no single table shows it. Suppressing each table on its own
cannot see that (the "linked tables" problem of τ-ARGUS and sdcTable).

``protect`` therefore takes the whole family (``LinkedFamily``) at once:

- ``finest``: the true values of the unknowns the reader reasons about (non-negative
  integers; e.g. the cells of every yearly table);
- ``published``: every cell a user can be shown, by any filter, as the unknowns it adds
  up. Cells with the same unknowns are one quantity with one status everywhere (e.g. a
  row total over all years that two tables show);
- ``same``: pairs of published cells that count the same cases though written with
  different unknowns (all years' closed cases by year received = by year closed): one
  quantity, and the reader knows the two sums are equal;
- ``constraints``: further linear facts the reader knows (e.g. a case closes in or after
  the year it was received);
- ``lines``: equations between published cells (a table's rows and columns; all years =
  the sum of the years), used by the quick rule "no equation with exactly one hidden
  cell". Each is checked against ``published``; they need not be complete;
- ``at_least``: lower bounds the reader knows from the page itself (a row or a year is
  listed only when it has cases);

Primary suppression hides every count from 1 to ``threshold - 1`` as "<5". Then, until
nothing is given away: the line rule (``suppression.hide_lone_cells``), and an exact check
over the whole family (``_Checker.pinned``) — is any hidden quantity *pinned*, i.e. does
it have a single value in every assignment of the unknowns that agrees with every
published cell of every table, "<5" meaning 0-4, the hidden mark meaning at least 5, and
the reader's other knowledge? For each pinned quantity, ``_Checker.repairs`` hides the
cheapest set of shown cells that lets it move (linear programming), and the check runs
again. Hiding only ever grows, so this ends.

The check is exact over the integers. A hidden quantity is safe once it has an integer
*witness*: an assignment that satisfies everything above — verified in whole numbers by
``_Checker.admissible``, whatever solver proposed it — and in which the quantity has
another value. A witness stays valid when more cells are hidden (hiding only widens what
the reader must allow), so every quantity needs proving once. Witnesses come first in
bulk, from linear programmes (OR-Tools GLOP) that reward moving every open quantity by
one at the least total change; a fractional solution is made whole by a small
constraint-programming search (OR-Tools CP-SAT) over its fractional unknowns. For what
is left, quantity by quantity: the least and greatest value by linear programming — when
the relaxation leaves no other whole number, no integer assignment can differ: pinned —
and their solutions as witnesses; failing those, CP-SAT over the whole family decides. A
CP-SAT search that runs out of its (deterministic) budget counts as pinned: fail closed.

The result depends only on the input (one solver thread, deterministic time limits,
fixed seeds), so computing the same snapshot twice publishes the same cells.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from samverkan.followup.suppression import PRIMARY, SECONDARY, THRESHOLD, Line, candidate, hide_lone_cells

Ref = Hashable
#: a linear fact over the unknowns: (coefficients by unknown, least, greatest)
Constraint = tuple[Mapping[int, int], float, float]

# Deterministic time (CP-SAT's own unit) per solve: deterministic rather than wall-clock,
# so that a busy machine cannot change which cells are published.
LOCAL_BUDGET = 1.0
FULL_BUDGET = 30.0
# Making a fractional solution whole: search the fractional unknowns, then grow the set
# through published cells of at most COMPLETION_SPAN unknowns, COMPLETION_STEPS times.
COMPLETION_STEPS = 3
COMPLETION_SPAN = 64
# Batch witnesses: (reward per quantity moved, upwards first?) per round; stop when a round
# proves fewer than BATCH_MIN_GAIN of the open quantities.
BATCH_ROUNDS = ((10.0, True), (10.0, False), (30.0, True), (30.0, False))
BATCH_MIN_GAIN = 0.05
SEED = 20260101


class UnprotectableError(RuntimeError):
    """A hidden count could still be derived and there is nothing left to hide:
    nothing may be published (fail closed)."""


@dataclass
class LinkedFamily:
    """The input of ``protect`` (see the module docstring)."""

    finest: Sequence[int]
    published: Mapping[Ref, Sequence[int]]
    lines: Sequence[tuple[Sequence[Ref], Ref]] = ()
    at_least: Mapping[Ref, int] = field(default_factory=dict)
    same: Sequence[tuple[Ref, Ref]] = ()
    constraints: Sequence[Constraint] = ()
    threshold: int = THRESHOLD


@dataclass
class _Quantities:
    forms: list[list[tuple[int, ...]]]  # per quantity: its sums of unknowns (usually one)
    values: list[int]
    of_ref: dict[Ref, int]

    def members(self, q: int) -> tuple[int, ...]:
        return self.forms[q][0]


def _quantities(family: LinkedFamily) -> _Quantities:
    """One quantity per distinct set of unknowns, merged further by ``same``."""
    by_members: dict[tuple[int, ...], int] = {}
    sets: list[tuple[int, ...]] = []
    set_of_ref: dict[Ref, int] = {}
    for ref, cells in family.published.items():
        key = tuple(sorted(set(cells)))
        if len(key) != len(cells):
            raise ValueError(f"a published cell names an unknown twice: {ref!r}")
        k = by_members.get(key)
        if k is None:
            k = by_members[key] = len(sets)
            sets.append(key)
        set_of_ref[ref] = k
    parent = list(range(len(sets)))

    def root(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for a, b in family.same:
        ra, rb = root(set_of_ref[a]), root(set_of_ref[b])
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    quantity_of_root: dict[int, int] = {}
    forms: list[list[tuple[int, ...]]] = []
    for k in range(len(sets)):
        r = root(k)
        if r not in quantity_of_root:
            quantity_of_root[r] = len(forms)
            forms.append([])
        forms[quantity_of_root[r]].append(sets[k])
    values = []
    for group in forms:
        sums = {sum(family.finest[i] for i in members) for members in group}
        if len(sums) != 1:
            raise ValueError("cells declared the same have different values")
        values.append(sums.pop())
    of_ref = {ref: quantity_of_root[root(k)] for ref, k in set_of_ref.items()}
    return _Quantities(forms, values, of_ref)


def distinct_cells(family: LinkedFamily) -> dict[Ref, int]:
    """Every published cell's quantity: cells with the same number are one quantity."""
    return _quantities(family).of_ref


def _lines(family: LinkedFamily, qs: _Quantities) -> list[Line]:
    """The given equations that really hold (the inner cells' unknowns partition the
    total's), over quantity ids; trivial and repeated ones dropped."""
    seen: set[tuple[tuple[int, ...], int]] = set()
    lines: list[Line] = []
    for inner_refs, total_ref in family.lines:
        union: list[int] = []
        for r in inner_refs:
            union.extend(family.published[r])
        if sorted(union) != sorted(family.published[total_ref]):
            continue  # not an exact partition (e.g. cases closed without a date): no line
        total = qs.of_ref[total_ref]
        inner = tuple(dict.fromkeys(q for q in (qs.of_ref[r] for r in inner_refs) if q != total))
        if not inner or (tuple(sorted(inner)), total) in seen:
            continue
        seen.add((tuple(sorted(inner)), total))
        lines.append(Line(inner, total))  # type: ignore[arg-type]
    return lines


class _Checker:
    """The exact check and the repair (see the module docstring). ``proven``: hidden
    quantities that already have an integer witness."""

    def __init__(self, family: LinkedFamily, qs: _Quantities, at_least: dict[int, int], lines: list[Line]) -> None:
        self.family = family
        self.lines = lines
        self.qs = qs
        self.at_least = at_least
        self.threshold = family.threshold
        self.proven: set[int] = set()
        # No unknown can exceed twice everything counted: the cap only narrows what the
        # reader is assumed to allow, which is the safe direction.
        self.cap = 2 * sum(family.finest) + 2 * family.threshold
        self.truth = list(family.finest)
        self.rows_of: list[list[int]] = [[] for _ in family.finest]  # unknown -> knowledge rows
        self._status_key: tuple[int, ...] | None = None
        self.rows: list[Constraint] = []
        self.row_of_quantity: dict[int, int] = {}  # quantity -> its row in ``rows``

    # -- what the reader knows --------------------------------------------------------
    def _range(self, q: int, status: Mapping[int, str]) -> tuple[float, float]:
        s, v = status.get(q, ""), self.qs.values[q]
        lo = float(self.at_least.get(q, 0))
        if s == PRIMARY:
            return lo, float(self.threshold - 1)
        if s == SECONDARY:
            return max(lo, float(self.threshold)), math.inf
        return float(v), float(v)

    def knowledge(self, status: Mapping[int, str]) -> list[Constraint]:
        """Every linear fact the reader has, as rows over the unknowns (cached per status)."""
        key = tuple(sorted(q for q, s in status.items() if s))
        if key == self._status_key:
            return self.rows
        rows: list[Constraint] = []
        self.row_of_quantity = {}
        for q, group in enumerate(self.qs.forms):
            lo, hi = self._range(q, status)
            first = group[0]
            if first:
                self.row_of_quantity[q] = len(rows)
                rows.append(({i: 1 for i in first}, lo, hi))
            for other in group[1:]:
                coeffs = {i: 1 for i in other}
                for i in first:
                    coeffs[i] = coeffs.get(i, 0) - 1
                rows.append(({i: c for i, c in coeffs.items() if c}, 0.0, 0.0))
        rows.extend(self.family.constraints)
        self.rows = rows
        self.rows_of = [[] for _ in self.truth]
        for n, (row, _lo, _hi) in enumerate(rows):
            for i in row:
                self.rows_of[i].append(n)
        self._status_key = key
        return rows

    def admissible(self, values: Sequence[int], status: Mapping[int, str]) -> bool:
        """Exact check, in whole numbers, that an assignment agrees with everything the
        reader knows."""
        if any(v < 0 or v > self.cap for v in values):
            return False
        for coeffs, lo, hi in self.knowledge(status):
            total = sum(c * values[i] for i, c in coeffs.items())
            if total < lo or total > hi:
                return False
        return True

    def _witness(self, values: Sequence[int], status: Mapping[int, str], targets: Iterable[int]) -> None:
        """Record ``values`` as a witness for every target it moves, if it is admissible."""
        moved = [q for q in targets if sum(values[i] for i in self.qs.members(q)) != self.qs.values[q]]
        if moved and self.admissible(values, status):
            self.proven.update(moved)

    def _directions(self, q: int, status: Mapping[int, str]) -> tuple[bool, bool]:
        """Whether the quantity could be lower / higher than its value at all."""
        lo, hi = self._range(q, status)
        v = self.qs.values[q]
        return v > max(lo, 0), v < hi

    # -- CP-SAT ---------------------------------------------------------------------
    def _cp_solve(
        self,
        status: Mapping[int, str],
        *,
        base: Sequence[int],
        free: Iterable[int] | None,
        move: Sequence[int] = (),
        budget: float,
    ) -> bool | None:
        """Search whole numbers for the unknowns in ``free`` (all when None; the others
        keep their value in ``base``) that agree with everything the reader knows and, if
        ``move`` is given, give at least one of those quantities another value. A
        solution is recorded as a witness. True: found, False: none exists (with the
        others held), None: out of budget."""
        from ortools.sat.python import cp_model  # deferred: OR-Tools (~0.7 s import), only when suppressing

        rows = self.knowledge(status)
        model = cp_model.CpModel()
        x: dict[int, Any] = {
            i: model.new_int_var(0, self.cap, "") for i in (range(len(base)) if free is None else free)
        }
        touched: set[int] = set()
        for i in x:
            touched.update(self.rows_of[i])
        for n in sorted(touched):
            coeffs, lo, hi = rows[n]
            fixed = sum(c * base[i] for i, c in coeffs.items() if i not in x)
            expr = sum(c * x[i] for i, c in coeffs.items() if i in x)
            if math.isfinite(lo):
                model.add(expr >= math.ceil(lo - fixed))
            if math.isfinite(hi):
                model.add(expr <= math.floor(hi - fixed))
        moved = []
        for q in move:
            members = self.qs.members(q)
            if not any(i in x for i in members):
                continue
            lower, higher = self._directions(q, status)
            v = self.qs.values[q] - sum(base[i] for i in members if i not in x)
            expr = sum(x[i] for i in members if i in x)
            for possible, bound in ((lower, expr <= v - 1), (higher, expr >= v + 1)):
                if possible:
                    b = model.new_bool_var("")
                    model.add(bound).only_enforce_if(b)
                    moved.append(b)
        if move:
            if not moved:
                return False
            model.add_bool_or(moved)
        for i, var in x.items():
            model.add_hint(var, base[i])
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = SEED
        solver.parameters.max_deterministic_time = budget
        solver.parameters.stop_after_first_solution = True
        result = solver.solve(model)
        if result in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            values = list(base)
            for i, var in x.items():
                values[i] = solver.value(var)
            self._witness(values, status, [p for p, s in status.items() if s and p not in self.proven])
            return True
        return False if result == cp_model.INFEASIBLE else None

    def _from_solution(self, solution: Sequence[float], status: Mapping[int, str]) -> None:
        """Turn a linear-programming solution into witnesses: as it is when integral,
        else by searching whole numbers for its fractional unknowns (and, failing that,
        for the unknowns of the small published cells around them) with the rest held."""
        base = [round(v) for v in solution]
        free = {i for i, (v, r) in enumerate(zip(solution, base, strict=True)) if abs(v - r) > 1e-6}
        open_ = [p for p, s in status.items() if s and p not in self.proven]
        if not free:
            self._witness(base, status, open_)
            return
        for _step in range(COMPLETION_STEPS):
            if self._cp_solve(status, base=base, free=sorted(free), budget=LOCAL_BUDGET):
                return
            grown = set(free)
            for i in free:
                for n in self.rows_of[i]:
                    if len(self.rows[n][0]) <= COMPLETION_SPAN:
                        grown.update(self.rows[n][0])
            if len(grown) == len(free):
                return
            free = grown

    # -- GLOP -----------------------------------------------------------------------
    def _lp(self, status: Mapping[int, str], *, least_change: bool) -> tuple[Any, list[Any], list[Any]]:
        """The reader's knowledge as a linear programme over the unknowns (GLOP): the
        solver, its variables and its rows (as ``knowledge``); with ``least_change``, the
        objective is the total change from the true values."""
        from ortools.linear_solver import pywraplp  # deferred: OR-Tools (~0.1 s import), only when suppressing

        solver = pywraplp.Solver.CreateSolver("GLOP")
        if solver is None:  # pragma: no cover - GLOP ships with every OR-Tools wheel
            raise RuntimeError("OR-Tools GLOP is not available")
        # The same programme is solved again and again with another objective or bound:
        # the dual simplex restarts from the last basis (measured: about twice as fast).
        solver.SetSolverSpecificParametersAsString("use_dual_simplex: true")
        x = [solver.NumVar(0, self.cap, "") for _ in self.truth]
        inf = solver.infinity()
        rows = []
        for coeffs, lo, hi in self.knowledge(status):
            row = solver.Constraint(lo if math.isfinite(lo) else -inf, hi if math.isfinite(hi) else inf)
            for i, c in coeffs.items():
                row.SetCoefficient(x[i], c)
            rows.append(row)
        objective = solver.Objective()
        objective.SetMinimization()
        if least_change:
            for xi, truth in zip(x, self.truth, strict=True):
                _deviation(solver, [xi], truth, 1.0)
        return solver, x, rows

    def _relaxation_pins(self, solver: Any, x: list[Any], q: int) -> tuple[bool, list[list[float]]]:
        """Whether the linear relaxation in ``solver`` leaves ``q`` no whole-number value
        but its own (then no integer assignment can differ), and its two extreme
        solutions."""
        from ortools.linear_solver import pywraplp  # deferred: OR-Tools (~0.1 s import), only when suppressing

        objective = solver.Objective()
        objective.Clear()
        for i in self.qs.members(q):
            objective.SetCoefficient(x[i], 1)
        extremes, vertices = [], []
        for maximise in (False, True):
            if maximise:
                objective.SetMaximization()
            else:
                objective.SetMinimization()
            result = solver.Solve()
            if result == pywraplp.Solver.UNBOUNDED:
                extremes.append(math.inf)
                continue
            if result != pywraplp.Solver.OPTIMAL:
                raise RuntimeError("the published cells have no consistent reading")  # cannot happen
            extremes.append(objective.Value())
            vertices.append([xi.solution_value() for xi in x])
        v = self.qs.values[q]
        return math.ceil(extremes[0] - 1e-6) >= v and math.floor(extremes[1] + 1e-6) <= v, vertices

    def _batch(self, status: Mapping[int, str]) -> None:
        """Witnesses for many quantities at once: a linear programme that pays for every
        unit of change but rewards each open quantity that moves by one in a chosen
        direction (rounds alternate the direction and raise the reward); its solution,
        made whole (``_from_solution``), proves every quantity it moves."""
        from ortools.linear_solver import pywraplp  # deferred: OR-Tools (~0.1 s import), only when suppressing

        for reward, upwards in BATCH_ROUNDS:
            open_ = [q for q, s in sorted(status.items()) if s and q not in self.proven and self.qs.members(q)]
            if not open_:
                return
            solver, x, _rows = self._lp(status, least_change=True)
            objective = solver.Objective()
            for q in open_:
                lower, higher = self._directions(q, status)
                sign = (1 if higher else -1) if upwards else (-1 if lower else 1)
                v = self.qs.values[q]
                row = solver.Constraint(v - 1, v + 1)
                for i in self.qs.members(q):
                    row.SetCoefficient(x[i], 1)
                    objective.SetCoefficient(x[i], objective.GetCoefficient(x[i]) - reward * sign)
            if solver.Solve() != pywraplp.Solver.OPTIMAL:
                return  # cannot happen (the truth is a solution); the checks below decide
            before = len(self.proven)
            self._from_solution([xi.solution_value() for xi in x], status)
            if len(self.proven) - before < BATCH_MIN_GAIN * len(open_):
                return

    # -- the check and the repair ---------------------------------------------------
    def pinned(self, status: Mapping[int, str]) -> list[int]:
        """The hidden quantities that the family gives away (empty: none)."""
        self.knowledge(status)
        self._batch(status)
        open_ = [q for q, s in sorted(status.items()) if s and q not in self.proven and self.qs.members(q)]
        if not open_:
            return []
        pinned: list[int] = []
        solver, x, _rows = self._lp(status, least_change=False)
        for q in open_:
            if q in self.proven:
                continue
            fixed, vertices = self._relaxation_pins(solver, x, q)
            if fixed:
                pinned.append(q)  # no other whole number even in the relaxation
                continue
            for vertex in vertices:
                if q not in self.proven:
                    self._from_solution(vertex, status)
            if q not in self.proven and not self._cp_solve(
                status, base=self.truth, free=None, move=[q], budget=FULL_BUDGET
            ):
                pinned.append(q)  # no other whole-number value (or out of budget: fail closed)
        return pinned

    def repairs(self, status: dict[int, str], pinned: Sequence[int]) -> bool:
        """Hide more so that each pinned quantity can take another value; True when
        anything was hidden. For each in turn, the cheapest set of shown cells by linear
        programming: every shown cell may move within what a reader would allow once it
        is hidden (at least the threshold, or 0-4 for a zero), paying per unit moved its
        value (a zero: more than any small count, so zeros are hidden last); the pinned
        quantity must move by at least one, up or down, whichever is cheaper. Where that
        hides nothing (only whole numbers pin it), the single-table rule picks a cell."""
        from ortools.linear_solver import pywraplp  # deferred: OR-Tools (~0.1 s import), only when suppressing

        t = self.threshold
        released = dict(status)
        for p, v in enumerate(self.qs.values):
            if not released.get(p):
                released[p] = SECONDARY if v >= t else PRIMARY
        solver, x, _rows = self._lp(released, least_change=False)
        # The reader's view as it stands, kept up to date as cells are hidden: a pinned
        # quantity that an earlier repair of this round freed needs no repair of its own.
        now, now_x, now_rows = self._lp(status, least_change=False)
        objective = solver.Objective()
        deviations: dict[int, Any] = {}
        for p, v in enumerate(self.qs.values):
            if not status.get(p) and self.qs.members(p):
                deviations[p] = _deviation(solver, [x[i] for i in self.qs.members(p)], v, float(v if v else 4 * t))
        target = solver.Constraint(0, 0)
        hid = False
        for q in pinned:
            if hid and not self._relaxation_pins(now, now_x, q)[0]:
                continue
            target.Clear()
            for i in self.qs.members(q):
                target.SetCoefficient(x[i], 1)
            v = self.qs.values[q]
            lower, higher = self._directions(q, status)
            best: tuple[float, dict[int, str]] | None = None
            for possible, lo, hi in ((higher, v + 1, solver.infinity()), (lower, -solver.infinity(), v - 1)):
                if not possible:
                    continue
                target.SetBounds(lo, hi)
                if solver.Solve() != pywraplp.Solver.OPTIMAL:
                    continue
                hide = {
                    p: released[p] for p, d in deviations.items() if not status.get(p) and d.solution_value() > 1e-6
                }
                if best is None or objective.Value() < best[0]:
                    best = (objective.Value(), hide)
            more = best[1] if best and best[1] else self._line_candidate(q, status)
            for p, st in more.items():
                status[p] = st
                if p in deviations:
                    objective.SetCoefficient(deviations[p], 0.0)  # hidden now: free to move
                if p in self.row_of_quantity:
                    lo, hi = self._range(p, status)
                    now_rows[self.row_of_quantity[p]].SetBounds(lo, hi if math.isfinite(hi) else now.infinity())
            hid = hid or bool(more)
        return hid

    def _line_candidate(self, q: int, status: Mapping[int, str]) -> dict[int, str]:
        """What the single-table rule would hide next for ``q``, in ``q``'s own lines first."""
        own = [line for line in self.lines if q in line.inner or q == line.total]
        values = dict(enumerate(self.qs.values))
        for line in [*own, *self.lines]:
            pick = candidate(line, values, status)  # type: ignore[arg-type]
            if pick is not None:
                return {pick[0]: pick[1]}  # type: ignore[dict-item]
        return {}


def _deviation(solver: Any, terms: Sequence[Any], value: float, cost: float) -> Any:
    """A variable d >= |sum(terms) - value| with ``cost`` per unit in the objective."""
    inf = solver.infinity()
    d = solver.NumVar(0, inf, "")
    above = solver.Constraint(-value, inf)  # d - sum + value >= 0
    below = solver.Constraint(value, inf)  # d + sum - value >= 0
    above.SetCoefficient(d, 1)
    below.SetCoefficient(d, 1)
    for term in terms:
        above.SetCoefficient(term, -1)
        below.SetCoefficient(term, 1)
    solver.Objective().SetCoefficient(d, cost)
    return d


def protect(family: LinkedFamily) -> dict[Ref, str]:
    """The suppression status ("" shown, PRIMARY or SECONDARY) of every published cell
    of the family, such that no hidden cell can be derived from all the published cells
    of all the tables together (see the module docstring). Raises
    ``UnprotectableError`` when that cannot be achieved (fail closed)."""
    if any(v < 0 for v in family.finest):
        raise ValueError("counts cannot be negative")
    qs = _quantities(family)
    lines = _lines(family, qs)
    at_least: dict[int, int] = {}
    for ref, bound in family.at_least.items():
        q = qs.of_ref[ref]
        at_least[q] = max(at_least.get(q, 0), bound)
    values = dict(enumerate(qs.values))
    status = {q: (PRIMARY if 0 < v < family.threshold else "") for q, v in values.items()}
    checker = _Checker(family, qs, at_least, lines)
    if not checker.admissible(family.finest, status):
        raise ValueError("the true counts contradict what the reader is said to know")
    for _guard in range(len(values) + 1):
        while hide_lone_cells(values, status, lines):  # type: ignore[arg-type]
            pass
        pinned = checker.pinned(status)
        if not pinned:
            return {ref: status[q] for ref, q in qs.of_ref.items()}
        if not checker.repairs(status, pinned):
            break
    raise UnprotectableError("a hidden count could still be derived")
