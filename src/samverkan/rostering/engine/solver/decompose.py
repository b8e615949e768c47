"""Splitting a roster problem into independent components, each solved as one CP-SAT model.

Experts link the (group, agency) cells of all groups they may serve; the national instance
falls apart into many small components that are solved one after another (see ``run``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import (
    Assignment,
    Expert,
    PriorWork,
    Problem,
    Requirement,
    Roster,
    Shift,
)


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
    return sub_problems(problem, [comp])[0]


def sub_problems(problem: Problem, comps: list[Component]) -> list[Problem]:
    """``sub_problem`` of each of ``comps``, in one pass over the problem (re-planning checks
    every part of a national problem before it repairs the disturbed ones)."""
    by_shift: dict[str, list[int]] = {}
    by_cell: dict[tuple[str, str], int] = {}
    by_expert: dict[str, int] = {}
    for k, comp in enumerate(comps):
        for cell in comp.cells:
            by_cell[cell] = k
            owners = by_shift.setdefault(cell[0], [])
            if not owners or owners[-1] != k:
                owners.append(k)
        for e in comp.experts:
            by_expert[e.id] = k
    shifts: list[list[Shift]] = [[] for _ in comps]
    for sh in problem.shifts:
        for k in by_shift.get(sh.id, ()):
            shifts[k].append(sh)
    requirements: list[list[Requirement]] = [[] for _ in comps]
    for r in problem.requirements:
        owner = by_cell.get((r.shift_id, r.agency))
        if owner is not None:
            requirements[owner].append(r)
    history: list[list[PriorWork]] = [[] for _ in comps]
    for w in problem.history:
        owner = by_expert.get(w.expert_id)
        if owner is not None:
            history[owner].append(w)
    published: list[list[Assignment]] | None = None
    if problem.published is not None:
        published = [[] for _ in comps]
        for a in problem.published.assignments:
            owner = by_expert.get(a.expert_id)
            if owner is not None:
                published[owner].append(a)
    return [
        Problem(
            period_start=problem.period_start,
            days=problem.days,
            shifts=shifts[k],
            requirements=requirements[k],
            experts=list(comp.experts),
            rules=problem.rules,
            weights=problem.weights,
            published=None if published is None else Roster(published[k]),
            pinned_until=problem.pinned_until,
            history=history[k],
            history_from=problem.history_from,
            replanned_at=problem.replanned_at,
            notice_override=problem.notice_override,
        )
        for k, comp in enumerate(comps)
    ]
