"""Checks of the local picture's free text (a report's description, what the weekly
meeting saw, an action, a follow-up note). The picture is about places and events, never
about people: anything shaped like an identity number is refused, and words that look like
a person's name give a warning the writer must confirm.

Both checks are deliberately simple and explainable; the name check is a heuristic that
errs towards warning (a place such as "Rinkeby Centrum" mostly does not, "Anna Svensson"
does), never a refusal.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from samverkan.lib.identity_numbers import find_in_text

_WORD = r"[A-ZÅÄÖÉÜ][a-zåäöéüß]+(?:-[A-ZÅÄÖÉÜ][a-zåäöéüß]+)?"
# Two or more capitalised words in a row: "Anna Svensson", "Karl-Erik Berg".
_NAME = re.compile(rf"(?<![\w-])({_WORD}(?:\s+{_WORD})+)(?![\w-])")
# Words that make a capitalised pair a place, not a person.
_PLACE_WORDS = frozenset({
    "centrum", "torg", "torget", "station", "stationen", "gård", "gården", "park", "parken", "skola",
    "skolan", "plan", "city", "strand", "backe", "backen", "allé", "hallen", "bibliotek", "biblioteket",
    "kyrka", "kyrkan", "sjukhus", "tunnelbana", "tunnelbanan", "sl", "lokalpolisområde", "stadsdelsförvaltning",
})
# Capitalised only because they start a sentence: dropped from the front of a run.
_SENTENCE_WORDS = frozenset({
    "vid", "på", "i", "mot", "från", "efter", "under", "nära", "utanför", "vi", "det", "de", "en", "ett", "flera",
    "många", "polisen", "staden", "at", "in", "on", "near", "the", "we", "several", "outside",
})
_PLACE_SUFFIXES = ("gatan", "vägen", "torget", "parken", "platsen", "skolan", "gården", "backen", "gången",
                   "stigen", "allén", "huset", "hallen", "plan")


# "heter Ali", "kallas Erik", "named Sara": the capitalised word after is a name.
_NAMING = re.compile(r"\b(?:heter|hette|kallas|kallades|kallad|named|called)\s+([^\W\d_][^\W\d_-]*)", re.IGNORECASE)


@dataclass(frozen=True)
class TextCheck:
    has_identity_number: bool = False
    likely_names: tuple[str, ...] = field(default_factory=tuple)


def has_identity_number(text: str) -> bool:
    """``text`` holds a personnummer or samordningsnummer (lib.identity_numbers.find_in_text:
    a possible date, a wrong check digit still counts)."""
    return bool(find_in_text(text))


def identity_number_problem(text: str) -> str | None:
    """The message refusing ``text`` when it holds an identity number; None when it
    does not."""
    if has_identity_number(text):
        return _(
            "Remove the identity number: the local picture is about places and events, never about people."
        )
    return None


def _is_place(words: list[str]) -> bool:
    return any(w.lower() in _PLACE_WORDS or w.lower().endswith(_PLACE_SUFFIXES) for w in words)


def likely_names(text: str, *, known: Iterable[str] = ()) -> tuple[str, ...]:
    """What in ``text`` looks like a person's name, in order of appearance and without
    repeats: runs of capitalised words (first and last name) and the capitalised word
    after "heter", "kallas", "named", "called". Places ("Husby Centrum", "Rinkeby Allé",
    and the words of ``known``: the area's and its named places' names) are left out."""
    text = text or ""
    known_words = {w.lower() for name in known for w in name.split()}
    found: list[str] = []
    for match in _NAME.finditer(text):
        words = match.group(1).split()
        while words and words[0].lower() in _SENTENCE_WORDS:
            words = words[1:]
        if len(words) < 2 or _is_place(words) or any(w.lower() in known_words for w in words):
            continue
        found.append(" ".join(words))
    for match in _NAMING.finditer(text):
        name = match.group(1)
        if name[:1].isupper() and name.lower() not in known_words:
            found.append(name)
    return tuple(dict.fromkeys(found))


def check_text(text: str, *, known: Iterable[str] = ()) -> TextCheck:
    return TextCheck(has_identity_number=has_identity_number(text), likely_names=likely_names(text, known=known))
