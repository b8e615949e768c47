from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.cases.models import InformationCategory
from samverkan.frontend.forms import StyledFormMixin
from samverkan.journal.services import MAX_TEXT


class NoteForm(StyledFormMixin, forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=InformationCategory.choices)
    occurred_on = forms.DateField(
        label=_("Date of the event"), widget=forms.DateInput(attrs={"type": "date"})
    )
    text = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=MAX_TEXT,
        help_text=_("Write only what is needed for the work with the participant."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("occurred_on", timezone.localdate())
        super().__init__(*args, **kwargs)

    def clean_occurred_on(self) -> Any:
        value = self.cleaned_data["occurred_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date is in the future."))
        return value


class NoteFilterForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=[("", _("All categories")), *InformationCategory.choices],
    )
