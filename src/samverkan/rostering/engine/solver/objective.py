"""The solver's objective, computed from a roster and the problem alone (no OR-Tools).

This is the number the engine reports (``SolveResult.objective``): the objective of the
roster it returns, recomputed from that roster, never the value CP-SAT attached to a
solution. (In the CP-SAT model a cohort's spread is an integer variable only bounded from
below by max - min, so the value of a solution found before optimality can be larger than
the roster's real spread; see ADR 0007.)

The definition mirrors ``build._Model`` term by term:

* fairness: per independent component (``decompose.components``), per agency of its cells
  and per kind of shift (nights, weekends, holidays) with a positive weight, the cohort is
  the component's experts of that agency who may work at least one of the component's
  shifts of the kind (``eligibility.eligible``, and in re-planning not a pinned shift they
  were not published on). A cohort of two or more experts whose kind has required
  positions adds ``weight * (max - min)`` of its members' counts of such shifts;
* preferences: ``weights.preference`` per avoided shift code, avoided weekday and shift
  outside the wanted codes, on every shift an expert may work and works;
* re-planning (``replan=True``): ``weights.change`` per changed assignment outside the
  pinned part: a published assignment of the component that is not kept, or an added one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from ..model import Assignment, Expert, Problem, Requirement, Roster, Shift
from ..shifts import is_night_shift
from ..validator import on_leave
from .decompose import Component, components
from .eligibility import _kind_predicate, eligible

_KIND_WEIGHT = (
    ("nights", "fairness_nights"),
    ("weekends", "fairness_weekends"),
    ("holidays", "fairness_holidays"),
)


@dataclass(frozen=True)
class ObjectiveParts:
    """The objective of one roster, by term (``total`` is what the engine reports)."""

    fairness: float
    preference: float
    changes: int
    total: float


@dataclass(frozen=True)
class Cohort:
    """Experts whose counts of one kind of shift are balanced (max - min is penalised)."""

    agency: str
    kind: str
    weight: int
    members: tuple[tuple[str, frozenset[str]], ...]  # (expert id, shifts of the kind they may work)


class ObjectiveTerms:
    """The terms of the objective for some components of a problem, computed once from the
    problem data; ``value`` evaluates a roster against them."""

    def __init__(self, problem: Problem, comps: Iterable[Component] | None = None, *, replan: bool = False) -> None:
        self.problem = problem
        self.replan = replan and problem.published is not None
        shifts = {s.id: s for s in problem.shifts}
        self._reqs: dict[tuple[str, str], list[Requirement]] = defaultdict(list)
        for r in problem.requirements:
            self._reqs[(r.shift_id, r.agency)].append(r)
        need = {k: sum(r.count for r in v) for k, v in self._reqs.items()}
        self._night = {s.id for s in problem.shifts if is_night_shift(s, problem.rules)}
        published: set[tuple[str, str]] = set()  # (shift, expert), as the model keys it
        pinned_until = problem.pinned_until if problem.published is not None else None
        by_expert: dict[str, list[Assignment]] = defaultdict(list)
        if problem.published is not None:
            published = {(a.shift_id, a.expert_id) for a in problem.published.assignments}
            for a in problem.published.assignments:
                by_expert[a.expert_id].append(a)
        self.cohorts: list[Cohort] = []
        self.may: dict[str, frozenset[str]] = {}  # expert -> shifts the model has a variable for
        self.penalty: dict[tuple[str, str], int] = {}  # (expert, shift) -> preference penalty
        self.fixed: set[tuple[str, str]] = set()  # (expert, shift) pinned to its published value
        self.published_keys: set[tuple[str, str]] = set()  # changeable published (expert, shift)
        self.change_const = 0  # published assignments that are no longer possible
        weights = problem.weights
        kinds = [
            (kind, int(getattr(weights, attr)), _kind_predicate(kind, self._night))
            for kind, attr in _KIND_WEIGHT
            if getattr(weights, attr) > 0
        ]
        for comp in components(problem) if comps is None else comps:
            by_group_agency: dict[tuple[str, str], list[Shift]] = defaultdict(list)
            for sid, agency in comp.cells:
                by_group_agency[(shifts[sid].group, agency)].append(shifts[sid])
            # Experts alike in everything eligibility reads but leave may work the same
            # shifts, less those their leave overlaps (``eligible`` checks leave apart).
            alike: dict[tuple[object, ...], list[Shift]] = {}
            mine: dict[str, list[Shift]] = {}
            for e in comp.experts:
                profile = (e.agency, e.groups, e.night_allowed, e.qualifications)
                if profile not in alike:
                    alike[profile] = self._eligible_shifts(replace(e, leave=()), by_group_agency)
                worked = alike[profile]
                if e.leave:
                    worked = [s for s in worked if not on_leave(e, s)]
                if pinned_until is not None:
                    worked = [s for s in worked if s.start >= pinned_until or (s.id, e.id) in published]
                    self.fixed.update((e.id, s.id) for s in worked if s.start < pinned_until)
                mine[e.id] = worked
                self.may[e.id] = frozenset(s.id for s in worked)
                if e.avoided_shift_codes or e.avoided_weekdays or e.wanted_shift_codes:
                    for s in worked:
                        penalty = (s.code in e.avoided_shift_codes) + (s.start.weekday() in e.avoided_weekdays)
                        penalty += bool(e.wanted_shift_codes) and s.code not in e.wanted_shift_codes
                        if penalty:
                            self.penalty[(e.id, s.id)] = penalty
            for agency in sorted({a for _s, a in comp.cells}):
                cells = [shifts[sid] for sid, a in comp.cells if a == agency]
                for kind, weight, pred in kinds:
                    total = sum(need[(s.id, agency)] for s in cells if pred(s))
                    members = []
                    for e in comp.experts:
                        if e.agency != agency:
                            continue
                        of_kind = frozenset(s.id for s in mine[e.id] if pred(s))
                        if of_kind:
                            members.append((e.id, of_kind))
                    if len(members) >= 2 and total != 0:
                        self.cohorts.append(Cohort(agency=agency, kind=kind, weight=weight, members=tuple(members)))
            if self.replan:
                self._changes(comp, shifts, published, by_expert, pinned_until)

    def _eligible_shifts(self, e: Expert, by_group_agency: dict[tuple[str, str], list[Shift]]) -> list[Shift]:
        """The component's shifts ``e`` may work (``eligibility.eligible``), before pins."""
        return [
            s
            for g in sorted(e.groups)
            for s in by_group_agency.get((g, e.agency), ())
            if eligible(self.problem, e, s, self._reqs[(s.id, e.agency)], night=s.id in self._night)
        ]

    def _changes(
        self,
        comp: Component,
        shifts: dict[str, Shift],
        published: set[tuple[str, str]],
        published_by_expert: dict[str, list[Assignment]],
        pinned_until: datetime | None,
    ) -> None:
        expert_ids = {e.id for e in comp.experts}
        cells = set(comp.cells)
        for a in (a for eid in expert_ids for a in published_by_expert.get(eid, ())):
            if (a.shift_id, a.agency) not in cells:
                continue
            s = shifts.get(a.shift_id)
            if s is None or (pinned_until is not None and s.start < pinned_until):
                continue
            if a.shift_id not in self.may.get(a.expert_id, ()):
                self.change_const += 1
        for eid in expert_ids:
            for shift_id in self.may.get(eid, ()):
                key = (eid, shift_id)
                if key not in self.fixed and (shift_id, eid) in published:
                    self.published_keys.add(key)

    def spreads(self, assignments: Iterable[Assignment]) -> list[tuple[Cohort, int]]:
        """Each cohort with the max - min of its members' counts in ``assignments``."""
        worked: dict[str, set[str]] = defaultdict(set)
        for a in assignments:
            worked[a.expert_id].add(a.shift_id)
        out = []
        for c in self.cohorts:
            counts = [len(sids & worked[eid]) if eid in worked else 0 for eid, sids in c.members]
            out.append((c, max(counts) - min(counts)))
        return out

    def value(self, assignments: Iterable[Assignment]) -> ObjectiveParts:
        assignments = list(assignments)
        w = self.problem.weights
        fairness = float(sum(c.weight * spread for c, spread in self.spreads(assignments)))
        chosen = {
            (a.expert_id, a.shift_id) for a in assignments if a.shift_id in self.may.get(a.expert_id, frozenset())
        }
        preference = float(w.preference * sum(self.penalty.get(k, 0) for k in chosen))
        changes = 0
        if self.replan:
            free = chosen - self.fixed
            changes = self.change_const + len(self.published_keys - free) + len(free - self.published_keys)
        return ObjectiveParts(
            fairness=fairness,
            preference=preference,
            changes=changes,
            total=fairness + preference + float(w.change * changes),
        )


def objective_parts(problem: Problem, roster: Roster, *, replan: bool = False) -> ObjectiveParts:
    """The objective of ``roster`` for ``problem`` by term, as ``solve`` (or, with
    ``replan=True``, ``replan``) minimises it; computed from the roster alone."""
    return ObjectiveTerms(problem, replan=replan).value(roster.assignments)


def objective(problem: Problem, roster: Roster, *, replan: bool = False) -> float:
    """The objective of ``roster`` for ``problem`` (see ``objective_parts``)."""
    return objective_parts(problem, roster, replan=replan).total
