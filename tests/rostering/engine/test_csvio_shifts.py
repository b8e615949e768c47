"""CSV round trip and shift generation."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from samverkan.rostering.engine.csvio import read_roster, write_roster
from samverkan.rostering.engine.model import Rules
from samverkan.rostering.engine.shifts import generate_shifts, is_night_shift, is_public_holiday
from samverkan.rostering.engine.validator import validate

from .helpers import expert, problem, roster, sid


def test_csv_round_trip_simple_format():
    r = roster((sid(0, 6), "e1"), (sid(0, 14), "e2"))
    text = write_roster(r)
    assert text.splitlines()[0] == "shift_id,expert_id,agency"
    assert read_roster(text).assignments == r.assignments


def test_csv_round_trip_rich_format_and_validation():
    p = problem(required=[sid(0, 6), sid(1, 6)], experts=[expert("e1"), expert("e2")])
    r = roster((sid(0, 6), "e1"), (sid(1, 6), "e1"))
    text = write_roster(r, p.shifts)
    assert text.splitlines()[0] == "group,start,end,expert_id,agency"
    assert "g,2027-02-01T06:00,2027-02-01T14:00,e1,A" in text
    back = read_roster(text, p.shifts)
    assert back.assignments == r.assignments
    assert validate(p, back) == []


def test_csv_from_another_system_is_validated():
    p = problem(required=[sid(0, 14), sid(1, 6)], experts=[expert("e1")])
    text = (
        "group,start,end,expert_id,agency\n"
        "g,2027-02-01 14:00,2027-02-01 22:00,e1,A\n"
        "g,2027-02-02 06:00,2027-02-02 14:00,e1,A\n"
        "g,2027-02-02 03:00,2027-02-02 05:00,e1,A\n"
    )
    v = validate(p, read_roster(text, p.shifts))
    assert {x.rule for x in v} == {"daily_rest", "unknown"}


@pytest.mark.parametrize(
    "text",
    [
        "foo,bar\n1,2\n",
        "shift_id,expert_id,agency\n,e1,A\n",
        "group,start,end,expert_id,agency\ng,x,y,e1,A\n",
    ],
)
def test_bad_csv_is_refused(text):
    with pytest.raises(ValueError):
        read_roster(text)


def test_three_by_eight_shifts():
    shifts = generate_shifts("husby", date(2026, 12, 21), 7)
    assert len(shifts) == 21
    assert shifts[0].id == "husby:20261221T0600"
    assert [s.code for s in shifts[:3]] == ["D", "E", "N"]
    night = shifts[2]
    assert night.start == datetime(2026, 12, 21, 22) and night.end == datetime(2026, 12, 22, 6)
    assert is_night_shift(night, Rules()) and not is_night_shift(shifts[0], Rules())
    assert sum(s.hours for s in shifts) == 168


def test_weekend_and_holiday_are_distinct():
    shifts = {s.start.date(): s for s in generate_shifts("g", date(2026, 12, 21), 14)}
    christmas = shifts[date(2026, 12, 25)]  # Friday
    assert christmas.is_holiday and not christmas.is_weekend
    boxing = shifts[date(2026, 12, 26)]  # Saturday and a holiday
    assert boxing.is_holiday and boxing.is_weekend
    sunday = shifts[date(2026, 12, 27)]  # a plain Sunday is not a holiday
    assert sunday.is_weekend and not sunday.is_holiday
    assert shifts[date(2027, 1, 1)].is_holiday
    assert not is_public_holiday(date(2027, 2, 7))  # Sunday


def test_two_by_twelve_and_custom_patterns():
    two = generate_shifts("g", date(2027, 2, 1), 1, "2x12")
    assert [(s.code, s.start.hour, s.hours) for s in two] == [("D", 7, 12), ("N", 19, 12)]
    custom = generate_shifts("g", date(2027, 2, 1), 1, [("X", time(9), 4.5)])
    assert custom[0].hours == 4.5 and custom[0].id == "g:20270201T0900"
    with pytest.raises(ValueError):
        generate_shifts("g", date(2027, 2, 1), 1, "4x6")
    with pytest.raises(ValueError):
        generate_shifts("g", date(2027, 2, 1), 1, [("X", time(9), 30.0)])
