"""The independent validator: a hand-made violating roster for each rule; each test checks
that the rule is reported and no unrelated rule is."""

from __future__ import annotations

from datetime import timedelta

from samverkan.rostering.engine.model import Assignment, Leave, Requirement, Roster, Rules, Shift
from samverkan.rostering.engine.validator import validate

from .helpers import MONDAY, at, expert, problem, roster, rules_of, sid

D0, E0, N0, D1 = sid(0, 6), sid(0, 14), sid(0, 22), sid(1, 6)


def test_valid_roster_has_no_violations():
    p = problem(required=[D0, D1], experts=[expert("e1"), expert("e2")])
    assert validate(p, roster((D0, "e1"), (D1, "e2"))) == []


def test_under_coverage():
    p = problem(required=[D0, D1], experts=[expert("e1")])
    v = validate(p, roster((D0, "e1")))
    assert rules_of(v) == {"coverage"}
    assert v[0].shift_id == D1 and "under-coverage" in v[0].message


def test_over_coverage_is_flagged():
    p = problem(required=[D0], experts=[expert("e1"), expert("e2")])
    v = validate(p, roster((D0, "e1"), (D0, "e2")))
    assert rules_of(v) == {"coverage"}
    assert "over-coverage" in v[0].message


def test_assignment_without_requirement_is_over_coverage():
    p = problem(required=[D0], experts=[expert("e1"), expert("e2")])
    v = validate(p, roster((D0, "e1"), (D1, "e2")))
    assert rules_of(v) == {"coverage"} and v[0].shift_id == D1


def test_only_the_agencys_experts_fill_its_positions():
    p = problem(required=[D0], experts=[expert("b1", agency="B")])
    v = validate(p, roster((D0, "b1"), agency="A"))
    assert rules_of(v) == {"agency"}
    assert v[0].expert_id == "b1" and v[0].shift_id == D0


def test_expert_must_be_allowed_in_the_group():
    p = problem(required=[D0], experts=[expert("e1", groups=("h",))])
    v = validate(p, roster((D0, "e1")))
    assert rules_of(v) == {"group"}


def test_overlapping_shifts():
    other = Shift(id="h:x", group="h", start=at(0, 10), end=at(0, 18), code="X")
    p = problem(required=[D0], experts=[expert("e1", groups=("g", "h"))], extra_shifts=[other])
    p.requirements.append(Requirement(shift_id="h:x", agency="A", count=1))
    v = validate(p, roster((D0, "e1"), ("h:x", "e1")))
    assert rules_of(v) == {"overlap"}
    assert v[0].expert_id == "e1"


def test_same_shift_twice_is_an_overlap():
    p = problem(
        required=[D0],
        experts=[expert("e1")],
    )
    p.requirements[0] = Requirement(shift_id=D0, agency="A", count=2)
    v = validate(p, roster((D0, "e1"), (D0, "e1")))
    assert "overlap" in rules_of(v)


def test_daily_rest_between_consecutive_shifts():
    p = problem(required=[E0, D1], experts=[expert("e1")])
    v = validate(p, roster((E0, "e1"), (D1, "e1")))  # 22:00 -> 06:00 is 8 h
    assert rules_of(v) == {"daily_rest"}
    assert "8 h" in v[0].message and v[0].shift_id == D1


def test_daily_rest_in_every_24_hours():
    # A 14-hour shift leaves 10 h free in the 24 h from its start (rule b).
    long = Shift(id="g:long", group="g", start=at(2, 6), end=at(2, 20), code="L")
    p = problem(
        required=["g:long"],
        experts=[expert("e1")],
        extra_shifts=[long],
        rules=Rules(max_shift_hours=16),
    )
    v = validate(p, roster(("g:long", "e1")))
    assert rules_of(v) == {"daily_rest"}
    assert "24 hours" in v[0].message


def test_weekly_rest():
    days = [sid(d, 6) for d in range(7)]  # D every day of week 1: longest rest 16 h
    p = problem(required=days, experts=[expert("e1")])
    v = validate(p, roster(*[(s, "e1") for s in days]))
    assert rules_of(v) == {"weekly_rest"}
    assert "week 1" in v[0].message


def test_weekly_rest_counts_the_block_boundaries():
    # D on days 1-6: 30 h free before (from Monday 00:00), 10 h after -> violation;
    # D on days 0-4 and E on day 6: 48 h free -> fine.
    bad = [sid(d, 6) for d in range(1, 7)]
    p = problem(required=bad, experts=[expert("e1")])
    assert rules_of(validate(p, roster(*[(s, "e1") for s in bad]))) == {"weekly_rest"}
    good = [sid(d, 6) for d in range(5)] + [sid(6, 14)]
    p = problem(required=good, experts=[expert("e1")])
    assert validate(p, roster(*[(s, "e1") for s in good])) == []


def _twelve_shifts() -> list[str]:
    week = [0, 1, 2, 3, 4]
    return [sid(d, 6) for d in week] + [sid(6, 14)] + [sid(d + 7, 14) for d in week] + [sid(13, 14)]


def test_weekly_hours_average():
    shifts = _twelve_shifts()  # 96 h in 14 days; the average allows 80 h
    p = problem(required=shifts, experts=[expert("e1", contract_hours_per_week=50)])
    v = validate(p, roster(*[(s, "e1") for s in shifts]))
    assert rules_of(v) == {"weekly_hours"}
    assert "96 h" in v[0].message and "80 h" in v[0].message


def test_contract_hours():
    shifts = [sid(d, 6) for d in range(5)] + [sid(8, 6)]  # 48 h; 20 h/week allows 40 h
    p = problem(required=shifts, experts=[expert("e1", contract_hours_per_week=20)])
    v = validate(p, roster(*[(s, "e1") for s in shifts]))
    assert rules_of(v) == {"contract_hours"}


def test_leave_lowers_the_hours_cap_pro_rata():
    shifts = [sid(d, 6) for d in range(5)] + [sid(7 + d, 6) for d in range(5)]  # 80 h
    sick = (Leave(at(13, 0), at(14, 0), "sick"),)  # one day off -> cap 80 * 13/14
    p = problem(required=shifts, experts=[expert("e1", leave=sick, contract_hours_per_week=50)])
    assert rules_of(validate(p, roster(*[(s, "e1") for s in shifts]))) == {"weekly_hours"}
    p.rules = Rules(leave_reduces_hours=False)
    assert validate(p, roster(*[(s, "e1") for s in shifts])) == []


def test_leave_never_makes_pinned_hours_illegal():
    shifts = [sid(d, 6) for d in range(5)] + [sid(7 + d, 6) for d in range(5)]  # 80 h
    sick = (Leave(at(13, 0), at(14, 0), "sick"),)  # cap 80 * 13/14 = 74.3 h pro rata
    p = problem(required=shifts, experts=[expert("e1", leave=sick, contract_hours_per_week=50)])
    worked = roster(*[(s, "e1") for s in shifts])
    p.published = worked
    # Only 64 h pinned (days 0-9): the other 16 h are still the planner's choice and the
    # pro-rata cap holds.
    p.pinned_until = at(10, 0)
    v = validate(p, worked)
    assert rules_of(v) == {"weekly_hours"} and "74.3 h" in v[0].message
    # All 80 h pinned before the sick day: the leave credit shrinks to what is left, so
    # the hours already worked stay legal (but not one hour more).
    p.pinned_until = at(13, 0)
    assert validate(p, worked) == []
    extra = roster(*[(s, "e1") for s in shifts], (sid(12, 14), "e1"))
    p.requirements = [*p.requirements, Requirement(shift_id=sid(12, 14), agency="A", count=1)]
    p.pinned_until = at(12, 14)
    assert "weekly_hours" in rules_of(validate(p, extra))


def test_night_not_allowed():
    p = problem(required=[N0], experts=[expert("e1", night_allowed=False)])
    v = validate(p, roster((N0, "e1")))
    assert rules_of(v) == {"night_not_allowed"}


def test_night_worker_average():
    nights = [sid(d, 22) for d in range(4)]  # 32 h of work over 14 days
    p = problem(required=nights, experts=[expert("e1")], rules=Rules(night_average_hours_per_24h=2))
    v = validate(p, roster(*[(s, "e1") for s in nights]))
    assert rules_of(v) == {"night_average"}
    # The same hours on day shifts: not a night worker, no violation.
    days = [sid(d, 6) for d in range(4)]
    p = problem(required=days, experts=[expert("e1")], rules=Rules(night_average_hours_per_24h=2))
    assert validate(p, roster(*[(s, "e1") for s in days])) == []


def test_leave_respected():
    leave = (Leave(at(0, 0), at(1, 0), "vacation"),)
    p = problem(required=[D0], experts=[expert("e1", leave=leave)])
    v = validate(p, roster((D0, "e1")))
    assert rules_of(v) == {"leave"}


def test_required_qualification_single_requirement():
    p = problem(
        required=[D0],
        experts=[expert("e1"), expert("e2", qualifications=frozenset({"arabic"}))],
        qualifications=frozenset({"arabic"}),
    )
    v = validate(p, roster((D0, "e1")))
    assert rules_of(v) == {"qualification"} and v[0].expert_id == "e1"
    assert validate(p, roster((D0, "e2"))) == []


def test_required_qualification_counted_with_several_requirements():
    p = problem(
        required=[D0],
        experts=[expert("e1"), expert("e2"), expert("e3", qualifications=frozenset({"arabic"}))],
    )
    p.requirements.append(Requirement(shift_id=D0, agency="A", count=1, qualifications=frozenset({"arabic"})))
    v = validate(p, roster((D0, "e1"), (D0, "e2")))
    assert rules_of(v) == {"qualification"}
    assert validate(p, roster((D0, "e1"), (D0, "e3"))) == []


def test_shift_length():
    long = Shift(id="g:13h", group="g", start=at(3, 6), end=at(3, 19), code="L")
    p = problem(required=["g:13h"], experts=[expert("e1")], extra_shifts=[long])
    v = validate(p, roster(("g:13h", "e1")))
    assert rules_of(v) == {"shift_length"}


def test_pinned_shifts_must_equal_the_published_ones():
    p = problem(required=[D0, D1], experts=[expert("e1"), expert("e2")])
    p.published = roster((D0, "e1"), (D1, "e1"))
    p.pinned_until = at(1, 0)
    v = validate(p, roster((D0, "e2"), (D1, "e2")))  # D1 is after the pin: free to change
    assert rules_of(v) == {"pinned"}
    assert {x.expert_id for x in v} == {"e1", "e2"}
    assert all(x.shift_id == D0 for x in v)


def test_unknown_ids():
    p = problem(required=[D0], experts=[expert("e1")])
    v = validate(p, Roster([Assignment("g:nope", "e1", "A"), Assignment(D0, "ghost", "A")]))
    assert rules_of(v) == {"unknown"}
    assert len(v) == 2


def test_period_boundary_shift_counts_in_the_last_block():
    last_night = sid(13, 22)  # ends on day 14 06:00, outside the period
    p = problem(required=[last_night], experts=[expert("e1")])
    assert validate(p, roster((last_night, "e1"))) == []
    assert p.period_start == MONDAY and timedelta(days=p.days) == timedelta(days=14)
