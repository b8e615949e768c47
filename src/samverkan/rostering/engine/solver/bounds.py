"""Values and bounds computed without the solver: the optimality gap, the static lower
bound on re-planning changes and cohort fairness spreads (a roster's objective:
``objective``).
"""

from __future__ import annotations

from collections import defaultdict

from ..model import (
    Expert,
    Problem,
    Requirement,
    Roster,
    Shift,
)
from ..validator import hours_caps, pinned_hours
from .build import _Context
from .decompose import Component, components
from .eligibility import KINDS, _kind_predicate, eligible


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

