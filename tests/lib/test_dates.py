"""The one age rule (lib.dates.age_on, Person.age_on): the birthday itself counts, and a
29 February birthday falls on 1 March in other years."""

from __future__ import annotations

from datetime import date

import pytest

from samverkan.lib.dates import age_on
from samverkan.people.models import Person


@pytest.mark.parametrize(
    ("birth", "day", "age"),
    [
        (date(2008, 6, 15), date(2026, 6, 14), 17),  # the day before the 18th birthday
        (date(2008, 6, 15), date(2026, 6, 15), 18),  # the birthday itself
        (date(2008, 6, 15), date(2026, 6, 16), 18),  # the day after
        (date(2008, 6, 15), date(2008, 6, 15), 0),  # the day of birth
        (date(2008, 12, 31), date(2026, 1, 1), 17),  # year boundary
        (date(2008, 12, 31), date(2026, 12, 31), 18),
        # 29 February: in a year without it, still the younger age on 28 February …
        (date(2008, 2, 29), date(2026, 2, 28), 17),
        # … and the older one from 1 March,
        (date(2008, 2, 29), date(2026, 3, 1), 18),
        # while in a leap year the birthday is 29 February itself.
        (date(2008, 2, 29), date(2028, 2, 28), 19),
        (date(2008, 2, 29), date(2028, 2, 29), 20),
        (date(2008, 2, 29), date(2028, 3, 1), 20),
        # Born 28 February or 1 March: unaffected by leap years.
        (date(2008, 2, 28), date(2026, 2, 28), 18),
        (date(2008, 3, 1), date(2028, 2, 29), 19),
        (date(2008, 3, 1), date(2028, 3, 1), 20),
    ],
)
def test_age_on(birth: date, day: date, age: int) -> None:
    assert age_on(birth, day) == age
    # Person.age_on is the same rule (no database needed: an unsaved row).
    assert Person(birth_date=birth).age_on(day) == age
