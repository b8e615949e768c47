"""Forms for groups, memberships and conflicts (the police's records)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.frontend.forms import StyledFormMixin
from samverkan.trefas.models import ConflictStatus


def _date() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"})


class GroupForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Name of the group"), max_length=120)
    description = forms.CharField(label=_("Description"), max_length=500, required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))


class MembershipForm(StyledFormMixin, forms.Form):
    listing = forms.TypedChoiceField(label=_("Person on the list"), coerce=int)
    since = forms.DateField(label=_("Member since"), widget=_date())
    until = forms.DateField(label=_("Member until (if known)"), required=False, widget=_date())

    def __init__(self, *args: Any, listings: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["listing"].choices = [("", _("Choose a person")), *listings]  # type: ignore[attr-defined]


class MembershipEndForm(StyledFormMixin, forms.Form):
    until = forms.DateField(label=_("Member until"), widget=_date())


class ConflictForm(StyledFormMixin, forms.Form):
    group_a = forms.TypedChoiceField(label=_("Group"), coerce=int)
    group_b = forms.TypedChoiceField(label=_("In conflict with"), coerce=int)
    status = forms.ChoiceField(label=_("Status"), choices=ConflictStatus.choices)
    since = forms.DateField(label=_("Since"), widget=_date())
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, groups: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("group_a", "group_b"):
            self.fields[name].choices = [("", _("Choose a group")), *groups]  # type: ignore[attr-defined]


class ConflictStatusForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ConflictStatus.choices)
    since = forms.DateField(label=_("Since"), widget=_date())
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
