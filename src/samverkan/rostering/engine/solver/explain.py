"""Why no roster exists, in words — never a bare "infeasible".

Reasoning, from the simplest to the deepest:

1. Shifts nobody may work (longer than the rules allow) and pinned assignments that have
   become impossible (re-planning).
2. Per (agency, group): no experts at all; single shifts with fewer eligible experts than
   required (leave, qualifications, night work), reported with the reasons.
3. Capacity per (agency, group) for the period and for each 7-day block: the position-hours
   needed against the most the experts can give under the rules — hours cap (contract,
   weekly average, leave pro rata), daily rest, weekly rest and leave. Each expert's most
   per block is computed exactly for the rest rules (weighted interval scheduling on
   shifts extended by the daily rest, for every possible weekly-rest window), so a
   shortfall is a proof. The number of extra full-time experts is the shortfall divided by
   what one more full-time expert without leave could give, rounded up.
4. Otherwise, the solver is asked which rule family, when dropped, makes a roster
   possible (the binding rule).

Messages are English templates (``TEMPLATES``, module level so the Django layer can
translate them) filled with Swedish agency and group names as given; ``explain`` returns
structured ``Explanation(code, params, text)``, ``explain_infeasible`` the texts.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta

from ..model import Expert, Explanation, Problem, Requirement, Shift
from ..shifts import breaks_ok, is_night_shift, longest_stretch
from ..validator import hours_caps, on_leave, period_bounds
from .decompose import components, sub_problem
from .eligibility import eligible
from .feasibility import feasible

TEMPLATES: dict[str, str] = {
    "shift_too_long": (
        "Shift {shift} lasts {hours} h; no one may work it (at most {max_hours} h per shift, "
        "and at most {window_hours} h so that {rest_hours} h of rest fit in 24 h)."
    ),
    "shift_without_break": (
        "Shift {shift} has {hours} h of work without a break; no one may work it (at most "
        "{max_hours} h in a row, ATL 15 §); add breaks to the shift pattern."
    ),
    "pinned_conflict": (
        "Shift {shift} starts before {until} and is pinned to expert {expert}, who can no "
        "longer work it ({reason}); unpin it or change the published roster first."
    ),
    "no_experts": (
        "{agency}, {group}: no expert may serve here, but {positions} position-hours are required in the period."
    ),
    "shift_shortage": (
        "{agency}, {group}: shift {shift} ({start}) needs {needed} experts but only "
        "{available} of {experts} can take it ({on_leave} on leave, {unqualified} without "
        "the required qualifications, {no_nights} not working nights)."
    ),
    "more_shift_shortages": ("{agency}, {group}: {count} more shifts have too few eligible experts."),
    "period_capacity": (
        "{agency}, {group}: {experts} experts can cover at most {percent} % of the "
        "{needed} position-hours in the period ({weeks} weeks); at least {more} more "
        "full-time experts are needed."
    ),
    "period_capacity_one": (
        "{agency}, {group}: {experts} experts can cover at most {percent} % of the "
        "{needed} position-hours in the period ({weeks} weeks); at least one more "
        "full-time expert is needed."
    ),
    "week_capacity": (
        "{agency}, {group}: {experts} experts can cover at most {percent} % of the "
        "{needed} position-hours in week {week}; at least {more} more full-time experts "
        "are needed."
    ),
    "week_capacity_one": (
        "{agency}, {group}: {experts} experts can cover at most {percent} % of the "
        "{needed} position-hours in week {week}; at least one more full-time expert is "
        "needed."
    ),
    "leave": (
        "{agency}, {group}: {on_leave} of {experts} experts have leave in the period ({days} expert-days in all)."
    ),
    "rule_binding": (
        "{agency}, {group}: the hours suffice on paper, but no roster meets every rule at "
        "once; dropping the {rule} rule would make one possible, so it is the binding rule."
    ),
    "rules_combined": (
        "{agency}, {group}: the hours suffice on paper, but the working-time rules together "
        "leave no possible roster; more experts or fewer positions are needed."
    ),
    "unexplained": (
        "{agency}, {group}: no roster was found and no simple reason was identified; "
        "allow more solving time or add experts."
    ),
}

RULE_NAMES: dict[str, str] = {
    "daily_rest": "daily rest",
    "weekly_rest": "weekly rest",
    "hours": "weekly and total hours",
    "night_average": "night work average",
}

MAX_SHIFT_REPORTS = 3


def _make(code: str, **params: object) -> Explanation:
    return Explanation(code=code, params=params, text=TEMPLATES[code].format(**params))


def _n(x: float) -> str:
    """Hours as a readable number: 336, 1,344, 37.5."""
    if abs(x - round(x)) < 1e-6:
        return f"{round(x):,}"
    return f"{x:,.1f}"


def _fmt(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%d %H:%M")


# --------------------------------------------------------------------------- capacity


def _best_hours(
    shifts: list[Shift], rest_h: float, week_rest_h: float, lo: datetime | None, hi: datetime | None
) -> float:
    """Most hours one expert can work from ``shifts`` with the daily rest between shifts
    and, when a block [lo, hi) is given, a free window of ``week_rest_h`` inside it."""
    rest = timedelta(hours=rest_h)
    if lo is None or hi is None:
        return _interval_schedule(shifts, rest)
    week_rest = timedelta(hours=week_rest_h)
    starts = {lo} | {s.end for s in shifts if lo < s.end < hi}
    best = 0.0
    for t in sorted(starts):
        if t + week_rest > hi:
            continue
        allowed = [s for s in shifts if not (s.start < t + week_rest and s.end > t)]
        best = max(best, _interval_schedule(allowed, rest))
    return best


def _interval_schedule(shifts: Iterable[Shift], rest: timedelta) -> float:
    """Weighted interval scheduling on [start, end + rest): exact for the daily-rest rule."""
    items = sorted(shifts, key=lambda s: s.end)
    ends = [s.end + rest for s in items]
    best = [0.0] * (len(items) + 1)
    for i, s in enumerate(items):
        # last item whose extended end <= s.start
        lo_i, hi_i = 0, i
        while lo_i < hi_i:
            mid = (lo_i + hi_i) // 2
            if ends[mid] <= s.start:
                lo_i = mid + 1
            else:
                hi_i = mid
        best[i + 1] = max(best[i], best[lo_i] + s.hours)
    return best[-1]


class _Cell:
    """One agency in one group (or several linked groups) with its shifts, needs, experts."""

    def __init__(
        self,
        problem: Problem,
        agency: str,
        groups: Iterable[str],
        shifts: list[Shift],
        need: dict[str, int],
        reqs: dict[str, list[Requirement]],
    ) -> None:
        self.problem = problem
        self.agency = agency
        self.groups = frozenset(groups)
        self.group = " + ".join(sorted(self.groups))
        self.shifts = sorted(shifts, key=lambda s: (s.start, s.end))
        self.need = need
        self.reqs = reqs
        self.experts = [e for e in problem.experts if e.agency == agency and e.groups & self.groups]

    def eligible_shifts(self, e: Expert) -> list[Shift]:
        return [s for s in self.shifts if eligible(self.problem, e, s, self.reqs[s.id])]

    def needed_hours(self, lo: datetime | None = None, hi: datetime | None = None) -> float:
        return sum(self.need[s.id] * s.hours for s in self.shifts if lo is None or hi is None or (lo <= s.start < hi))


def _capacity_reasons(cell: _Cell) -> list[Explanation]:
    p = cell.problem
    rules = p.rules
    out: list[Explanation] = []
    p0, _p1 = period_bounds(p)
    blocks = [(p0 + timedelta(days=7 * k), p0 + timedelta(days=7 * (k + 1))) for k in range(math.ceil(p.days / 7))]
    fresh = Expert(
        id="__fresh__",
        agency=cell.agency,
        groups=cell.groups,
        contract_hours_per_week=rules.max_week_average_hours,
        qualifications=frozenset().union(*(r.qualifications for rs in cell.reqs.values() for r in rs)),
    )
    per_expert: list[tuple[float, list[float]]] = []
    for e in [*cell.experts, fresh]:
        mine = cell.eligible_shifts(e)
        cap = min(hours_caps(e, p))
        weeks = [
            min(
                cap,
                _best_hours(
                    [s for s in mine if lo <= s.start < hi],
                    rules.daily_rest_hours,
                    rules.weekly_rest_hours,
                    lo,
                    hi,
                ),
            )
            for lo, hi in blocks
        ]
        per_expert.append((min(cap, sum(weeks)), weeks))
    fresh_period, fresh_weeks = per_expert.pop()
    n = len(cell.experts)
    needed = cell.needed_hours()
    capacity = sum(c for c, _w in per_expert)
    period_more = 0
    if capacity + 1e-6 < needed:
        more = math.ceil((needed - capacity) / fresh_period) if fresh_period > 0 else 0
        period_more = more
        out.append(
            _make(
                "period_capacity_one" if more == 1 else "period_capacity",
                agency=cell.agency,
                group=cell.group,
                experts=n,
                percent=math.floor(100 * capacity / needed),
                needed=_n(needed),
                weeks=_n(p.days / 7),
                more=more,
            )
        )
    for k, (lo, hi) in enumerate(blocks):
        need_k = cell.needed_hours(lo, hi)
        cap_k = sum(w[k] for _c, w in per_expert)
        if need_k > 0 and cap_k + 1e-6 < need_k:
            per_fresh = fresh_weeks[k]
            more = math.ceil((need_k - cap_k) / per_fresh) if per_fresh > 0 else 0
            if period_more and more <= period_more:
                continue  # the period's shortfall already says as much
            out.append(
                _make(
                    "week_capacity_one" if more == 1 else "week_capacity",
                    agency=cell.agency,
                    group=cell.group,
                    experts=n,
                    percent=math.floor(100 * cap_k / need_k),
                    needed=_n(need_k),
                    week=k + 1,
                    more=more,
                )
            )
    return out


def _shift_shortages(cell: _Cell) -> list[Explanation]:
    p = cell.problem
    short: list[Explanation] = []
    for s in cell.shifts:
        need = cell.need[s.id]
        if need <= 0:
            continue
        ok = [e for e in cell.experts if eligible(p, e, s, cell.reqs[s.id])]
        if len(ok) >= need:
            continue
        quals = frozenset().union(*(r.qualifications for r in cell.reqs[s.id]))
        short.append(
            _make(
                "shift_shortage",
                agency=cell.agency,
                group=cell.group,
                shift=s.id,
                start=_fmt(s.start),
                needed=need,
                available=len(ok),
                experts=len(cell.experts),
                on_leave=sum(1 for e in cell.experts if on_leave(e, s)),
                unqualified=sum(1 for e in cell.experts if not quals <= e.qualifications),
                no_nights=sum(1 for e in cell.experts if not e.night_allowed and is_night_shift(s, p.rules)),
            )
        )
    if len(short) > MAX_SHIFT_REPORTS:
        rest = len(short) - MAX_SHIFT_REPORTS
        short = short[:MAX_SHIFT_REPORTS]
        short.append(_make("more_shift_shortages", agency=cell.agency, group=cell.group, count=rest))
    return short


def _leave_note(cell: _Cell) -> Explanation | None:
    p = cell.problem
    p0, p1 = period_bounds(p)
    days = 0.0
    people = 0
    for e in cell.experts:
        d = 0.0
        for lv in e.leave:
            lo, hi = max(lv.start, p0), min(lv.end, p1)
            if hi > lo:
                d += (hi - lo).total_seconds() / 86400
        if d > 0:
            people += 1
            days += d
    if not people:
        return None
    return _make(
        "leave",
        agency=cell.agency,
        group=cell.group,
        on_leave=people,
        experts=len(cell.experts),
        days=_n(days),
    )


# --------------------------------------------------------------------------- entry points


def explain(problem: Problem, *, deep: bool = True, time_limit_s: float = 10.0) -> list[Explanation]:
    """Reasons why ``problem`` has no roster, most specific first. ``deep`` lets the solver
    test which rule family is binding when no capacity reason is found."""
    rules = problem.rules
    out: list[Explanation] = []
    shifts = {s.id: s for s in problem.shifts}
    reqs: dict[tuple[str, str], list[Requirement]] = defaultdict(list)
    for r in problem.requirements:
        if r.shift_id in shifts:
            reqs[(r.shift_id, r.agency)].append(r)

    window = 24 - rules.daily_rest_hours
    for s in problem.shifts:
        if not any(k[0] == s.id and sum(r.count for r in v) > 0 for k, v in reqs.items()):
            continue
        if s.hours > rules.max_shift_hours + 1e-9 or s.hours > window + 1e-9:
            out.append(
                _make(
                    "shift_too_long",
                    shift=s.id,
                    hours=_n(s.hours),
                    max_hours=_n(rules.max_shift_hours),
                    window_hours=_n(window),
                    rest_hours=_n(rules.daily_rest_hours),
                )
            )
        elif not breaks_ok(s, rules):
            out.append(
                _make(
                    "shift_without_break",
                    shift=s.id,
                    hours=_n(longest_stretch(s) or s.hours),
                    max_hours=_n(rules.break_after_hours),
                )
            )

    if problem.published is not None and problem.pinned_until is not None:
        experts = {e.id: e for e in problem.experts}
        for a in problem.published.assignments:
            ps = shifts.get(a.shift_id)
            if ps is None or ps.start >= problem.pinned_until:
                continue
            s = ps
            e = experts.get(a.expert_id)
            if e is None:
                reason = "no longer listed"
            elif on_leave(e, s):
                reason = "on leave"
            elif not eligible(problem, e, s, reqs.get((s.id, a.agency), [])):
                reason = "no longer eligible"
            else:
                continue
            out.append(
                _make(
                    "pinned_conflict",
                    shift=s.id,
                    until=_fmt(problem.pinned_until),
                    expert=a.expert_id,
                    reason=reason,
                )
            )

    by_cell: dict[tuple[str, str], list[Shift]] = defaultdict(list)
    for (sid, agency), rs in reqs.items():
        if sum(r.count for r in rs) > 0:
            by_cell[(agency, shifts[sid].group)].append(shifts[sid])
    cells: list[_Cell] = []
    for (agency, group), cell_shifts in sorted(by_cell.items()):
        need = {s.id: sum(r.count for r in reqs[(s.id, agency)]) for s in cell_shifts}
        cell_reqs = {s.id: reqs[(s.id, agency)] for s in cell_shifts}
        cells.append(_Cell(problem, agency, [group], cell_shifts, need, cell_reqs))

    for cell in cells:
        if not cell.experts:
            out.append(
                _make(
                    "no_experts",
                    agency=cell.agency,
                    group=cell.group,
                    positions=_n(cell.needed_hours()),
                )
            )
            continue
        found = _shift_shortages(cell) + _capacity_reasons(cell)
        if found:
            out.extend(found)
            note = _leave_note(cell)
            if note is not None:
                out.append(note)

    if not out:
        out.extend(_union_capacity(problem, cells))
    if not out and deep:
        out.extend(_binding_rules(problem, cells, time_limit_s))
    return out


def _union_capacity(problem: Problem, cells: list[_Cell]) -> list[Explanation]:
    """Capacity of groups linked by experts who serve several of them, taken together."""
    out: list[Explanation] = []
    by_key = {(c.agency, next(iter(c.groups))): c for c in cells}
    shift_group = {s.id: s.group for s in problem.shifts}
    for comp in components(problem):
        for agency in sorted({a for _s, a in comp.cells}):
            groups = sorted({shift_group[sid] for sid, a in comp.cells if a == agency})
            if len(groups) < 2:
                continue
            parts = [by_key[(agency, g)] for g in groups if (agency, g) in by_key]
            union = _Cell(
                problem,
                agency,
                groups,
                [s for c in parts for s in c.shifts],
                {k: v for c in parts for k, v in c.need.items()},
                {k: v for c in parts for k, v in c.reqs.items()},
            )
            out.extend(_capacity_reasons(union))
    return out


def _binding_rules(problem: Problem, cells: list[_Cell], time_limit_s: float) -> list[Explanation]:
    out: list[Explanation] = []
    comps = components(problem)
    budget = time_limit_s / max(1, len(comps))
    for comp in comps:
        sub = sub_problem(problem, comp)
        if feasible(sub, time_limit_s=budget / 6) is True:
            continue
        agency = ", ".join(sorted({a for _s, a in comp.cells}))
        shift_groups = {s.id: s.group for s in sub.shifts}
        group = " + ".join(sorted({shift_groups[sid] for sid, _a in comp.cells}))
        binding = None
        for rule in ("weekly_rest", "daily_rest", "hours", "night_average"):
            if feasible(sub, relax=frozenset({rule}), time_limit_s=budget / 6) is True:
                binding = rule
                break
        if binding is not None:
            out.append(_make("rule_binding", agency=agency, group=group, rule=RULE_NAMES[binding]))
            continue
        everything = frozenset(RULE_NAMES)
        if feasible(sub, relax=everything, time_limit_s=budget / 6) is True:
            out.append(_make("rules_combined", agency=agency, group=group))
        else:
            out.append(_make("unexplained", agency=agency, group=group))
    if not out:
        out.append(_make("unexplained", agency="-", group="-"))
    return out


def explain_infeasible(problem: Problem) -> list[str]:
    """The reasons of ``explain(problem)`` as sentences."""
    return [e.text for e in explain(problem)]
