"""Independent roster validator: checks a roster against every hard rule.

It never uses the solver, so it can judge the solver's output and rosters from other
systems (see csvio.py). Each finding is a Violation naming the rule, the expert and the
shift. Rule definitions (all values from ``problem.rules``):

coverage
    For every (shift, agency) with requirements, the number of assignments equals the sum
    of the required counts; fewer is under-coverage, more is over-coverage (also flagged,
    as is any assignment to a (shift, agency) with no requirement).
agency
    An assignment's agency must be the expert's own agency.
group
    The shift's group must be one of the expert's groups.
qualification
    With one requirement for a (shift, agency), every assigned expert holds its
    qualifications. With several, for each requirement R the number of assigned experts
    holding R's qualifications is at least the summed count of the requirements whose
    qualifications include R's.
overlap
    No expert works two shifts that overlap in time (nor the same shift twice).
daily_rest (ATL § 13)
    (a) For two consecutive shifts of an expert, end of the first to start of the next is at
    least ``daily_rest_hours``; and (b) in every 24-hour window starting at one of the
    expert's shift starts, the longest stretch free of work is at least
    ``daily_rest_hours``. Given (a), (b) adds exactly: no shift longer than
    24 - daily_rest_hours.
weekly_rest (ATL § 14)
    Fixed weeks (the default): in every 7-day block of the period (block k = [start + 7k
    days, start + 7(k+1) days), midnight to midnight; the last block may reach past the
    period's end), the longest stretch free of work within the block — counting the time
    from the block's start to the first shift and from the last shift to the block's end —
    is at least ``weekly_rest_hours``. With ``rules.weekly_rest_rolling``: in every 7-day
    window [t, t + 7 days) with t from the start of what is known (the period's start, or,
    when the previous period's work is given, see *history*, every window that ends inside
    the period) to the period's end less 7 days, the longest free stretch is at least ``weekly_rest_hours``
    (windows reaching past the period's end are the next period's to check; windows start
    on whole minutes, as shift times do).
history (the period boundary)
    ``problem.history`` holds the expert's work before the period (the end of the previous
    published roster). It is fixed and is never reported itself, but daily rest (the gap
    from the last earlier shift to the first shift of the period, and the 24-hour windows),
    weekly rest (a night shift reaching into the first week; the rolling windows that
    start before the period) and total_hours count it.
weekly_hours / contract_hours (ATL § 5)
    An expert's hours over the period are at most the cap C = R x days / 7, where R is
    ``max_week_average_hours`` (resp. the contract's hours per week). With
    ``rules.leave_reduces_hours``, leave is absence with pay and counts as worked time at the
    daily average R / 7 per leave day (as Swedish practice credits it), but only up to the
    hours still open once the pinned shifts are counted: credit = min(leave days x R / 7,
    max(0, C - pinned hours)), and the expert's own hours are at most C - credit =
    max(R x (days - leave days) / 7, min(C, pinned hours)). Pinned hours are the expert's
    published assignments on shifts starting before ``problem.pinned_until`` or the end of
    the notice period (re-planning). So leave lowers the cap pro rata, yet a late sick leave never makes hours already
    worked or announced illegal: the expert simply gets no further hours. Without
    ``leave_reduces_hours`` the cap is C.
night_not_allowed
    No night shift (≥ ``night_worker_min_night_hours`` within night_start-night_end) for an
    expert whose ``night_allowed`` is False.
night_average (ATL § 13 a)
    An expert who works any night shift in the period works at most
    ``night_average_hours_per_24h`` x days hours over the period.
leave
    No assigned shift overlaps one of the expert's leave intervals.
shift_length
    No assigned shift is longer than ``max_shift_hours``.
breaks (ATL § 15)
    No assigned shift has a stretch longer than ``break_after_hours`` without a break
    (its ``breaks``; a shift whose breaks are not described cannot be checked). Reported
    once per shift.
total_hours (ATL § 10 b)
    Total time is at most ``total_week_average_hours`` per 7 days on average over the
    calculation period of ``total_reference_weeks`` weeks ending at the period's end (and,
    when the period is longer, each earlier such span back to the period's start), counted
    from ``problem.history_from`` at the earliest: hours worked in the window, the previous
    periods' (history) and this roster's, clipped to it, are at most the average x window
    days / 7. Leave is not credited.
pinned
    When ``problem.published`` and ``problem.pinned_until`` are set, the assignments of
    shifts starting before ``pinned_until`` equal the published ones.
notice (ATL § 12)
    When ``problem.published`` and ``problem.replanned_at`` are set and
    ``problem.notice_override`` is empty, the assignments of shifts starting before
    ``replanned_at`` + ``schedule_notice_days`` equal the published ones (shifts already
    reported as *pinned* are not reported again). A sickness repair names its reason in
    ``notice_override`` and may change them.
unknown
    Every assignment names a known shift and a known expert.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from .model import Expert, PriorWork, Problem, Requirement, Roster, Rules, Shift, Violation
from .shifts import is_night_shift, longest_stretch

EPS = 1e-6
AddFn = Callable[..., None]


def _fmt(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%d %H:%M")


def _h(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def period_bounds(problem: Problem) -> tuple[datetime, datetime]:
    start = datetime.combine(problem.period_start, datetime.min.time())
    return start, start + timedelta(days=problem.days)


def merged(intervals: Iterable[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    out: list[tuple[datetime, datetime]] = []
    for s, e in sorted(intervals):
        if out and s <= out[-1][1]:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def leave_days(expert: Expert, problem: Problem) -> float:
    """Days of the period covered by the expert's leave (overlaps merged)."""
    p0, p1 = period_bounds(problem)
    total = 0.0
    for s, e in merged((lv.start, lv.end) for lv in expert.leave):
        lo, hi = max(s, p0), min(e, p1)
        if hi > lo:
            total += (hi - lo).total_seconds() / 86400
    return total


def available_days(expert: Expert, problem: Problem) -> float:
    if not problem.rules.leave_reduces_hours:
        return float(problem.days)
    return max(0.0, problem.days - leave_days(expert, problem))


def pinned_hours(problem: Problem) -> dict[str, float]:
    """Hours per expert of the published assignments on shifts starting before
    ``problem.pinned_until`` or the end of the notice period, whichever is later (empty
    without re-planning)."""
    if problem.published is None:
        return {}
    # The notice period (ATL § 12) is kept like the pinned shifts (``solver.run.replan``).
    kept = [t for t in (problem.pinned_until, notice_until(problem)) if t is not None]
    if not kept:
        return {}
    until = max(kept)
    shifts = {s.id: s for s in problem.shifts}
    out: dict[str, float] = defaultdict(float)
    seen: set[tuple[str, str]] = set()
    for a in problem.published.assignments:
        s = shifts.get(a.shift_id)
        if s is None or s.start >= until or (a.shift_id, a.expert_id) in seen:
            continue
        seen.add((a.shift_id, a.expert_id))
        out[a.expert_id] += s.hours
    return dict(out)


def hours_caps(expert: Expert, problem: Problem, pinned: float | None = None) -> tuple[float, float]:
    """(cap by the weekly average, cap by the contract) for the period, in hours (rule in
    the module docstring). ``pinned``: the expert's pinned hours, when already known."""
    full_weeks = problem.days / 7
    rates = (problem.rules.max_week_average_hours, expert.contract_hours_per_week)
    if not problem.rules.leave_reduces_hours:
        return rates[0] * full_weeks, rates[1] * full_weeks
    if pinned is None:
        pinned = pinned_hours(problem).get(expert.id, 0.0) if problem.published is not None else 0.0
    weeks = available_days(expert, problem) / 7
    avg_cap, contract_cap = (max(r * weeks, min(r * full_weeks, pinned)) for r in rates)
    return avg_cap, contract_cap


def night_cap(problem: Problem) -> float:
    return problem.rules.night_average_hours_per_24h * problem.days


def longest_free(busy: Iterable[tuple[datetime, datetime]], lo: datetime, hi: datetime) -> float:
    """Longest stretch in [lo, hi) not covered by ``busy`` intervals, in hours."""
    cursor = lo
    best = 0.0
    for s, e in merged((max(s, lo), min(e, hi)) for s, e in busy if e > lo and s < hi):
        best = max(best, (s - cursor).total_seconds() / 3600)
        cursor = max(cursor, e)
    return max(best, (hi - cursor).total_seconds() / 3600)


def history_by_expert(problem: Problem) -> dict[str, list[PriorWork]]:
    """The work before the period per expert, in start order (only what ends after
    ``history_from``, when set)."""
    out: dict[str, list[PriorWork]] = defaultdict(list)
    for w in problem.history:
        if problem.history_from is not None and w.end <= problem.history_from:
            continue
        out[w.expert_id].append(w)
    for items in out.values():
        items.sort(key=lambda w: (w.start, w.end))
    return dict(out)


def known_from(problem: Problem) -> datetime:
    """Where the record of work starts: the period's start, or ``history_from`` before it."""
    p0, _p1 = period_bounds(problem)
    if problem.history_from is None:
        return p0
    return min(p0, problem.history_from)


def total_windows(problem: Problem) -> list[tuple[datetime, datetime]]:
    """The calculation periods of ATL § 10 b checked for this period (rule in the module
    docstring): ``total_reference_weeks`` long, the last ending at the period's end, each
    starting no earlier than ``known_from``."""
    p0, p1 = period_bounds(problem)
    span = timedelta(weeks=max(1, problem.rules.total_reference_weeks))
    start = known_from(problem)
    out = []
    end = p1
    while end > p0:
        out.append((max(start, end - span), end))
        end -= span
    return out


def rolling_week_starts(problem: Problem) -> tuple[datetime, datetime]:
    """First and last start of the rolling 7-day windows checked for weekly rest."""
    p0, p1 = period_bounds(problem)
    # Windows that end by the period's start were the previous period's to check.
    first = max(known_from(problem), p0 - timedelta(days=7) + timedelta(minutes=1))
    last = max(first, p1 - timedelta(days=7))
    return first, last


def clipped_hours(start: datetime, end: datetime, lo: datetime, hi: datetime) -> float:
    a, b = max(start, lo), min(end, hi)
    return max(0.0, (b - a).total_seconds() / 3600)


def on_leave(expert: Expert, shift: Shift) -> bool:
    return any(lv.start < shift.end and shift.start < lv.end for lv in expert.leave)


def validate(problem: Problem, roster: Roster) -> list[Violation]:
    """Every hard-rule violation of ``roster`` for ``problem`` (empty list = valid)."""
    rules: Rules = problem.rules
    shifts = {s.id: s for s in problem.shifts}
    experts = {e.id: e for e in problem.experts}
    out: list[Violation] = []

    def add(rule: str, message: str, expert_id: str = "", shift_id: str = "") -> None:
        out.append(Violation(rule=rule, message=message, expert_id=expert_id, shift_id=shift_id))

    per_expert: dict[str, list[Shift]] = defaultdict(list)
    per_cell: dict[tuple[str, str], list[str]] = defaultdict(list)
    seen: Counter[tuple[str, str]] = Counter()
    break_flagged: set[str] = set()
    for a in roster.assignments:
        shift = shifts.get(a.shift_id)
        expert = experts.get(a.expert_id)
        if shift is None:
            add("unknown", f"Assignment to unknown shift {a.shift_id}.", a.expert_id, a.shift_id)
            continue
        per_cell[(a.shift_id, a.agency)].append(a.expert_id)
        if expert is None:
            add("unknown", f"Assignment of unknown expert {a.expert_id}.", a.expert_id, a.shift_id)
            continue
        seen[(a.shift_id, a.expert_id)] += 1
        if seen[(a.shift_id, a.expert_id)] > 1:
            add(
                "overlap",
                f"Expert {expert.id} is assigned to shift {shift.id} more than once.",
                expert.id,
                shift.id,
            )
            continue
        per_expert[expert.id].append(shift)
        if a.agency != expert.agency:
            add(
                "agency",
                f"Expert {expert.id} of {expert.agency} fills a {a.agency} position on shift {shift.id}.",
                expert.id,
                shift.id,
            )
        if shift.group not in expert.groups:
            add(
                "group",
                f"Expert {expert.id} may not serve group {shift.group} (shift {shift.id}).",
                expert.id,
                shift.id,
            )
        if on_leave(expert, shift):
            add(
                "leave",
                f"Expert {expert.id} is on leave during shift {shift.id} ({_fmt(shift.start)}-{_fmt(shift.end)}).",
                expert.id,
                shift.id,
            )
        if shift.hours > rules.max_shift_hours + EPS:
            add(
                "shift_length",
                f"Shift {shift.id} lasts {_h(shift.hours)} h; at most {_h(rules.max_shift_hours)} h is allowed.",
                expert.id,
                shift.id,
            )
        stretch = longest_stretch(shift)
        if stretch is not None and stretch > rules.break_after_hours + EPS and shift.id not in break_flagged:
            break_flagged.add(shift.id)
            add(
                "breaks",
                f"Shift {shift.id} has {_h(stretch)} h of work without a break; at most "
                f"{_h(rules.break_after_hours)} h is allowed.",
                "",
                shift.id,
            )
        if not expert.night_allowed and is_night_shift(shift, rules):
            add(
                "night_not_allowed",
                f"Expert {expert.id} may not work nights but has night shift {shift.id}.",
                expert.id,
                shift.id,
            )

    _check_coverage(problem, shifts, experts, per_cell, add)
    fixed = pinned_hours(problem)
    history = history_by_expert(problem)
    for expert_id, worked in per_expert.items():
        _check_expert(
            problem,
            experts[expert_id],
            sorted(worked, key=lambda s: (s.start, s.end)),
            add,
            fixed.get(expert_id, 0.0),
            history.get(expert_id, []),
        )
    _check_pinned(problem, shifts, roster, add)
    _check_notice(problem, shifts, roster, add)
    return out


def _check_coverage(
    problem: Problem,
    shifts: dict[str, Shift],
    experts: dict[str, Expert],
    per_cell: dict[tuple[str, str], list[str]],
    add: AddFn,
) -> None:
    reqs: dict[tuple[str, str], list[Requirement]] = defaultdict(list)
    for r in problem.requirements:
        reqs[(r.shift_id, r.agency)].append(r)
    for key in set(reqs) | set(per_cell):
        shift_id, agency = key
        assigned = per_cell.get(key, [])
        needed = sum(r.count for r in reqs.get(key, []))
        if len(assigned) < needed:
            add(
                "coverage",
                f"Shift {shift_id}: {len(assigned)} of {needed} {agency} positions filled (under-coverage).",
                "",
                shift_id,
            )
        elif len(assigned) > needed:
            add(
                "coverage",
                f"Shift {shift_id}: {len(assigned)} {agency} experts assigned but {needed} required (over-coverage).",
                "",
                shift_id,
            )
        group = reqs.get(key, [])
        if not group or not any(r.qualifications for r in group):
            continue
        known = [experts[e] for e in assigned if e in experts]
        if len(group) == 1:
            need_q = group[0].qualifications
            for e in known:
                if not need_q <= e.qualifications:
                    missing = ", ".join(sorted(need_q - e.qualifications))
                    add(
                        "qualification",
                        f"Expert {e.id} lacks the qualification(s) {missing} required on shift {shift_id}.",
                        e.id,
                        shift_id,
                    )
            continue
        for r in group:
            if not r.qualifications:
                continue
            demand = sum(o.count for o in group if r.qualifications <= o.qualifications)
            holding = sum(1 for e in known if r.qualifications <= e.qualifications)
            if holding < demand:
                add(
                    "qualification",
                    f"Shift {shift_id}: {holding} assigned {agency} experts hold "
                    f"{', '.join(sorted(r.qualifications))}; {demand} are required.",
                    "",
                    shift_id,
                )


def _check_expert(
    problem: Problem,
    expert: Expert,
    worked: list[Shift],
    add: AddFn,
    pinned: float = 0.0,
    before: list[PriorWork] | None = None,
) -> None:
    rules = problem.rules
    rest = rules.daily_rest_hours
    pair_flagged: set[str] = set()
    before = before or []
    # Across the period boundary: the last earlier work to the period's first shift.
    if before and worked:
        last = max(before, key=lambda w: w.end)
        first = worked[0]
        gap = (first.start - last.end).total_seconds() / 3600
        if gap < 0:
            add(
                "overlap",
                f"Expert {expert.id}'s shift {first.id} overlaps work of the previous period "
                f"({_fmt(last.start)}-{_fmt(last.end)}).",
                expert.id,
                first.id,
            )
            pair_flagged.add(first.id)
        elif gap < rest - EPS:
            add(
                "daily_rest",
                f"Expert {expert.id} rests only {_h(gap)} h between the previous period's "
                f"work ending {_fmt(last.end)} and shift {first.id}; at least {_h(rest)} h is required.",
                expert.id,
                first.id,
            )
            pair_flagged.add(first.id)
    # Overlaps and consecutive-shift rest.
    for i in range(1, len(worked)):
        prev, nxt = worked[i - 1], worked[i]
        # Overlap against any earlier shift that is still running.
        for j in range(i - 1, -1, -1):
            if worked[j].end > nxt.start:
                add(
                    "overlap",
                    f"Expert {expert.id} has overlapping shifts {worked[j].id} and {nxt.id}.",
                    expert.id,
                    nxt.id,
                )
                pair_flagged.add(nxt.id)
                break
        gap = (nxt.start - prev.end).total_seconds() / 3600
        if 0 <= gap < rest - EPS:
            add(
                "daily_rest",
                f"Expert {expert.id} rests only {_h(gap)} h between shifts {prev.id} and "
                f"{nxt.id}; at least {_h(rest)} h is required.",
                expert.id,
                nxt.id,
            )
            pair_flagged.update((prev.id, nxt.id))
    busy = [(w.start, w.end) for w in before] + [(s.start, s.end) for s in worked]
    for s in worked:
        if s.id in pair_flagged:
            continue
        free = longest_free(busy, s.start, s.start + timedelta(hours=24))
        if free < rest - EPS:
            add(
                "daily_rest",
                f"Expert {expert.id}: in the 24 hours from {_fmt(s.start)} (shift {s.id}) the "
                f"longest rest is {_h(free)} h; at least {_h(rest)} h is required.",
                expert.id,
                s.id,
            )
    if rules.weekly_rest_rolling:
        _check_rolling_week(problem, expert, busy, add)
    else:
        # Weekly rest per 7-day block.
        p0, _p1 = period_bounds(problem)
        for k in range(math.ceil(problem.days / 7)):
            lo = p0 + timedelta(days=7 * k)
            hi = lo + timedelta(days=7)
            free = longest_free(busy, lo, hi)
            if free < rules.weekly_rest_hours - EPS:
                add(
                    "weekly_rest",
                    f"Expert {expert.id}: the longest rest in week {k + 1} ({lo:%Y-%m-%d} to "
                    f"{hi - timedelta(days=1):%Y-%m-%d}) is {_h(free)} h; at least "
                    f"{_h(rules.weekly_rest_hours)} consecutive hours are required.",
                    expert.id,
                )
    # Total time over the calculation period (ATL § 10 b), with the previous periods' work.
    for lo, hi in total_windows(problem):
        hours = sum(clipped_hours(w.start, w.end, lo, hi) for w in before) + sum(
            clipped_hours(s.start, s.end, lo, hi) for s in worked
        )
        cap = rules.total_week_average_hours * (hi - lo).total_seconds() / (7 * 86400)
        if hours > cap + EPS:
            add(
                "total_hours",
                f"Expert {expert.id} works {_h(hours)} h in total from {lo:%Y-%m-%d} to "
                f"{hi - timedelta(seconds=1):%Y-%m-%d}; an average of "
                f"{_h(rules.total_week_average_hours)} h per 7 days allows {_h(cap)} h.",
                expert.id,
            )
    # Hours.
    total = sum(s.hours for s in worked)
    avg_cap, contract_cap = hours_caps(expert, problem, pinned)
    if total > avg_cap + EPS:
        add(
            "weekly_hours",
            f"Expert {expert.id} works {_h(total)} h in the period; the average of "
            f"{_h(rules.max_week_average_hours)} h/week allows {_h(avg_cap)} h.",
            expert.id,
        )
    if total > contract_cap + EPS:
        add(
            "contract_hours",
            f"Expert {expert.id} works {_h(total)} h in the period; the contract of "
            f"{_h(expert.contract_hours_per_week)} h/week allows {_h(contract_cap)} h.",
            expert.id,
        )
    # The hours first: night_hours is the costly part of this check.
    if total > night_cap(problem) + EPS and any(is_night_shift(s, rules) for s in worked):
        add(
            "night_average",
            f"Expert {expert.id} works nights and {_h(total)} h over {problem.days} days; "
            f"night workers may average at most {_h(rules.night_average_hours_per_24h)} h per "
            f"24 h ({_h(night_cap(problem))} h).",
            expert.id,
        )


def _check_rolling_week(problem: Problem, expert: Expert, busy: list[tuple[datetime, datetime]], add: AddFn) -> None:
    """Weekly rest over every rolling 7-day window (rule in the module docstring): a free
    stretch [a, b) of at least R serves the windows starting in [a + R - 7 days, b - R];
    the first start (on a whole minute) not served by any stretch is reported."""
    rules = problem.rules
    need = timedelta(hours=rules.weekly_rest_hours)
    week = timedelta(days=7)
    first, last = rolling_week_starts(problem)
    lo, hi = first, last + week
    served: list[tuple[datetime, datetime]] = []
    cursor = lo
    for s, e in [*merged((max(s, lo), min(e, hi)) for s, e in busy if e > lo and s < hi), (hi, hi)]:
        if s - cursor >= need - timedelta(seconds=1):
            served.append((cursor + need - week, s - need))
        cursor = max(cursor, e)
    # Windows start on whole minutes (shift times are whole minutes).
    minute = timedelta(minutes=1)
    t, covered = first, False
    for a, b in sorted(served):
        if b < t:
            continue
        if a > (t + minute if covered else t):
            break
        t, covered = b, True
    if covered and t >= last:
        return
    # The first window start served by no free stretch.
    start = min(t + minute if covered else t, last)
    free = longest_free(busy, start, start + week)
    add(
        "weekly_rest",
        f"Expert {expert.id}: in the 7 days from {_fmt(start)} the longest rest is {_h(free)} h; "
        f"at least {_h(rules.weekly_rest_hours)} consecutive hours are required in every 7 days.",
        expert.id,
    )


def notice_until(problem: Problem) -> datetime | None:
    """Before this moment a re-plan keeps the published people (ATL § 12), or None when no
    notice applies (no re-planning moment, or an override with its reason)."""
    if problem.published is None or problem.replanned_at is None or problem.notice_override.strip():
        return None
    return problem.replanned_at + timedelta(days=problem.rules.schedule_notice_days)


def _check_notice(problem: Problem, shifts: dict[str, Shift], roster: Roster, add: AddFn) -> None:
    until = notice_until(problem)
    if until is None or problem.published is None:
        return
    already = problem.pinned_until if problem.pinned_until is not None else datetime.min

    def inside(r: Roster) -> set[tuple[str, str]]:
        return {
            (a.shift_id, a.expert_id)
            for a in r.assignments
            if a.shift_id in shifts and already <= shifts[a.shift_id].start < until
        }

    before, now = inside(problem.published), inside(roster)
    for shift_id, expert_id in sorted(before ^ now):
        add(
            "notice",
            f"Shift {shift_id} starts before {_fmt(until)}, inside the "
            f"{problem.rules.schedule_notice_days}-day notice period, but expert {expert_id} was "
            f"{'removed' if (shift_id, expert_id) in before else 'added'}; only a repair that "
            "names its reason (e.g. sickness) may change it.",
            expert_id,
            shift_id,
        )


def _check_pinned(problem: Problem, shifts: dict[str, Shift], roster: Roster, add: AddFn) -> None:
    if problem.published is None or problem.pinned_until is None:
        return
    until = problem.pinned_until

    def pinned_set(r: Roster) -> set[tuple[str, str, str]]:
        return {
            (a.shift_id, a.expert_id, a.agency)
            for a in r.assignments
            if a.shift_id in shifts and shifts[a.shift_id].start < until
        }

    before = pinned_set(problem.published)
    now = pinned_set(roster)
    for shift_id, expert_id, agency in sorted(before - now):
        add(
            "pinned",
            f"Shift {shift_id} starts before {_fmt(until)} and is pinned, but published "
            f"expert {expert_id} ({agency}) was removed.",
            expert_id,
            shift_id,
        )
    for shift_id, expert_id, agency in sorted(now - before):
        add(
            "pinned",
            f"Shift {shift_id} starts before {_fmt(until)} and is pinned, but expert {expert_id} ({agency}) was added.",
            expert_id,
            shift_id,
        )
