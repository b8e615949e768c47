"""Small hand-made problems for the engine tests."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from samverkan.rostering.engine.model import (
    Assignment,
    Expert,
    Problem,
    Requirement,
    Roster,
    Rules,
    Shift,
)
from samverkan.rostering.engine.shifts import generate_shifts, shift_id

MONDAY = date(2027, 2, 1)  # no public holidays in the next two weeks


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(MONDAY + timedelta(days=day), time(hour, minute))


def sid(day: int, hour: int, group: str = "g") -> str:
    return shift_id(group, at(day, hour))


def expert(eid: str, agency: str = "A", groups: tuple[str, ...] = ("g",), **kw: object) -> Expert:
    return Expert(id=eid, agency=agency, groups=frozenset(groups), **kw)


def problem(
    *,
    required: list[str],
    experts: list[Expert],
    days: int = 14,
    rules: Rules | None = None,
    extra_shifts: list[Shift] | None = None,
    agency: str = "A",
    count: int = 1,
    qualifications: frozenset[str] = frozenset(),
) -> Problem:
    """3x8 shifts of group "g" for ``days`` days; ``count`` experts of ``agency`` required on
    the shifts whose ids are in ``required`` only."""
    shifts = generate_shifts("g", MONDAY, days) + list(extra_shifts or [])
    return Problem(
        period_start=MONDAY,
        days=days,
        shifts=shifts,
        requirements=[
            Requirement(shift_id=s, agency=agency, count=count, qualifications=qualifications) for s in required
        ],
        experts=experts,
        rules=rules or Rules(),
    )


def roster(*pairs: tuple[str, str], agency: str = "A") -> Roster:
    return Roster([Assignment(shift_id=s, expert_id=e, agency=agency) for s, e in pairs])


def rules_of(violations: list) -> set[str]:
    return {v.rule for v in violations}
