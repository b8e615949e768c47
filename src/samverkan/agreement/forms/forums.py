"""Forms of the forums an agreement starts, their sessions and decisions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.agreement.forms.common import DATE_WIDGET, Choices, VersionForm, set_choices


class ForumForm(VersionForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    purpose = forms.CharField(label=_("Purpose"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    parties = forms.TypedMultipleChoiceField(
        label=_("Organisations taking part"), coerce=int, widget=forms.CheckboxSelectMultiple,
        help_text=_("Business, civil society and agencies from the directory."))
    active = forms.BooleanField(label=_("The forum meets"), required=False, initial=True)

    def __init__(self, *args: Any, organisations: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "parties", organisations)


class SessionForm(VersionForm):
    held_on = forms.DateField(label=_("Held on"), widget=DATE_WIDGET)
    notes = forms.CharField(label=_("Notes"), max_length=6000, required=False,
                            widget=forms.Textarea(attrs={"rows": 5}))
    participants = forms.TypedMultipleChoiceField(label=_("Organisations present"), coerce=int, required=False,
                                                  widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, organisations: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "participants", organisations)


class DecisionForm(VersionForm):
    text = forms.CharField(label=_("Decision"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    organisation = forms.TypedChoiceField(label=_("Responsible organisation (optional)"), coerce=int,
                                          required=False, empty_value=None)
    due_on = forms.DateField(label=_("Due (optional)"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args: Any, organisations: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "organisation", organisations, blank=_("No organisation"))
