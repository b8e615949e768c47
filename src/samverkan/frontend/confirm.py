"""One confirmation step before an irreversible action (closing a case, signing,
establishing, publishing, removing someone, disabling an account, deleting for good).

The action's POST handler validates its form as before, then asks ``confirmed(request)``:
the first POST renders ``confirm_page`` (what will happen, what cannot be undone, a
primary "Yes, …" button and a Cancel link back) and commits nothing; its form posts the
same data again, carried in hidden fields with a fresh CSRF token, plus ``confirmed=1``.
Only that second POST commits. A form that signs as it saves (a note, minutes) also gets
a "No, go back and change it" button (``back_label``): it posts the data with ``back=1``
and the view shows its form again, filled in (``going_back``). Works without JavaScript. The business rules stay in the
services: this is only the page between the click and the change.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

CONFIRMED = "confirmed"
BACK = "back"
_NOT_CARRIED = frozenset({"csrfmiddlewaretoken", CONFIRMED, BACK})


def going_back(request: HttpRequest) -> bool:
    """True for a POST from the confirmation page's "go back and change it" button."""
    return request.method == "POST" and request.POST.get(BACK) == "1"


def confirmed(request: HttpRequest) -> bool:
    """True only for a POST sent with the confirmation page's "Yes, …" button."""
    return (
        request.method == "POST"
        and request.POST.get(CONFIRMED) == "1"
        and not going_back(request)
    )


def confirm_page(
    request: HttpRequest,
    *,
    heading: str,
    consequence: str,
    irreversible: str,
    submit: str,
    cancel_url: str,
    details: Iterable[tuple[str, str]] = (),
    back_label: str = "",
    cancel_label: str = "",
    destructive: bool = False,
    header: str = "",
    context: Mapping[str, Any] | None = None,
) -> HttpResponse:
    """The confirmation page of an irreversible action, posting back to the same address.

    ``consequence`` says what will happen, ``irreversible`` what cannot be undone (shown as
    a warning), ``details`` are (label, value) rows of what is about to be changed, and
    ``header`` an optional template included above the heading (a case's header, say)
    with ``context``. ``back_label`` adds a button that takes the data back to the form;
    ``cancel_label`` replaces "Cancel" where that word would be ambiguous;
    ``destructive`` (deleting, closing, removing, disabling) makes "Yes, …" a red button.
    """
    carried = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in _NOT_CARRIED
        for value in values
    ]
    return render(
        request,
        "confirm.html",
        {
            **(context or {}),
            "confirm": {
                "heading": heading,
                "consequence": consequence,
                "irreversible": irreversible,
                "submit": submit,
                "cancel_url": cancel_url,
                "cancel_label": cancel_label,
                "details": list(details),
                "header": header,
                "carried": carried,
                "back_label": back_label,
                "destructive": destructive,
                "action": request.get_full_path(),
            },
        },
    )
