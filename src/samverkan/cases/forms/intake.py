"""Intake, the intake decision, look-up by identity number and emergency access."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.cases.forms.fields import PurposeField
from samverkan.cases.models import IntakeSource, Programme
from samverkan.directory.models import Organisation
from samverkan.frontend.forms import StyledFormMixin
from samverkan.people.forms import IdentityNumberField


class IntakeForm(StyledFormMixin, forms.Form):
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.none(), empty_label=None)
    identity = IdentityNumberField(label=_("Identity number"))
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    protected_identity = forms.BooleanField(label=_("The person has protected personal data"), required=False)
    intake_source = forms.ChoiceField(label=_("How the case started"), choices=IntakeSource.choices)
    referred_by = forms.ModelChoiceField(label=_("Referred by"), queryset=Organisation.objects.none(), required=False,
                                         empty_label=_("No organisation"))
    received_on = forms.DateField(label=_("Received"), widget=forms.DateInput(attrs={"type": "date"}))
    intake_summary = forms.CharField(label=_("Reason for intake"), widget=forms.Textarea(attrs={"rows": 4}),
                                     required=False, max_length=4000)

    def __init__(self, *args: Any, programmes: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes  # type: ignore[attr-defined]
        self.fields["referred_by"].queryset = organisations  # type: ignore[attr-defined]

    def clean_received_on(self) -> Any:
        value = self.cleaned_data["received_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date is in the future."))
        return value


class DecisionForm(StyledFormMixin, forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=[("accept", _("Accept into the programme")),
                                                               ("decline", _("Decline"))],
                                 widget=forms.RadioSelect)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                             max_length=2000)


class LookupForm(StyledFormMixin, forms.Form):
    identity = IdentityNumberField(label=_("Identity number"))
    purpose = PurposeField(label=_("Purpose of the look-up"),
                           help_text=_("Why you need to look the person up. It is logged."))


class EmergencyForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Why you need emergency access"), widget=forms.Textarea(attrs={"rows": 3}),
                             min_length=20, max_length=2000)
