"""The name search key: lowercase, no accents, single spaces; the same for a saved name
and a typed search term."""

import pytest

from samverkan.lib.text import search_key, search_words


@pytest.mark.parametrize(("text", "key"), [
    ("Åsa Öberg", "asa oberg"),
    ("  ÄNGLA   Lindé ", "angla linde"),
    ("Søren Strauß", "soren strauss"),
    ("Mohamed Al-Hassan", "mohamed al-hassan"),
    ("İlker", "ilker"),
    ("", ""),
])
def test_search_key(text, key):
    assert search_key(text) == key
    assert search_key(key) == key  # idempotent


def test_search_words_are_distinct_keys_in_order():
    assert search_words("Öberg  oberg Åsa") == ["oberg", "asa"]
    assert search_words("   ") == []
