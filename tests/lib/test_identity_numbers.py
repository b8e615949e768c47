"""Every rule and error for identity numbers in shared/docs/legal-facts.md.

Personnummer: YYMMDD, separator, 3-digit birth number, Luhn check digit; stored with 12
digits; '+' from the year the person turns 100; odd second-to-last digit = male.
Samordningsnummer: the same with day + 60.
"""

from __future__ import annotations

from datetime import date

import pytest

from samverkan.lib.identity_numbers import (
    MESSAGES,
    ErrorCode,
    IdentityNumberError,
    Kind,
    luhn_check_digit,
    make_fictitious,
    parse,
)

TODAY = date(2026, 6, 15)
EXAMPLE = "640823-3234"  # legal-facts.md: check digit 4


def code_of(text: str, today: date = TODAY) -> ErrorCode:
    with pytest.raises(IdentityNumberError) as info:
        parse(text, today=today)
    return info.value.code


def number(birth: date, serial: int = 123, *, coordination: bool = False) -> str:
    """12 digits with a correct check digit."""
    return make_fictitious(birth, serial, coordination=coordination)


def ten(twelve: str, separator: str = "-") -> str:
    return f"{twelve[2:8]}{separator}{twelve[8:]}"


# --- the check digit --------------------------------------------------------------


def test_luhn_of_the_documented_example():
    assert luhn_check_digit("640823323") == 4
    assert parse(EXAMPLE, today=TODAY).digits == "196408233234"


@pytest.mark.parametrize("nine,check", [("811218987", 6), ("000000000", 0), ("999999999", 9), ("121212121", 2)])
def test_luhn_known_values(nine, check):
    assert luhn_check_digit(nine) == check


def test_every_single_digit_change_is_refused():
    digits = "6408233234"
    for position in range(10):
        for replacement in "0123456789":
            if replacement == digits[position]:
                continue
            changed = digits[:position] + replacement + digits[position + 1:]
            text = f"{changed[:6]}-{changed[6:]}"
            with pytest.raises(IdentityNumberError) as info:
                parse(text, today=TODAY)
            # A change in the date part may first make the date impossible; a
            # possible date must then fail on the check digit.
            assert info.value.code in {ErrorCode.CHECKSUM, ErrorCode.MONTH, ErrorCode.DAY, ErrorCode.FUTURE}, text
            if position >= 6:
                assert info.value.code is ErrorCode.CHECKSUM, text


def test_wrong_check_digit_in_twelve_digit_form():
    assert code_of("19640823-3235") is ErrorCode.CHECKSUM
    assert code_of("196408233230") is ErrorCode.CHECKSUM


def test_twelve_digit_check_digit_ignores_the_century():
    # The check digit covers YYMMDDNNN only: 19xx and 20xx share it.
    assert luhn_check_digit("640823323") == int(number(date(1964, 8, 23), 323)[-1])
    assert number(date(1964, 8, 23), 323)[-1] == number(date(2064, 8, 23), 323)[-1]


# --- shapes: 10 and 12 digits, separators -----------------------------------------


@pytest.mark.parametrize("text", ["640823-3234", "6408233234", "19640823-3234", "196408233234",
                                  "  640823-3234 ", "640823 3234"])
def test_accepted_shapes(text):
    result = parse(text, today=TODAY)
    assert result.digits == "196408233234"
    assert result.birth_date == date(1964, 8, 23)
    assert result.kind is Kind.PERSONNUMMER
    assert str(result) == "19640823-3234"


@pytest.mark.parametrize("text,code", [
    ("", ErrorCode.EMPTY),
    ("   ", ErrorCode.EMPTY),
    (None, ErrorCode.EMPTY),
    ("640823-323A", ErrorCode.CHARACTERS),
    ("640823/3234", ErrorCode.CHARACTERS),
    ("640823--3234", ErrorCode.CHARACTERS),
    ("640823-+3234", ErrorCode.CHARACTERS),
    ("640823–3234", ErrorCode.CHARACTERS),  # en dash
    ("６４０８２３-３２３４", ErrorCode.CHARACTERS),  # full-width digits
    ("٦٤٠٨٢٣-٣٢٣٤", ErrorCode.CHARACTERS),  # Arabic-Indic digits
    ("640823-323", ErrorCode.LENGTH),
    ("64082332345", ErrorCode.LENGTH),
    ("1964082332345", ErrorCode.LENGTH),
    ("", ErrorCode.EMPTY),
    ("6408-233234", ErrorCode.SEPARATOR),
    ("64082332-34", ErrorCode.SEPARATOR),
    ("1964-08233234", ErrorCode.SEPARATOR),
    ("-6408233234", ErrorCode.SEPARATOR),
    ("6408233234-", ErrorCode.SEPARATOR),
])
def test_shape_errors(text, code):
    assert code_of(text) is code


def test_every_error_has_its_own_message():
    assert set(MESSAGES) == set(ErrorCode)
    assert len({str(m) for m in MESSAGES.values()}) == len(ErrorCode)
    try:
        parse("640823-3235", today=TODAY)
    except IdentityNumberError as exc:
        assert exc.message == str(MESSAGES[ErrorCode.CHECKSUM])
        assert str(exc) == exc.message
    else:  # pragma: no cover
        pytest.fail("no error")


# --- century inference at a given date, and '+' -------------------------------------


def test_ten_digits_take_the_latest_century_not_after_this_year():
    assert parse(ten(number(date(2010, 3, 1))), today=TODAY).birth_date == date(2010, 3, 1)
    assert parse(ten(number(date(1990, 3, 1))), today=TODAY).birth_date == date(1990, 3, 1)
    # YY equal to this year, date already passed: born this year.
    assert parse(ten(number(date(2026, 1, 2))), today=TODAY).birth_date == date(2026, 1, 2)
    # YY one above this year: last century.
    assert parse(ten(number(date(1927, 1, 2))), today=TODAY).birth_date == date(1927, 1, 2)


def test_the_same_ten_digits_mean_different_years_on_different_days():
    text = ten(number(date(2000, 5, 5)))
    assert parse(text, today=date(2026, 1, 1)).birth_date.year == 2000
    assert parse(text, today=date(2099, 12, 31)).birth_date.year == 2000
    # In 2100 the person born in 2000 turns 100 and writes '+'; with '-' it is 2100-05-05.
    assert code_of(text, date(2100, 1, 1)) is ErrorCode.FUTURE
    assert parse(ten(number(date(2000, 5, 5)), "+"), today=date(2100, 1, 1)).birth_date.year == 2000
    assert parse(ten(number(date(2000, 5, 5)), "+"), today=date(2099, 12, 31)).birth_date.year == 1900


def test_plus_means_the_person_turns_100_this_year_or_has():
    # Born 1926-12-01: on 2026-06-15 still 99, but turns 100 this year -> '+'.
    born = number(date(1926, 12, 1))
    assert parse(ten(born, "+"), today=TODAY).birth_date == date(1926, 12, 1)
    # Born 1926-03-01: already 100.
    assert parse(ten(number(date(1926, 3, 1)), "+"), today=TODAY).birth_date == date(1926, 3, 1)
    # Born 1920: 106.
    assert parse(ten(number(date(1920, 3, 1)), "+"), today=TODAY).birth_date == date(1920, 3, 1)
    # '+' with YY above this year's would mean the century before last (1830): implausible.
    assert code_of(ten(number(date(1930, 3, 1)), "+")) is ErrorCode.YEAR


def test_a_person_turning_100_changes_separator_in_display():
    identity = parse(number(date(1926, 12, 1)), today=TODAY)
    assert identity.display(date(2025, 12, 31)) == ten(identity.digits, "-")
    assert identity.display(date(2026, 1, 1)) == ten(identity.digits, "+")
    assert identity.display(TODAY) == ten(identity.digits, "+")
    assert identity.age_on(TODAY) == 99
    assert identity.age_on(date(2026, 12, 1)) == 100


def test_minus_with_a_date_later_this_year_is_a_future_date():
    # The person born 1926-12-01 writes '+' this year; with '-' it is 2026-12-01.
    assert code_of(ten(number(date(1926, 12, 1)), "-")) is ErrorCode.FUTURE
    assert code_of(ten(number(date(1926, 12, 1)), "")) is ErrorCode.FUTURE


def test_twelve_digits_with_plus_for_someone_under_100_is_an_error():
    young = number(date(1990, 1, 1))
    assert code_of(f"{young[:8]}+{young[8:]}") is ErrorCode.PLUS_TOO_YOUNG
    # Turns 100 next year: still too young for '+'.
    assert code_of(f"{number(date(1927, 1, 1))[:8]}+{number(date(1927, 1, 1))[8:]}") is ErrorCode.PLUS_TOO_YOUNG
    # Turns 100 this year: '+' is right.
    old = number(date(1926, 12, 1))
    assert parse(f"{old[:8]}+{old[8:]}", today=TODAY).birth_date == date(1926, 12, 1)


def test_twelve_digits_with_an_implausible_year():
    assert code_of("00000101-0008") is ErrorCode.YEAR
    assert code_of(number(date(1849, 1, 1))) is ErrorCode.YEAR
    assert parse(number(date(1900, 1, 1)), today=TODAY).birth_date == date(1900, 1, 1)


# --- dates ------------------------------------------------------------------------------


@pytest.mark.parametrize("mmdd", ["0001", "1301", "9901"])
def test_month_errors(mmdd):
    text = f"90{mmdd}1234"
    assert code_of(text) is ErrorCode.MONTH
    assert code_of(f"19{text}") is ErrorCode.MONTH


@pytest.mark.parametrize("mmdd", ["0100", "0132", "0431", "0631", "0230", "0160", "0192", "0199"])
def test_day_errors(mmdd):
    assert code_of(f"90{mmdd}-1234") is ErrorCode.DAY


def test_leap_day_only_in_leap_years():
    assert parse(number(date(2000, 2, 29)), today=TODAY).birth_date == date(2000, 2, 29)  # divisible by 400
    assert parse(number(date(2008, 2, 29)), today=TODAY).birth_date == date(2008, 2, 29)
    assert parse(ten(number(date(2008, 2, 29))), today=TODAY).birth_date == date(2008, 2, 29)
    assert code_of("19000229-1234") is ErrorCode.DAY  # divisible by 100, not 400
    assert code_of("20070229-1234") is ErrorCode.DAY
    assert code_of("070229-1234") is ErrorCode.DAY  # inferred 2007
    # 10 digits: the leap day depends on the inferred century.
    assert code_of("000229+1234") is ErrorCode.DAY  # '+' -> 1900, not a leap year
    assert parse(ten(number(date(2000, 2, 29))), today=TODAY).birth_date == date(2000, 2, 29)
    # Samordningsnummer: 29 + 60 = 89.
    assert parse(number(date(2008, 2, 29), coordination=True), today=TODAY).birth_date == date(2008, 2, 29)
    assert code_of("20070289-1234") is ErrorCode.DAY


def test_future_dates():
    tomorrow = date(2026, 6, 16)
    assert code_of(number(tomorrow)) is ErrorCode.FUTURE
    assert code_of(ten(number(tomorrow))) is ErrorCode.FUTURE
    assert code_of(number(date(2030, 1, 1))) is ErrorCode.FUTURE
    assert parse(number(TODAY), today=TODAY).birth_date == TODAY  # born today is fine
    assert parse(number(tomorrow), today=tomorrow).birth_date == tomorrow


# --- samordningsnummer ------------------------------------------------------------------


def test_samordningsnummer_day_plus_60():
    twelve = number(date(1990, 5, 3), 456, coordination=True)
    assert twelve[6:8] == "63"  # born the 3rd -> 63
    for text in (twelve, f"{twelve[:8]}-{twelve[8:]}", ten(twelve), ten(twelve, "")):
        result = parse(text, today=TODAY)
        assert result.kind is Kind.SAMORDNINGSNUMMER
        assert result.birth_date == date(1990, 5, 3)
        assert result.digits == twelve


def test_samordningsnummer_edges():
    assert parse(number(date(1990, 1, 31), coordination=True), today=TODAY).birth_date == date(1990, 1, 31)  # 91
    assert parse(number(date(1990, 1, 1), coordination=True), today=TODAY).birth_date == date(1990, 1, 1)  # 61
    assert code_of("19900192-1234") is ErrorCode.DAY  # 92 -> day 32
    assert code_of("19900491-1234") is ErrorCode.DAY  # 30 April + 1
    assert code_of("19900160-1234") is ErrorCode.DAY  # 60 is neither
    assert code_of("19900100-1234") is ErrorCode.DAY


def test_samordningsnummer_check_digit():
    twelve = number(date(1990, 5, 3), 456, coordination=True)
    wrong = twelve[:-1] + str((int(twelve[-1]) + 1) % 10)
    assert code_of(wrong) is ErrorCode.CHECKSUM
    # The check digit is computed over the day + 60, not the real day.
    assert luhn_check_digit(twelve[2:11]) == int(twelve[-1])


# --- legal sex, display, masked ---------------------------------------------------------


def test_legal_sex_from_the_second_to_last_digit():
    assert parse(EXAMPLE, today=TODAY).legal_sex == "male"  # 3 is odd
    for serial in range(0, 1000, 37):
        result = parse(number(date(1990, 1, 1), serial), today=TODAY)
        assert result.legal_sex == ("male" if serial % 2 else "female")


def test_display_and_masked():
    result = parse("19640823-3234", today=TODAY)
    assert result.display(TODAY) == "640823-3234"
    assert result.masked() == "640823-****"
    assert "3234" not in result.masked()
    coordination = parse(number(date(1990, 5, 3), 456, coordination=True), today=TODAY)
    assert coordination.display(TODAY).startswith("900563-")
    assert coordination.masked() == "900563-****"


def test_display_round_trips_through_parse():
    for birth in (date(1926, 12, 1), date(1964, 8, 23), date(2008, 2, 29), date(2026, 1, 2)):
        identity = parse(number(birth), today=TODAY)
        assert parse(identity.display(TODAY), today=TODAY) == identity


def test_make_fictitious_is_valid():
    for serial in (0, 1, 999, 1234):
        twelve = number(date(2001, 7, 9), serial)
        assert len(twelve) == 12
        assert parse(twelve, today=TODAY).digits == twelve
