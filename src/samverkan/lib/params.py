"""Numbers read from a query string, the one way every list view reads them.

Anyone can type a query string, so no value of a parameter may cause a server error:
not a number too large for the database (``?page=99999999999999999999``), a negative
one, digits of another script (``int()`` takes "٣" but not "²", which ``isdigit()``
accepts), text, NUL bytes or a megabyte of digits. The rule, the same for every list:

* A **page** that is not a whole number (missing, empty, zero, negative, text) is the
  first page; a larger one than MAX_PAGE counts as MAX_PAGE. A list shows its last page
  for a page past its end (Django's ``Paginator.get_page``); the case list, which counts
  no rows, its first.
* Any other **number** (an id, a year, a keyset cursor) outside its range, or not a
  whole number, is no filter at all: the list shows what it shows without it.

Only ASCII digits count: a number is what a link or a form of ours would send.
"""

from __future__ import annotations

import re

# Far beyond any real list (25–50 rows a page), small enough for every database's OFFSET.
MAX_PAGE = 10_000
# The largest value of a 64-bit signed integer column (ids, sequence numbers).
MAX_BIGINT = 2**63 - 1

_DIGITS = re.compile(r"[0-9]+")
# More digits than this is always beyond MAX_BIGINT: decided without converting them.
_MAX_DIGITS = len(str(MAX_BIGINT))


def whole_number(value: str | None, *, minimum: int = 1, maximum: int = MAX_BIGINT) -> int | None:
    """``value`` as an int if it is written in ASCII digits and lies in
    [minimum, maximum]; otherwise None."""
    number = _ascii_int(value)
    if number is None or not minimum <= number <= maximum:
        return None
    return number


def clamped(value: str | None, *, minimum: int, maximum: int, default: int) -> int:
    """``value`` as an int brought into [minimum, maximum] if it is written in ASCII
    digits (a too-large one is ``maximum``); ``default`` if it is not a number."""
    if value is not None and _DIGITS.fullmatch(value) and len(value.lstrip("0")) > _MAX_DIGITS:
        return maximum
    number = _ascii_int(value)
    if number is None:
        return default
    return max(minimum, min(maximum, number))


def page_number(value: str | None) -> int:
    """The page a ``?page=`` value asks for: 1 to MAX_PAGE (see the module docstring)."""
    return clamped(value, minimum=1, maximum=MAX_PAGE, default=1)


def _ascii_int(value: str | None) -> int | None:
    if not value or not _DIGITS.fullmatch(value):
        return None
    digits = value.lstrip("0") or "0"
    if len(digits) > _MAX_DIGITS:
        return None
    return int(digits)
