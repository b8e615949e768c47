"""Swedish working days: weekends, public holidays and the de facto holidays (Midsummer
Eve, Christmas Eve, New Year's Eve) are not working days."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from samverkan.lib import workdays


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 12, 24),  # Christmas Eve (de facto)
        date(2026, 12, 25),  # Christmas Day
        date(2026, 12, 26),  # Second Day of Christmas (a Saturday too)
        date(2026, 12, 27),  # a Sunday in the Christmas break
        date(2026, 12, 31),  # New Year's Eve (de facto)
        date(2027, 1, 1),  # New Year's Day
        date(2027, 1, 6),  # Epiphany
        date(2026, 6, 19),  # Midsummer Eve (de facto)
        date(2026, 4, 3),  # Good Friday
        date(2026, 5, 14),  # Ascension Day
    ],
)
def test_days_off(day):
    assert not workdays.is_working_day(day)


def test_working_days_and_the_next_one():
    assert workdays.is_working_day(date(2026, 12, 23))  # a Wednesday before Christmas
    assert workdays.next_working_day(date(2026, 12, 24)) == date(2026, 12, 28)
    assert workdays.next_working_day(date(2026, 12, 31)) == date(2027, 1, 4)  # 1 Jan, then the weekend
    assert workdays.next_working_day(date(2026, 12, 28)) == date(2026, 12, 28)
    assert workdays.holiday_name(date(2026, 12, 24)) == "Christmas Eve"
    assert workdays.holiday_name(date(2026, 12, 23)) is None


def test_next_working_slot_keeps_office_hours():
    tz = ZoneInfo("Europe/Stockholm")
    assert workdays.next_working_slot(datetime(2026, 12, 23, 17, 30, tzinfo=tz)) == datetime(
        2026, 12, 28, 9, 0, tzinfo=tz
    )
    assert workdays.next_working_slot(datetime(2026, 12, 21, 7, 0, tzinfo=tz)).time() == time(9, 0)
    assert workdays.office_time(time(13, 15)) == time(13, 15)
    assert workdays.office_time(time(19, 0)) == workdays.OFFICE_CLOSES
