"""picture.text: identity numbers are refused, likely names are found (places are not)."""

from __future__ import annotations

import pytest

from samverkan.picture.text import identity_number_problem, likely_names


@pytest.mark.parametrize("text", [
    "19121212-1212", "121212-1212", "1212121212", "191212121212", "Såg 121212+1212 vid torget.",
    "nr:121212-1212.", "121212 1212",
])
def test_identity_numbers_are_refused(text):
    assert identity_number_problem(text)


@pytest.mark.parametrize("text", [
    "", "Klotter vid tunnelbanan kl 22.30.", "Tre bilar brann 2026-12-01.", "Tel 08-123 45", "12345678901234",
    "Linje 118 stannade", "ärende 2026-1234",
])
def test_other_numbers_pass(text):
    assert identity_number_problem(text) is None


def test_likely_names_are_found_in_order_without_repeats():
    text = "Anna Svensson och Karl-Erik Berg stod vid Husby Centrum. Anna Svensson igen."
    assert likely_names(text) == ("Anna Svensson", "Karl-Erik Berg")  # a warning errs towards warning


@pytest.mark.parametrize("text", [
    "Klotter vid Rinkeby Centrum.", "Vid Husby Gård var det lugnt.", "Trasig lampa på Tenstagången.",
    "Polisen Rinkeby var på plats.", "nedskräpning vid skolan", "Rinkeby Allé", "Bredängs Station",
])
def test_places_and_sentence_starts_are_not_names(text):
    assert likely_names(text) == ()
