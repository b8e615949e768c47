"""Calendar facts the domain relies on, computed in one place."""

from __future__ import annotations

from datetime import date


def age_on(birth: date, day: date) -> int:
    """Whole years completed on ``day`` by someone born on ``birth``.

    The age goes up on the birthday itself. Someone born on 29 February has their
    birthday on 1 March in a year without one (they are still the younger age on
    28 February), the same day ``consent.rules.eighteenth_birthday`` gives. Callers with
    a Person use ``Person.age_on``; this is for code that holds only a date (the identity
    number parser, the consent rules)."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
