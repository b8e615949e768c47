"""Re-planning helpers without the solver's search: a constructive repair (ejection chains)
that gives CP-SAT a complete, nearly minimal starting roster, and a lower bound on the
changes that any repair must make.

Both rest on one fact: every hard rule is monotone — removing shifts from an expert's
roster never creates a violation. So if a hole (an empty position) can be filled by an
expert only after some change of their own, it costs at least one more removal, and that
removal opens a position (an addition) too.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from ..model import Assignment, Expert, Shift
from ..validator import _check_expert, hours_caps

if TYPE_CHECKING:  # pragma: no cover
    from .build import _Model


class Repairer:
    """One disturbed component of a re-planning problem (built from its CP-SAT model)."""

    def __init__(self, model: _Model) -> None:
        self.model = model
        ctx = model.ctx
        p = model.problem
        self.problem = p
        self.shifts = ctx.shifts
        self.rest_s = p.rules.daily_rest_hours * 3600
        self.experts: dict[str, Expert] = {e.id: e for e in model.comp.experts}
        assert p.published is not None
        # Kept: published assignments that are still possible (the model has a variable).
        self.kept: dict[str, set[str]] = defaultdict(set)
        self.removed: list[tuple[str, str]] = []  # (expert, shift) now impossible
        cells = set(model.comp.cells)
        for a in p.published.assignments:
            if a.expert_id not in self.experts or (a.shift_id, a.agency) not in cells:
                continue
            if (a.expert_id, a.shift_id) in model.x:
                self.kept[a.expert_id].add(a.shift_id)
            else:
                self.removed.append((a.expert_id, a.shift_id))
        self.pinned: dict[str, float] = {eid: ctx.pinned_hours.get(eid, 0.0) for eid in self.experts}
        self.cap = {eid: min(hours_caps(e, p, self.pinned[eid])) for eid, e in self.experts.items()}
        self.candidates: dict[tuple[str, str], list[str]] = defaultdict(list)  # cell -> experts
        for eid, sid in model.x:
            self.candidates[(sid, self.experts[eid].agency)].append(eid)
        self.fixed = model.fixed_one  # (expert, shift) pinned to 1

    # ................................................................ rules
    def ok(self, eid: str, shift_ids: set[str]) -> bool:
        """Does expert ``eid`` meet every per-expert rule working exactly ``shift_ids``?"""
        worked = sorted((self.shifts[s] for s in shift_ids), key=lambda s: (s.start, s.end))
        hours = sum(s.hours for s in worked)
        if hours > self.cap[eid] + 1e-6:
            return False
        bad: list[int] = []

        def add(*_args: object, **_kw: object) -> None:
            bad.append(1)

        _check_expert(self.problem, self.experts[eid], worked, add, self.pinned[eid])
        return not bad

    def _near_conflict(self, eid: str, shift_ids: set[str], s: Shift) -> bool:
        for other in shift_ids:
            o = self.shifts[other]
            a, b = (o, s) if (o.start, o.end) <= (s.start, s.end) else (s, o)
            if (b.start - a.end).total_seconds() < self.rest_s - 1e-6:
                return True
        return False

    def can_take(self, eid: str, current: set[str], sid: str, without: str | None = None) -> bool:
        if (eid, sid) not in self.model.x or sid in current:
            return False
        mine = current - {without} if without else current
        s = self.shifts[sid]
        if self._near_conflict(eid, mine, s):
            return False
        return self.ok(eid, mine | {sid})

    # ................................................................ repair
    def holes(self, roster: dict[str, set[str]]) -> list[tuple[str, str]]:
        count: dict[tuple[str, str], int] = defaultdict(int)
        for eid, sids in roster.items():
            for sid in sids:
                count[(sid, self.experts[eid].agency)] += 1
        out = []
        for key in self.model.comp.cells:
            out.extend([key] * max(0, self.model.ctx.need[key] - count[key]))
        return sorted(out, key=lambda k: (self.shifts[k[0]].start, k))

    def kept_within_caps(self) -> dict[str, set[str]]:
        """The published assignments still possible, less (for an expert who no longer
        meets their rules, e.g. over a lowered hours cap) their latest movable shifts."""
        roster: dict[str, set[str]] = {eid: set(self.kept.get(eid, set())) for eid in self.experts}
        for eid, sids in roster.items():
            movable = sorted(
                (s for s in sids if (eid, s) not in self.fixed),
                key=lambda s: self.shifts[s].start,
                reverse=True,
            )
            while movable and not self.ok(eid, sids):
                sids.discard(movable.pop(0))
        return roster

    def greedy(self, deadline: Callable[[], bool]) -> tuple[list[Assignment], bool]:
        """A repaired roster: remove the impossible assignments (and, for an expert over
        their lowered hours cap, their latest movable shifts), then fill each hole directly
        if someone can take it, else by a chain of depth two (Y takes the hole and gives
        up a shift t that Z takes). Returns (assignments, complete)."""
        roster = self.kept_within_caps()
        complete = True
        for sid, agency in self.holes(roster):
            if deadline():
                complete = False
                break
            budget = [600]  # feasibility checks per hole
            for depth in range(4):
                if self._fill(roster, sid, agency, depth, budget, deadline, set()):
                    break
            else:
                complete = False
        out = [
            Assignment(shift_id=sid, expert_id=eid, agency=self.experts[eid].agency)
            for eid, sids in roster.items()
            for sid in sids
        ]
        return out, complete

    def _fill(
        self,
        roster: dict[str, set[str]],
        sid: str,
        agency: str,
        depth: int,
        budget: list[int],
        deadline: Callable[[], bool],
        used: set[str],
    ) -> bool:
        """Fill one position of (sid, agency): directly, or (depth > 0) by an expert who
        gives up one of their movable shifts t, which is then filled recursively (an
        ejection chain of ``depth`` more links). Commits on success."""
        cands = [e for e in self.candidates[(sid, agency)] if sid not in roster[e] and e not in used]
        cands.sort(key=lambda e: (sum(self.shifts[s].hours for s in roster[e]) - self.cap[e], e))
        for y in cands:
            budget[0] -= 1
            if self.can_take(y, roster[y], sid):
                roster[y].add(sid)
                return True
        if depth <= 0:
            return False
        start = self.shifts[sid].start
        for y in cands:
            movable = sorted(
                (t for t in roster[y] if (y, t) not in self.fixed),
                key=lambda t: abs((self.shifts[t].start - start).total_seconds()),
            )
            for t in movable:
                if budget[0] <= 0 or deadline():
                    return False
                budget[0] -= 1
                if not self.can_take(y, roster[y], sid, without=t):
                    continue
                roster[y].discard(t)
                roster[y].add(sid)
                if self._fill(roster, t, self.experts[y].agency, depth - 1, budget, deadline, used | {y}):
                    return True
                roster[y].discard(sid)
                roster[y].add(t)
        return False

    # ................................................................ bound
    def extra_lower_bound(self, time_limit_s: float = 1.0) -> int:
        """Changes beyond the impossible removals and their refills that any repair must
        make (a valid lower bound): a hole that no expert can take without giving up a shift
        of their own costs that expert at least one removal, and each removal leaves a
        position to refill. A small exact model assigns the holes to experts minimising
        the removals, with each expert's removals covering their hours excess."""
        kept = {eid: set(self.kept.get(eid, set())) for eid in self.experts}
        holes = self.holes(kept)
        if not holes:
            return 0
        # Cells of kept shifts with surplus: a removal there need not be refilled; then
        # no extra change is claimed for that expert.
        count: dict[tuple[str, str], int] = defaultdict(int)
        for eid, sids in kept.items():
            for sid in sids:
                count[(sid, self.experts[eid].agency)] += 1
        m = cp_model.CpModel()
        take: dict[tuple[int, str], cp_model.IntVar] = {}
        for i, (sid, agency) in enumerate(holes):
            lits = []
            for eid in self.candidates[(sid, agency)]:
                if sid in kept[eid]:
                    continue
                v = m.new_bool_var("")
                take[(i, eid)] = v
                lits.append(v)
            if not lits:
                return 0  # cannot be filled at all: leave the proof to the solver
            m.add_exactly_one(lits)
        terms = []
        for eid, e in self.experts.items():
            mine = [(i, v) for (i, x), v in take.items() if x == eid]
            movable = [self.shifts[s].hours for s in kept[eid] if (eid, s) not in self.fixed]
            if any(count[(s, e.agency)] > self.model.ctx.need[(s, e.agency)] for s in kept[eid]):
                continue
            if not mine and self.ok(eid, kept[eid]):
                continue
            hmax = max(movable, default=0.0)
            d = m.new_int_var(0, len(movable), "")
            terms.append(d)
            indirect = [v for i, v in mine if not self.can_take(eid, kept[eid], holes[i][0])]
            for v in indirect:
                m.add(d >= 1).only_enforce_if(v)
            if hmax <= 0:
                for v in indirect:
                    m.add(v == 0)
                continue
            # Kept shifts include the pinned ones.
            base = sum(self.shifts[s].hours for s in kept[eid]) - self.cap[eid]
            added = cp_model.LinearExpr.weighted_sum(
                [v for _i, v in mine], [round(self.shifts[holes[i][0]].hours * 60) for i, _v in mine]
            )
            # Removed hours >= base + added hours; each removal frees at most hmax.
            m.add(d * math.ceil(hmax * 60) >= added + math.floor(base * 60 - 1e-6))
        if not terms:
            return 0
        m.minimize(cp_model.LinearExpr.sum(terms))
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = time_limit_s
        solver.parameters.num_workers = 1
        status = solver.solve(m)
        if status == cp_model.INFEASIBLE:
            return 0
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return 0
        return 2 * max(0, math.ceil(solver.best_objective_bound - 1e-6))


class NeighbourhoodSearch:
    """Re-planning's neighbourhood search on one disturbed component: the fewest changes,
    found by repeatedly re-solving a small neighbourhood exactly while everything else stays
    as it is.

    It works on the component's elastic model (``_Model(elastic=True)``: a position may be
    left empty, at a cost above any number of changes), so the published roster less what
    became impossible - or the constructive repair - is a solution from the start. A
    neighbourhood is a few experts of the component: their assignments from the pinned
    time on are free, everyone else's stay as in the current roster; CP-SAT (one worker)
    minimises empty positions, then changes, hinted with the current roster. The
    neighbourhood widens (more experts at once) when the current size stops improving;
    once it holds every expert the search is the whole component's, exact."""

    def __init__(self, elastic: _Model, caps: dict[str, float], *, seed: int = 1) -> None:
        """``caps``: each expert's hours cap for the period (``Repairer.cap``)."""
        assert elastic.elastic
        self.model = elastic
        self.caps = caps
        self.big = len(elastic.x) + elastic.change_const + 1  # one empty position > any changes
        elastic.m.minimize(
            self.big * cp_model.LinearExpr.sum(elastic.shortfall) + elastic.changes_expr()
        )
        self.index = {key: v.index for key, v in elastic.x.items()}
        self.by_expert: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for key in elastic.x:
            self.by_expert[key[0]].append(key)
        self.experts = sorted(self.by_expert)
        self.rng = random.Random(seed)  # noqa: S311 - a search heuristic, seeded for repeatable runs
        self.solves = 0
        self.shortest = min((elastic.ctx.shifts[sid].hours for _e, sid in elastic.x), default=0.0)
        self.free_shifts = sorted({sid for key in elastic.x if key not in elastic.fixed_one for sid in [key[1]]})

    def value(self, chosen: set[tuple[str, str]]) -> tuple[int, int]:
        """(empty positions, changes) of ``chosen`` (pairs (expert, shift))."""
        m = self.model
        count: dict[tuple[str, str], int] = defaultdict(int)
        agency = {e.id: e.agency for e in m.comp.experts}
        for eid, sid in chosen:
            count[(sid, agency[eid])] += 1
        empty = sum(max(0, m.ctx.need[c] - count[c]) for c in m.comp.cells)
        return empty, m.evaluate(
            Assignment(shift_id=sid, expert_id=eid, agency=agency[eid]) for eid, sid in chosen
        )[1]

    def _solve(
        self, free: Callable[[tuple[str, str]], bool], current: set[tuple[str, str]], limit: float
    ) -> tuple[set[tuple[str, str]] | None, bool]:
        """Re-solve with only the variables ``free`` selects free; (solution or None, optimal)."""
        m = self.model.m.clone()
        variables = m.proto.variables
        for key, idx in self.index.items():
            m.add_hint(self.model.x[key], key in current)
            if not free(key) and key not in self.model.fixed_one:
                b = 1 if key in current else 0
                dom = variables[idx].domain
                dom.clear()
                dom.extend([b, b])
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.02, limit)
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = 1
        # The neighbourhoods are small: presolve would cost more than it saves.
        solver.parameters.cp_model_presolve = False
        self.solves += 1
        status = solver.solve(m)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None, False
        chosen = {key for key, v in self.model.x.items() if solver.boolean_value(v)}
        return chosen, status == cp_model.OPTIMAL

    def feasible(self, chosen: set[tuple[str, str]]) -> bool:
        """Does ``chosen`` meet the elastic model (every rule, no cell over-filled)?"""
        found, _opt = self._solve(lambda _key: False, chosen, 1.0)
        return found is not None

    def _neighbourhood(self, best: set[tuple[str, str]], size: int, turn: int) -> Callable[[tuple[str, str]], bool]:
        """``size`` experts (all their shifts): while a position is empty, some who may
        fill it and one with hours to spare; else, every other turn, every expert's shifts
        within ``size`` days around a random day."""
        m = self.model
        agency = {e.id: e.agency for e in m.comp.experts}
        count: dict[tuple[str, str], int] = defaultdict(int)
        for eid, sid in best:
            count[(sid, agency[eid])] += 1
        holes = [c for c in m.comp.cells if count[c] < m.ctx.need[c]]
        # While a position is empty, experts only: an exchange that frees the hours for it
        # may lie on any day.
        if turn % 2 == 0 or holes:
            chosen: set[str] = set()
            if holes:
                # Someone who may take an empty position, and someone with hours to spare
                # (where a chain of exchanges can end).
                sid, ag = self.rng.choice(holes)
                able = [e for e in self.experts if (e, sid) in m.x and agency[e] == ag]
                chosen.update(self.rng.sample(able, min(len(able), 1)))
                hours: dict[str, float] = defaultdict(float)
                for eid, s in best:
                    hours[eid] += m.ctx.shifts[s].hours
                spare = [e for e in self.experts if e not in chosen and self.caps[e] - hours[e] >= self.shortest]
                chosen.update(self.rng.sample(spare, min(len(spare), max(1, size - 2))))
            rest = [e for e in self.experts if e not in chosen]
            chosen.update(self.rng.sample(rest, min(len(rest), max(0, size - len(chosen)))))
            return lambda key: key[0] in chosen
        shifts = m.ctx.shifts
        centre = shifts[self.rng.choice(self.free_shifts)].start
        half = timedelta(days=size / 2)
        lo, hi = centre - half, centre + half
        return lambda key: lo <= shifts[key[1]].start < hi

    def run(
        self,
        start: set[tuple[str, str]],
        *,
        deadline: Callable[[], float],
        target: int,
        sub_limit: float = 0.3,
        size: int = 3,
        until_complete: bool = False,
    ) -> tuple[set[tuple[str, str]], bool]:
        """Improve ``start`` (a solution of the elastic model) until ``deadline()`` (seconds
        left) runs out, its changes reach ``target`` (a proven lower bound) with no empty
        position, or a search of the whole component proves it optimal; ``until_complete``:
        or as soon as no position is empty. Returns (the best roster, proven optimal)."""
        best = set(start)
        val = self.value(best)
        n = len(self.experts)
        stall = 0
        turn = 0
        while (
            deadline() > 0.02
            and not (val[0] == 0 and (val[1] <= target or until_complete))
            and self.free_shifts
        ):
            if size >= n:
                found, optimal = self._solve(lambda _key: True, best, deadline())
                if found is not None and self.value(found) <= val:
                    best, val = found, self.value(found)
                return best, optimal
            turn += 1
            found, _opt = self._solve(self._neighbourhood(best, size, turn), best, min(sub_limit, deadline()))
            new = self.value(found) if found is not None else val
            if found is not None and new < val:
                best, val, stall = found, new, 0
                continue
            stall += 1
            # A neighbourhood one expert (or day) wider takes several times as long; but
            # a roster (no empty position) comes first.
            if stall >= (n if val[0] else 3 * n):
                size, stall = size + 1, 0
        return best, False
