"""Swedish personnummer and samordningsnummer (see shared/docs/legal-facts.md).

parse(text, today=...) accepts 10 or 12 digits with an optional '-' or '+' separator,
infers the century of a 10-digit number at ``today`` ('+' means the person has turned
100), checks the date (samordningsnummer: day + 60), the Luhn check digit, and returns an
IdentityNumber stored as 12 digits. Each kind of failure raises IdentityNumberError with
its own code and message, so a form can say exactly what is wrong.
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from samverkan.lib import dates


class ErrorCode(StrEnum):
    EMPTY = "empty"
    CHARACTERS = "characters"
    LENGTH = "length"
    SEPARATOR = "separator"
    MONTH = "month"
    DAY = "day"
    FUTURE = "future"
    CHECKSUM = "checksum"
    PLUS_TOO_YOUNG = "plus_too_young"
    YEAR = "year"


MESSAGES = {
    ErrorCode.EMPTY: _("Enter an identity number."),
    ErrorCode.CHARACTERS: _(
        "An identity number has only digits and one '-' or '+' before the last four digits."
    ),
    ErrorCode.LENGTH: _(
        "An identity number has 10 digits (YYMMDD-NNNC) or 12 digits (YYYYMMDD-NNNC)."
    ),
    ErrorCode.SEPARATOR: _("The separator must stand before the last four digits."),
    ErrorCode.MONTH: _("The month must be between 01 and 12."),
    ErrorCode.DAY: _(
        "The day does not exist in that month "
        "(for a coordination number the day is increased by 60)."
    ),
    ErrorCode.FUTURE: _("The date of birth is in the future."),
    ErrorCode.CHECKSUM: _("The check digit is wrong: check for a mistyped digit."),
    ErrorCode.PLUS_TOO_YOUNG: _(
        "A '+' separator means the person has turned 100, which does not match the date of birth."
    ),
    ErrorCode.YEAR: _("The year of birth is not plausible: check the century."),
}


class IdentityNumberError(ValueError):
    def __init__(self, code: ErrorCode) -> None:
        self.code = code
        super().__init__(str(MESSAGES[code]))

    @property
    def message(self) -> str:
        return str(MESSAGES[self.code])


class Kind(StrEnum):
    PERSONNUMMER = "personnummer"
    SAMORDNINGSNUMMER = "samordningsnummer"


# ASCII digits only: ``\d`` would also accept e.g. Arabic-Indic or full-width digits,
# which int() reads but which would then be stored as a different string (and so slip
# past the exact-match duplicate check).
_SHAPE = re.compile(r"^([0-9]{6}|[0-9]{8})([-+]?)([0-9]{4})$")


# No one alive was born earlier (and date() cannot even hold year 0).
EARLIEST_YEAR = 1850


def luhn_check_digit(nine_digits: str) -> int:
    """Check digit over YYMMDDNNN with weights 2,1,2,1…; product digits are summed."""
    total = 0
    for index, char in enumerate(nine_digits):
        product = int(char) * (2 if index % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return (10 - total % 10) % 10


@dataclass(frozen=True)
class IdentityNumber:
    digits: str  # 12 digits, YYYYMMDDNNNC
    kind: Kind
    birth_date: date

    @property
    def legal_sex(self) -> str:
        """'female' or 'male' as registered: odd second-to-last digit is male."""
        return "male" if int(self.digits[10]) % 2 else "female"

    def age_on(self, today: date) -> int:
        return dates.age_on(self.birth_date, today)

    def display(self, today: date | None = None) -> str:
        """YYMMDD-NNNC, with '+' from the year the person turns 100."""
        today = today or date.today()
        separator = "+" if today.year - self.birth_date.year >= 100 else "-"
        return f"{self.digits[2:8]}{separator}{self.digits[8:]}"

    def masked(self) -> str:
        return f"{self.digits[2:8]}-****"

    def __str__(self) -> str:
        return f"{self.digits[:8]}-{self.digits[8:]}"


def parse(text: str, *, today: date | None = None) -> IdentityNumber:
    """Parse and validate; raises IdentityNumberError naming the first problem found."""
    today = today or date.today()
    value = (text or "").strip().replace(" ", "")
    if not value:
        raise IdentityNumberError(ErrorCode.EMPTY)
    if re.search(r"[^0-9+-]", value):
        raise IdentityNumberError(ErrorCode.CHARACTERS)
    if value.count("-") + value.count("+") > 1:
        raise IdentityNumberError(ErrorCode.CHARACTERS)
    digits_only = value.replace("-", "").replace("+", "")
    if len(digits_only) not in (10, 12):
        raise IdentityNumberError(ErrorCode.LENGTH)
    match = _SHAPE.match(value)
    if match is None:
        raise IdentityNumberError(ErrorCode.SEPARATOR)
    date_part, separator, tail = match.groups()
    month = int(date_part[-4:-2])
    day_field = int(date_part[-2:])
    if not 1 <= month <= 12:
        raise IdentityNumberError(ErrorCode.MONTH)
    kind = Kind.SAMORDNINGSNUMMER if day_field > 60 else Kind.PERSONNUMMER
    day = day_field - 60 if kind is Kind.SAMORDNINGSNUMMER else day_field

    if len(date_part) == 8:
        year = int(date_part[:4])
    else:
        # The separator says whether the person turns 100 this calendar year or has
        # done so ('+'), or not ('-' or none): the birth year is the latest year ending
        # in YY that is at most this year (minus 100 for '+'). A date later this year
        # with '-' is therefore a future date, not someone born a century ago (that
        # person would write '+' this year).
        yy = int(date_part[:2])
        base = today.year - (100 if separator == "+" else 0)
        year = base - ((base - yy) % 100)
    if year < EARLIEST_YEAR:
        raise IdentityNumberError(ErrorCode.YEAR)
    if day < 1 or day > monthrange(year, month)[1]:
        raise IdentityNumberError(ErrorCode.DAY)
    birth = date(year, month, day)
    if birth > today:
        raise IdentityNumberError(ErrorCode.FUTURE)
    if len(date_part) == 8 and separator == "+" and today.year - year < 100:
        raise IdentityNumberError(ErrorCode.PLUS_TOO_YOUNG)
    nine = date_part[-6:] + tail[:3]
    if luhn_check_digit(nine) != int(tail[3]):
        raise IdentityNumberError(ErrorCode.CHECKSUM)
    return IdentityNumber(digits=f"{year:04d}{date_part[-4:]}{tail}", kind=kind, birth_date=birth)


def make_fictitious(birth: date, serial: int, *, coordination: bool = False) -> str:
    """A format-valid 12-digit number for test and demo data (never a real person's by
    intent; demo rows are additionally marked fictitious in the database)."""
    day = birth.day + (60 if coordination else 0)
    body = f"{birth.year % 100:02d}{birth.month:02d}{day:02d}{serial % 1000:03d}"
    return f"{birth.year // 100:02d}{body}{luhn_check_digit(body)}"


# In free text: 6 or 8 date digits, an optional '-', '+' or space, 4 digits, not inside a
# longer run of digits.
_IN_TEXT = re.compile(r"(?<![0-9])([0-9]{8}|[0-9]{6})([-+ ]?)([0-9]{4})(?![0-9])")
# A parse failure that still means "an identity number, mistyped or odd".
_STILL_IDENTITY = frozenset({ErrorCode.CHECKSUM, ErrorCode.FUTURE, ErrorCode.PLUS_TOO_YOUNG, ErrorCode.YEAR})


def find_in_text(text: str) -> list[str]:
    """What in ``text`` is a personnummer or samordningsnummer: 10 or 12 digits (a
    separator allowed before the last four) whose date part is a possible date. A wrong
    check digit still counts — a mistyped identity number is still someone's — while
    e.g. an order number whose "month" is 17 does not. The one rule every free-text
    check (incident reports, meeting records, documents, texts for residents) asks."""
    found = []
    for match in _IN_TEXT.finditer(text or ""):
        date_part, separator, tail = match.groups()
        try:
            parse(f"{date_part}{separator.strip()}{tail}")
        except IdentityNumberError as exc:
            if exc.code not in _STILL_IDENTITY:
                continue
        found.append(match.group(0))
    return found
