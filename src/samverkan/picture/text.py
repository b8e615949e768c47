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

from django.utils.translation import gettext as _

# A personnummer or samordningsnummer shape: 10 or 12 digits with an optional '-' or '+'
# before the last four, not part of a longer run of digits. Refused whether or not the
# check digit is right: a mistyped number is still someone's number.
_IDENTITY = re.compile(r"(?<![0-9])(?:[0-9]{2})?[0-9]{6}[-+ ]?[0-9]{4}(?![0-9])")

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


def identity_number_problem(text: str) -> str | None:
    """The message refusing ``text`` when it holds something shaped like an identity
    number; None when it does not."""
    if _IDENTITY.search(text or ""):
        return _(
            "Remove the identity number: the local picture is about places and events, never about people."
        )
    return None


def _is_place(words: list[str]) -> bool:
    return any(w.lower() in _PLACE_WORDS or w.lower().endswith(_PLACE_SUFFIXES) for w in words)


def likely_names(text: str) -> list[str]:
    """Runs of capitalised words in ``text`` that look like a person's name (first and
    last name), in order of appearance and without repeats. Places ("Husby Centrum",
    "Rinkeby Allé") are left out."""
    found: list[str] = []
    for match in _NAME.finditer(text or ""):
        words = match.group(1).split()
        while words and words[0].lower() in _SENTENCE_WORDS:
            words = words[1:]
        candidate = " ".join(words)
        if len(words) < 2 or _is_place(words) or candidate in found:
            continue
        found.append(candidate)
    return found
