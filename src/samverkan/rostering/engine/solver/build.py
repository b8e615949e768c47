"""Building the CP-SAT model of one component: a variable per eligible (expert, shift), the
hard rules, and the soft objective (fairness spreads, preferences, in re-planning the changes).

The formulation is described in the package docstring (``engine/solver/__init__.py``).
"""

from __future__ import annotations

import bisect
import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from ortools.sat.python import cp_model
from ortools.util.python.sorted_interval_list import Domain

from ..model import (
    Assignment,
    Expert,
    PriorWork,
    Problem,
    Requirement,
    Shift,
)
from ..shifts import breaks_ok, is_night_shift
from ..validator import (
    clipped_hours,
    history_by_expert,
    hours_caps,
    night_cap,
    period_bounds,
    pinned_hours,
    rolling_week_starts,
    total_windows,
)
from .decompose import Component
from .eligibility import _kind_predicate, conflicts, expert_may, shift_open

_BOOL_DOMAIN = Domain(0, 1)


def _new_bool(m: cp_model.CpModel) -> cp_model.IntVar:
    """``m.new_bool_var("")`` at half the cost (one shared domain, no name): a national
    problem creates some 850,000 of them while the first rosters wait."""
    return cp_model.IntVar(m.model_proto).with_domain(_BOOL_DOMAIN)


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
        self.no_break = {s.id for s in problem.shifts if not breaks_ok(s, rules)}
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
        self.history = history_by_expert(problem)
        self.rolling = rules.weekly_rest_rolling
        self.rolling_span = rolling_week_starts(problem)
        self.total_windows = total_windows(problem)
        # Keyed by the shifts' times, not their ids: the areas of a national problem share
        # one shift pattern, so an expert's structure is usually computed once for them all.
        self._cliques: dict[tuple[object, ...], list[tuple[int, ...]]] = {}
        self._windows: dict[tuple[object, ...], list[list[list[int]] | None]] = {}
        self._open: dict[tuple[str, str], bool] = {}

    def shift_open(self, s: Shift, agency: str) -> bool:
        """``eligibility.shift_open`` for the cell (``s``, ``agency``), computed once."""
        key = (s.id, agency)
        ok = self._open.get(key)
        if ok is None:
            ok = self._open[key] = shift_open(self.problem, s, self.reqs[key], breaks=s.id not in self.no_break)
        return ok

    def cliques(self, mine: list[Shift], rest: float) -> list[tuple[int, ...]]:
        """Index cliques covering every conflicting pair of ``mine`` (sorted by start)."""
        key = (rest, *((s.start, s.end) for s in mine))
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

    def windows(self, mine: list[Shift], before: list[PriorWork] | None = None) -> list[list[list[int]] | None]:
        """Per 7-day block (fixed weeks) or per rolling window start (see ``rolling``):
        None when no possible shift touches the block or a free window exists whatever is
        chosen; else the candidate windows, each as the indices of the shifts it forbids.
        ``before``: the expert's work before the period (fixed; a window overlapping it is
        no candidate)."""
        before = before or []
        key = (*((s.start, s.end) for s in mine), None, *((w.start, w.end) for w in before))
        cached = self._windows.get(key)
        if cached is not None:
            return cached
        if self.rolling:
            result = self._rolling_windows(mine, before)
            self._windows[key] = result
            return result
        week_rest = timedelta(hours=self.problem.rules.weekly_rest_hours)
        result = []
        for lo, hi in self.blocks:
            in_block = [i for i, s in enumerate(mine) if s.end > lo and s.start < hi]
            if not in_block:
                result.append(None)
                continue
            fixed = [(w.start, w.end) for w in before if w.end > lo and w.start < hi]
            starts = (
                {lo} | {mine[i].end for i in in_block if lo < mine[i].end < hi} | {e for _s, e in fixed if lo < e < hi}
            )
            windows: list[list[int]] | None = []
            for t in sorted(starts):
                t_end = t + week_rest
                if t_end > hi:
                    continue
                if any(fs < t_end and fe > t for fs, fe in fixed):
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

    def _rolling_windows(self, mine: list[Shift], before: list[PriorWork]) -> list[list[list[int]] | None]:
        """Weekly rest over rolling 7-day windows (validator: ``_check_rolling_week``), exact
        on whole minutes. With F(u) = "[u, u + R) is free" and S the places a free stretch may
        begin (the first checked moment, the ends of possible and earlier shifts), a window
        [t, t + 7 days) holds R free hours iff F(t) or F(x) for some x in S within
        [t, t + 7 days - R]. That changes only where t, t + R or t + 7 days - R meets a shift
        boundary or a point of S, so it is required at those points and a minute after each:
        one at-least-one group of candidate free windows per point."""
        rules = self.problem.rules
        need = timedelta(hours=rules.weekly_rest_hours)
        slack = timedelta(days=7) - need
        minute = timedelta(minutes=1)
        first, last = self.rolling_span
        fixed = [(w.start, w.end) for w in before if w.end > first]
        bounds = {s.start for s in mine} | {s.end for s in mine} | {x for w in fixed for x in w}
        starts = sorted({first} | {x for x in bounds if x > first} & ({s.end for s in mine} | {e for _s, e in fixed}))
        critical = {first, last}
        for x in bounds:
            critical.update((x, x - need))
        for x in starts:
            critical.update((x, x - slack))
        points = sorted({t for c in critical for t in (c, c + minute) if first <= t <= last})
        over_cache: dict[datetime, list[int] | None] = {}

        def over(u: datetime) -> list[int] | None:
            """Shifts a free window at u forbids; None if earlier work already fills it."""
            if u not in over_cache:
                u_end = u + need
                if any(fs < u_end and fe > u for fs, fe in fixed):
                    over_cache[u] = None
                else:
                    over_cache[u] = [i for i, s in enumerate(mine) if s.start < u_end and s.end > u]
            return over_cache[u]

        result: list[list[list[int]] | None] = []
        for t in points:
            lo = bisect.bisect_left(starts, t)
            hi = bisect.bisect_right(starts, t + slack)
            group: list[list[int]] | None = []
            for u in [t, *starts[lo:hi]]:
                forbids = over(u)
                if forbids is None:
                    continue
                if not forbids:
                    group = None
                    break
                assert group is not None
                group.append(forbids)
            result.append(group)
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
        elastic: bool = False,
    ) -> None:
        """``relax`` drops rule families (daily_rest, weekly_rest, hours, night_average) -
        only for explaining infeasibility, never for a roster. ``elastic`` (re-planning's
        neighbourhood search): a cell may be left short, by ``shortfall`` (so any roster
        that keeps the per-expert rules, e.g. the published one less what became
        impossible, is a solution); never for a roster that is returned as it is."""
        self.relax = relax
        self.elastic = elastic
        self.shortfall: list[cp_model.IntVar] = []
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
        self._hours_caps: dict[str, tuple[float, float]] = {}
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
        rest_s = p.rules.daily_rest_hours * 3600 - 1e-6
        for e in self.comp.experts:
            mine: list[Shift] = []
            before = ctx.history.get(e.id, [])
            for g in sorted(e.groups):
                for s in by_agency_group.get((g, e.agency), ()):
                    pinned = pinned_until is not None and s.start < pinned_until
                    if pinned and (s.id, e.id) not in ctx.published:
                        continue
                    # The previous period's work: overlap or too short a rest across the boundary.
                    clash = any(w.start < s.end and (s.start - w.end).total_seconds() < rest_s for w in before)
                    if (
                        clash
                        or not ctx.shift_open(s, e.agency)
                        or not expert_may(p, e, s, ctx.reqs[(s.id, e.agency)], night=s.id in ctx.night)
                    ):
                        if pinned:
                            self.impossible.append((e.id, s.id))
                        continue
                    mine.append(s)
            mine.sort(key=lambda s: (s.start, s.end, s.id))
            expert_shifts[e.id] = mine
            for s in mine:
                v = _new_bool(m)
                self.x[(e.id, s.id)] = v
                by_cell[(s.id, e.agency)].append((e, v))
                if pinned_until is not None and s.start < pinned_until:
                    m.add(v == 1)
                    self.fixed_one.add((e.id, s.id))

        # Coverage (and qualification counts with several requirements on one cell).
        for key in cells:
            group = ctx.reqs[key]
            lits = [v for _e, v in by_cell.get(key, ())]
            short: list[cp_model.IntVar] = []
            if self.elastic:
                short = [m.new_int_var(0, ctx.need[key], "")]
                self.shortfall.extend(short)
            m.add(cp_model.LinearExpr.sum([*lits, *short]) == ctx.need[key])
            if len(group) > 1:
                for r in group:
                    if not r.qualifications:
                        continue
                    demand = sum(o.count for o in group if r.qualifications <= o.qualifications)
                    qual = [v for e, v in by_cell.get(key, ()) if r.qualifications <= e.qualifications]
                    m.add(cp_model.LinearExpr.sum([*qual, *short]) >= demand)

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
            free_window: dict[tuple[int, ...], cp_model.IntVar] = {}
            nots = [v.Not() for v in xs]  # each negation made once, used by many windows
            for windows in ctx.windows(mine, ctx.history.get(e.id)):
                if windows is None or "weekly_rest" in self.relax:
                    continue
                lits = []
                for over in windows:
                    forbids = tuple(over)
                    w = free_window.get(forbids)
                    if w is None:
                        w = free_window[forbids] = _new_bool(m)
                        m.add_bool_and([nots[i] for i in over]).only_enforce_if(w)
                    lits.append(w)
                m.add_bool_or(lits)
            # Hours (in minutes).
            minutes = [ctx.minutes[s.id] for s in mine]
            avg_cap, contract_cap = self._caps(e)
            cap = math.floor(min(avg_cap, contract_cap) * 60 + 1e-6)
            total = cp_model.LinearExpr.weighted_sum(xs, minutes)
            if sum(minutes) > cap and "hours" not in self.relax:
                m.add(total <= cap)
            # Total time over the calculation period with the earlier periods' work (ATL § 10 b).
            if "hours" not in self.relax:
                before = ctx.history.get(e.id, [])
                for lo, hi in ctx.total_windows:
                    done = sum(round(clipped_hours(w.start, w.end, lo, hi) * 60) for w in before)
                    cap_total = (
                        math.floor(p.rules.total_week_average_hours * (hi - lo).total_seconds() / (7 * 1440) + 1e-6)
                        - done
                    )
                    if cap_total >= cap:
                        continue  # implied by the period's hours cap above
                    inside = [round(clipped_hours(s.start, s.end, lo, hi) * 60) for s in mine]
                    if sum(inside) > cap_total:
                        m.add(cp_model.LinearExpr.weighted_sum(xs, inside) <= cap_total)
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
        avg_cap, contract_cap = self._caps(e)
        shortest = min(s.hours for s in kind_shifts)
        return min(count, math.floor(min(avg_cap, contract_cap) / shortest + 1e-9))

    def _caps(self, e: Expert) -> tuple[float, float]:
        """``validator.hours_caps`` of ``e``, computed once per model."""
        caps = self._hours_caps.get(e.id)
        if caps is None:
            caps = self._hours_caps[e.id] = hours_caps(e, self.problem, self.ctx.pinned_hours.get(e.id, 0.0))
        return caps

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
