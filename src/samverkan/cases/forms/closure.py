"""Forms for closing a case, recording its follow-ups and legal holds."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.cases.models import ClosureOutcome, FollowUpAnswer, FollowUpStatus
from samverkan.frontend.forms import StyledFormMixin

_ANSWERS = [("", _("Choose")), *FollowUpAnswer.choices]


class ClosureForm(StyledFormMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[("", _("Choose")), *ClosureOutcome.choices]
    )
    note = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=4000,
        help_text=_("Visible only to organisations that may see it."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class FollowUpForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("Was the follow-up done?"),
        choices=[
            (FollowUpStatus.DONE, _("Yes, we were in contact")),
            (FollowUpStatus.NOT_REACHED, _("No, the person could not be reached")),
        ],
    )
    recorded_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    in_education_or_work = forms.ChoiceField(
        label=_("In education or work"), choices=_ANSWERS, required=False
    )
    housing_stable = forms.ChoiceField(label=_("Stable housing"), choices=_ANSWERS, required=False)
    new_crime_known = forms.ChoiceField(
        label=_("New crime known"), choices=_ANSWERS, required=False
    )
    network_contact = forms.ChoiceField(
        label=_("Contact with the criminal network"), choices=_ANSWERS, required=False
    )
    comment = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean_recorded_on(self) -> object:
        value = self.cleaned_data["recorded_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date is in the future."))
        return value


class LegalHoldForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        min_length=10,
        help_text=_("For example a request from a court or the Parliamentary Ombudsman."),
    )
