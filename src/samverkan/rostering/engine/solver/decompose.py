"""Splitting a roster problem into independent components, each solved as one CP-SAT model.

Experts link the (group, agency) cells of all groups they may serve; the national instance
falls apart into many small components that are solved one after another (see ``run``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import (
    Expert,
    Problem,
    Roster,
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
        history=[w for w in problem.history if w.expert_id in expert_ids],
        history_from=problem.history_from,
        replanned_at=problem.replanned_at,
        notice_override=problem.notice_override,
    )


