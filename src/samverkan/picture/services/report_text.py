"""The free-text check of an incident report: incidents are about places and events, not
people.

* Anything shaped like a Swedish personnummer or samordningsnummer (10 or 12 digits,
  with or without a '-', '+' or space before the last four, whose date part is a
  possible date) is refused: the report cannot be saved with it. A number whose check
  digit is wrong is refused too — a mistyped identity number is still one.
* Words that look like a person's name give a warning the reporter must confirm ("I have
  not named anyone"): two consecutive capitalised words that do not start a sentence
  (the area's and its places' names excepted), or a capitalised word after "heter",
  "kallas", "named", "called". A heuristic on purpose: it cannot know every name, and it
  must not stop a report about "Husby torg".

The check never logs or stores what it found.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise

from samverkan.lib.identity_numbers import ErrorCode, IdentityNumberError, parse

# 6 or 8 date digits, an optional separator, 4 digits, not inside a longer run of digits.
_NUMBER = re.compile(r"(?<![0-9])([0-9]{8}|[0-9]{6})([-+ ]?)([0-9]{4})(?![0-9])")
# A parse failure that still means "an identity number, mistyped or odd": refused too.
_STILL_IDENTITY = frozenset({ErrorCode.CHECKSUM, ErrorCode.FUTURE, ErrorCode.PLUS_TOO_YOUNG, ErrorCode.YEAR})

_WORD = re.compile(r"[^\W\d_][^\W\d_'’-]*(?:[-'’][^\W\d_]+)*")
_SENTENCE_END = re.compile(r"[.!?:;\n]\s*$")
_NAMING = re.compile(r"\b(?:heter|hette|kallas|kallades|kallad|named|called)\s+([^\W\d_][^\W\d_-]*)", re.IGNORECASE)


@dataclass(frozen=True)
class TextCheck:
    has_identity_number: bool = False
    likely_names: tuple[str, ...] = field(default_factory=tuple)


def _is_identity_number(date_part: str, separator: str, tail: str) -> bool:
    try:
        parse(f"{date_part}{separator.strip()}{tail}")
    except IdentityNumberError as exc:
        return exc.code in _STILL_IDENTITY
    return True


def has_identity_number(text: str) -> bool:
    return any(_is_identity_number(*m.groups()) for m in _NUMBER.finditer(text or ""))


def _capitalised(word: str) -> bool:
    return len(word) > 1 and word[0].isupper() and word[1:].replace("-", "").islower()


def likely_names(text: str, *, known: Iterable[str] = ()) -> tuple[str, ...]:
    """Phrases in ``text`` that look like a person's name (in order, without repeats).
    ``known``: names of places and areas whose words never count."""
    text = text or ""
    known_words = {w.lower() for name in known for w in _WORD.findall(name)}
    found: list[str] = []
    words = list(_WORD.finditer(text))
    for first, second in pairwise(words):
        a, b = first.group(), second.group()
        if not (_capitalised(a) and _capitalised(b)):
            continue
        if text[first.end():second.start()].strip():  # something (a comma, a dash) between them
            continue
        before = text[:first.start()]
        if not before.strip() or _SENTENCE_END.search(before):
            continue  # the first word starts a sentence
        if a.lower() in known_words or b.lower() in known_words:
            continue
        found.append(f"{a} {b}")
    for match in _NAMING.finditer(text):
        name = match.group(1)
        if _capitalised(name) and name.lower() not in known_words:
            found.append(name)
    return tuple(dict.fromkeys(found))


def check_text(text: str, *, known: Iterable[str] = ()) -> TextCheck:
    return TextCheck(has_identity_number=has_identity_number(text), likely_names=likely_names(text, known=known))
