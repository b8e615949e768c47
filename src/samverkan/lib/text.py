"""Text keys for searching names: one normalisation, used both when a name is saved and
when a search term is read, so the two always compare alike."""

from __future__ import annotations

import unicodedata

# Letters that do not decompose into a base letter and a combining mark (NFKD leaves
# them whole), folded by hand so "Øberg" and "Oberg", "Straße" and "Strasse" match.
_FOLD = str.maketrans({"ø": "o", "æ": "ae", "ß": "ss", "đ": "d", "ł": "l", "þ": "th", "ı": "i"})


def search_key(text: str) -> str:
    """``text`` lowercased, without accents (å → a, é → e, ø → o), with runs of
    whitespace as one space and no leading or trailing space. Pure and idempotent."""
    lowered = unicodedata.normalize("NFKD", text.casefold().translate(_FOLD))
    bare = "".join(ch for ch in lowered if not unicodedata.combining(ch))
    return " ".join(bare.translate(_FOLD).split())


def search_words(text: str) -> list[str]:
    """The distinct words of ``text`` as search keys, in order (each must match)."""
    return list(dict.fromkeys(search_key(text).split()))
