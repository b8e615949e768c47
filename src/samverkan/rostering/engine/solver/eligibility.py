"""Who may work which shift at all (eligibility), which shifts one expert may not both work
(conflicts), and the shift kinds whose spread the objective balances.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..model import (
    Expert,
    Problem,
    Requirement,
    Shift,
)
from ..shifts import breaks_ok, is_night_shift
from ..validator import on_leave

KINDS = ("nights", "weekends", "holidays")


def _kind_predicate(kind: str, night: set[str]) -> Callable[[Shift], bool]:
    if kind == "nights":
        return lambda s: s.id in night
    if kind == "weekends":
        return lambda s: s.is_weekend
    return lambda s: s.is_holiday


def conflicts(a: Shift, b: Shift, rest_hours: float) -> bool:
    """True if one expert may not work both (overlap, or less than the daily rest between)."""
    if (b.start, b.end) < (a.start, a.end):
        a, b = b, a
    return (b.start - a.end).total_seconds() < rest_hours * 3600 - 1e-6


def shift_open(problem: Problem, shift: Shift, reqs: Sequence[Requirement], *, breaks: bool | None = None) -> bool:
    """May anyone be put on ``shift`` for ``reqs`` (the part of ``eligible`` that does not
    depend on the expert)? ``breaks``: whether it keeps the break rule, when known."""
    rules = problem.rules
    if not reqs or sum(r.count for r in reqs) <= 0:
        return False
    if shift.hours > rules.max_shift_hours + 1e-9:
        return False
    if shift.hours > 24 - rules.daily_rest_hours + 1e-9:
        return False
    return breaks_ok(shift, rules) if breaks is None else breaks  # ATL § 15


def expert_may(
    problem: Problem, expert: Expert, shift: Shift, reqs: Sequence[Requirement], *, night: bool | None = None
) -> bool:
    """The part of ``eligible`` that depends on the expert: the shift's group, leave, night
    work, and the qualification of a cell with a single requirement."""
    if shift.group not in expert.groups or on_leave(expert, shift):
        return False
    if not expert.night_allowed and (is_night_shift(shift, problem.rules) if night is None else night):
        return False
    return not (len(reqs) == 1 and not reqs[0].qualifications <= expert.qualifications)


def eligible(
    problem: Problem,
    expert: Expert,
    shift: Shift,
    reqs: Sequence[Requirement],
    *,
    night: bool | None = None,
    breaks: bool | None = None,
) -> bool:
    """May ``expert`` be put on ``shift`` at all (before any interaction with other shifts)?
    ``night`` / ``breaks``: whether it is a night shift / keeps the break rule, when known."""
    return shift_open(problem, shift, reqs, breaks=breaks) and expert_may(problem, expert, shift, reqs, night=night)
