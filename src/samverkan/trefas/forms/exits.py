"""Forms of the way out: a SIG intake or a referral to an exit programme."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.cases.models import Programme
from samverkan.frontend.forms import StyledFormMixin


class SigIntakeForm(StyledFormMixin, forms.Form):
    track = forms.CharField(widget=forms.HiddenInput, initial="sig")
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.none(), empty_label=None)
    intake_summary = forms.CharField(
        label=_("Reason for intake"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the person wants help with. The SIG team reads this; do not write what the forum knows."),
    )

    def __init__(self, *args: Any, programmes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes  # type: ignore[attr-defined]


class ReferralForm(StyledFormMixin, forms.Form):
    track = forms.CharField(widget=forms.HiddenInput, initial="programme")
    programme_name = forms.CharField(label=_("Exit programme"), max_length=200)
    note = forms.CharField(label=_("Note"), required=False, max_length=300,
                           help_text=_("For example when the first meeting is. No details about the person."))
