"""Numbers from a query string (samverkan.lib.params): one rule for every list view."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from samverkan.lib.params import MAX_BIGINT, MAX_PAGE, clamped, page_number, whole_number


@pytest.mark.parametrize(
    ("value", "page"),
    [
        (None, 1), ("", 1), ("1", 1), ("7", 7), ("007", 7), ("0", 1), ("-3", 1), ("+3", 1),
        (" 3", 1), ("3 ", 1), ("3\n", 1), ("3.0", 1), ("1e3", 1), ("abc", 1), ("\x00", 1),
        ("²", 1), ("٣", 1), ("１", 1),  # only ASCII digits are a page number
        (str(MAX_PAGE), MAX_PAGE), (str(MAX_PAGE + 1), MAX_PAGE),
        ("99999999999999999999", MAX_PAGE), ("9" * 5000, MAX_PAGE), ("0" * 5000 + "2", 2),
    ],
)
def test_page_number(value, page):
    assert page_number(value) == page


@pytest.mark.parametrize(
    ("value", "number"),
    [
        ("42", 42), (str(MAX_BIGINT), MAX_BIGINT), (str(MAX_BIGINT + 1), None),
        ("99999999999999999999", None), ("9" * 5000, None), ("0", None), ("-1", None),
        ("²", None), ("", None), (None, None), ("4 2", None),
    ],
)
def test_whole_number(value, number):
    assert whole_number(value) == number


def test_whole_number_range():
    assert whole_number("2024", minimum=2000, maximum=2100) == 2024
    assert whole_number("1999", minimum=2000, maximum=2100) is None
    assert whole_number("0", minimum=0) == 0


def test_clamped():
    assert clamped("9", minimum=1, maximum=4, default=1) == 4
    assert clamped("0", minimum=1, maximum=4, default=1) == 1
    assert clamped("x", minimum=1, maximum=4, default=2) == 2
    assert clamped("9" * 100, minimum=1, maximum=4, default=1) == 4


@hsettings(max_examples=300, database=None, derandomize=True)
@given(st.one_of(st.text(), st.integers().map(str)))
def test_any_text_gives_a_page_in_range_or_an_id_in_range(value):
    assert 1 <= page_number(value) <= MAX_PAGE
    number = whole_number(value)
    assert number is None or 1 <= number <= MAX_BIGINT
