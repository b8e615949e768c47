"""What the agreement's forms share: the version the editor loaded (optimistic locking;
alone it is the confirmation of signing, ending or closing), dates, and choices given as
ids and labels by the views from the selectors (the services check them again)."""

from __future__ import annotations

from collections.abc import Sequence

from django import forms
from django.utils.functional import Promise

from samverkan.frontend.forms import VersionedForm

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
Choices = Sequence[tuple[int | str, str]]


class VersionForm(VersionedForm):
    """frontend.forms.VersionedForm whose version may be missing: the same forms create
    (no version yet) and edit."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)


def set_choices(form: forms.Form, name: str, choices: Choices, *, blank: str | Promise | None = None) -> None:
    options: list[tuple[object, str | Promise]] = [(pk, label) for pk, label in choices]
    if blank is not None:
        options.insert(0, ("", blank))
    form.fields[name].choices = options  # type: ignore[attr-defined]
