"""Capacity planner: how many experts N areas need, and what they cost.

The arithmetic (legal-facts.md): a position staffed around the clock is 24 x 7 = 168 hours
a week. With full time = the weekly average of the working-time rules (40 h), that is
168 / 40 = 4.2 full-time equivalents (FTE) per position before absence. Two positions per
agency are 8.4 FTE; with an absence rate a (leave, sickness, training) an agency needs
ceil(8.4 / (1 - a)) experts per area (a = 15 % gives 10). Eleven agencies x two positions
= 22 positions = 3,696 hours a week = 92.4 FTE per area before absence.

``prove_minimum`` checks the arithmetic against the working-time rules with the solver: on
a 4-week instance of one group and one agency it searches the smallest number of experts
for which a roster exists (no absence). "proven" means N has a roster and N - 1 has none
(shown by counting hours or by the solver); otherwise the bounds found are reported.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from .model import Expert, Problem, Rules
from .shifts import (
    DEFAULT_AGENCIES,
    ShiftTemplate,
    generate_shifts,
    hours_per_day,
    requirements_for,
)

EPS = 1e-9


def _ceil(x: float) -> int:
    """Ceiling that ignores floating-point dust (4.2 * 5 = 21.000000000000004 -> 21)."""
    return math.ceil(x - 1e-9)


@dataclass(frozen=True)
class AgencyLine:
    agency: str
    experts_per_area: int
    experts_total: int
    cost_per_expert: float | None  # yearly cost of one expert (input); None = not given
    yearly_cost: float | None


@dataclass(frozen=True)
class CapacityPlan:
    areas: int
    agencies: tuple[str, ...]
    positions_per_agency: int
    pattern: str
    absence_rate: float
    full_time_hours: float  # hours a week of one full-time expert (the weekly average rule)
    hours_per_week_per_position: float  # 168 for 24/7
    fte_per_position: float  # 4.2 for 24/7 at 40 h
    fte_per_agency_per_area: float  # before absence
    experts_per_agency_per_area: int  # after absence, rounded up
    positions_per_area: int
    hours_per_week_per_area: float  # 3,696 for 22 positions 24/7
    fte_per_area: float  # before absence (92.4)
    experts_per_area: int
    experts_total: int
    fte_total: float  # before absence
    lines: tuple[AgencyLine, ...]
    yearly_cost_total: float | None  # None when a cost is missing for some agency


def plan(
    *,
    areas: int,
    agencies: Sequence[str] | None = None,
    positions_per_agency: int = 2,
    pattern: str | Sequence[ShiftTemplate] = "3x8",
    rules: Rules | None = None,
    absence_rate: float = 0.15,
    cost_per_expert: dict[str, float] | None = None,
    open_days_per_week: float = 7.0,
) -> CapacityPlan:
    """The staffing and cost for ``areas`` areas; see the module docstring for the rules
    of the arithmetic. ``cost_per_expert``: yearly cost of one expert per agency."""
    if areas < 0 or positions_per_agency < 0:
        raise ValueError("areas and positions must not be negative")
    if not 0 <= absence_rate < 1:
        raise ValueError("absence_rate must be in [0, 1)")
    rules = rules or Rules()
    agency_list = tuple(agencies) if agencies is not None else DEFAULT_AGENCIES
    full_time = rules.max_week_average_hours
    per_position = hours_per_day(pattern) * open_days_per_week
    fte_position = per_position / full_time
    fte_agency = positions_per_agency * fte_position
    experts_agency = _ceil(fte_agency / (1 - absence_rate))
    costs = cost_per_expert or {}
    lines = []
    total_cost: float | None = 0.0
    for agency in agency_list:
        cost = costs.get(agency)
        total = experts_agency * areas
        yearly = None if cost is None else cost * total
        if yearly is None:
            total_cost = None
        elif total_cost is not None:
            total_cost += yearly
        lines.append(AgencyLine(agency, experts_agency, total, cost, yearly))
    positions_area = positions_per_agency * len(agency_list)
    return CapacityPlan(
        areas=areas,
        agencies=agency_list,
        positions_per_agency=positions_per_agency,
        pattern=pattern if isinstance(pattern, str) else "custom",
        absence_rate=absence_rate,
        full_time_hours=full_time,
        hours_per_week_per_position=per_position,
        fte_per_position=fte_position,
        fte_per_agency_per_area=fte_agency,
        experts_per_agency_per_area=experts_agency,
        positions_per_area=positions_area,
        hours_per_week_per_area=positions_area * per_position,
        fte_per_area=positions_area * fte_position,
        experts_per_area=experts_agency * len(agency_list),
        experts_total=experts_agency * len(agency_list) * areas,
        fte_total=positions_area * fte_position * areas,
        lines=tuple(lines),
        yearly_cost_total=total_cost if lines else 0.0,
    )


# --------------------------------------------------------------------------- proof


@dataclass
class MinimumProof:
    status: str  # proven | bound
    minimum: int | None  # the proven minimum (status proven)
    lower_bound: int  # no roster with fewer experts (proven)
    best_found: int | None  # fewest experts with a roster found
    with_absence: int | None  # best_found rounded up for the absence rate
    tries: list[tuple[int, str]] = field(default_factory=list)  # (experts, result)
    method: str = ""  # how the lower bound was shown: "hours" or "solver"
    seconds: float = 0.0


def instance(
    experts: int,
    *,
    positions: int = 2,
    pattern: str | Sequence[ShiftTemplate] = "3x8",
    rules: Rules | None = None,
    weeks: int = 4,
    period_start: date = date(2027, 2, 1),
) -> Problem:
    """One group, one agency, ``positions`` around the clock, ``experts`` full-time experts
    without leave — the instance ``prove_minimum`` solves."""
    rules = rules or Rules()
    shifts = generate_shifts("g", period_start, 7 * weeks, pattern)
    return Problem(
        period_start=period_start,
        days=7 * weeks,
        shifts=shifts,
        requirements=requirements_for(shifts, ["A"], positions),
        experts=[
            Expert(
                id=f"x{i:03d}",
                agency="A",
                groups=frozenset({"g"}),
                contract_hours_per_week=rules.max_week_average_hours,
            )
            for i in range(experts)
        ],
        rules=rules,
    )


def prove_minimum(
    *,
    positions: int = 2,
    pattern: str | Sequence[ShiftTemplate] = "3x8",
    rules: Rules | None = None,
    weeks: int = 4,
    absence_rate: float = 0.15,
    time_limit_s: float = 60.0,
) -> MinimumProof:
    """Smallest number of experts for which a roster of one group and one agency exists.

    Starts at the hours bound ceil(needed hours / (weeks x weekly average)) - fewer experts
    cannot give the hours, which is a proof - and tries upwards with the solver; a
    "no roster" answer from the solver is also a proof."""
    from .solver.feasibility import feasible  # deferred: OR-Tools (~0.7 s to import), only for a proof

    started = time.monotonic()
    rules = rules or Rules()
    needed = positions * hours_per_day(pattern) * 7 * weeks
    per_expert = rules.max_week_average_hours * weeks
    lower = max(1, _ceil(needed / per_expert)) if needed > 0 else 0
    method = "hours"
    tries: list[tuple[int, str]] = []
    best: int | None = None
    n = lower
    while n <= max(lower * 3, lower + 10):
        left = time_limit_s - (time.monotonic() - started)
        if left <= 0:
            break
        result = feasible(
            instance(n, positions=positions, pattern=pattern, rules=rules, weeks=weeks),
            time_limit_s=left,
        )
        label = {True: "roster", False: "no roster", None: "undecided"}[result]
        tries.append((n, label))
        if result is True:
            best = n
            break
        if result is False:
            lower = n + 1
            method = "solver"
        n += 1
    proven = best is not None and best == lower
    return MinimumProof(
        status="proven" if proven else "bound",
        minimum=best if proven else None,
        lower_bound=lower,
        best_found=best,
        with_absence=None if best is None else _ceil(best / (1 - absence_rate)),
        tries=tries,
        method=method,
        seconds=round(time.monotonic() - started, 3),
    )
