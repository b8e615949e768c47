"""The search of a picker of people (a case's team, a district's coordinator): the words
are a staff member's name, personal data, so they travel in a POST body and never in a
URL (the web server's access log, the browser history, a Referer header), as the case
list's name search. Works without JavaScript: the page has two forms posting to itself,
the search (``intent=search``, field ``q``) and the choice, which carries the words back
in a hidden ``q`` so the person chosen is checked against the list they chose from."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.http import HttpRequest

INTENT = "intent"
SEARCH = "search"
MAX_WORDS = 80


@dataclass(frozen=True)
class PickerSearch:
    form: forms.Form  # the search form to show (bound when this request is the search)
    words: str  # what to narrow the list by ("" for all)
    searching: bool  # this request is the search, not the choice
    cleared: bool  # a search without words: the page as a GET (redirect to it)


def picker_search(request: HttpRequest, form_class: type[forms.Form]) -> PickerSearch:
    """Read the picker's search from ``request``. A query string is never read."""
    if request.method == "POST" and request.POST.get(INTENT) == SEARCH:
        form = form_class(request.POST)
        valid = form.is_valid()
        words = str(form.cleaned_data.get("q") or "").strip() if valid else ""
        return PickerSearch(form=form, words=words, searching=True, cleared=valid and not words)
    words = request.POST.get("q", "").strip()[:MAX_WORDS] if request.method == "POST" else ""
    return PickerSearch(form=form_class(initial={"q": words}), words=words, searching=False, cleared=False)
