"""Forms of the citizen-promise pages. Choices come from the promise selectors (the
areas the person may manage, the agreements they see); the services check again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.agreement.models import Agreement, PromiseState
from samverkan.agreement.selectors.promises import agreements_for_promises, manageable_areas
from samverkan.agreement.services.promises import (
    IDENTITY_REFUSED,
    MAX_PUBLIC_TEXT,
    contains_identity_number,
)
from samverkan.directory.models import Area
from samverkan.frontend.forms import StyledFormMixin
from samverkan.picture.decision import LocalAccess


class _AreaChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.district.name})"


class PromiseForm(StyledFormMixin, forms.Form):
    area = _AreaChoice(label=_("Area"), queryset=Area.objects.none(), empty_label=_("Choose an area"))
    agreement: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Made within the agreement"),
        queryset=Agreement.objects.none(),  # set in __init__
        required=False,
        empty_label=_("No agreement"),
        help_text=_("The collaboration agreement the promise belongs to, if any."),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(
        label=_("The promise, in plain words"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Residents read this. Write short sentences and avoid abbreviations."),
    )
    period = forms.CharField(label=_("Period"), max_length=60, help_text=_("For example 2025–2026."))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, access: LocalAccess, current_agreement_id: int | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        area = self.fields["area"]
        assert isinstance(area, forms.ModelChoiceField)
        area.queryset = Area.objects.filter(pk__in=[a.pk for a in manageable_areas(access)]).select_related(
            "district"
        ).order_by("name")
        agreement = self.fields["agreement"]
        assert isinstance(agreement, forms.ModelChoiceField)
        # The promise's own agreement stays a choice even for an editor who does not see
        # agreements (a system administrator), so saving never drops it unasked.
        agreement.queryset = agreements_for_promises(access, keep=current_agreement_id)


class PublishForm(forms.Form):
    """The confirmation of publishing or taking a promise off the residents' pages."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class ProgressForm(StyledFormMixin, forms.Form):
    recorded_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    state = forms.ChoiceField(label=_("How is it going?"), choices=PromiseState.choices, widget=forms.RadioSelect)
    public_text = forms.CharField(
        label=_("For residents, in plain words"),
        max_length=MAX_PUBLIC_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Shown on the residents' page once the promise is published. At most 500 characters. "
            "Never write about a person."
        ),
    )
    internal_note = forms.CharField(
        label=_("Internal note (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only for staff. Never shown on the residents' pages."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("recorded_on", timezone.localdate())
        super().__init__(*args, **kwargs)

    def clean_public_text(self) -> str:
        value: str = self.cleaned_data["public_text"]
        if contains_identity_number(value):
            raise forms.ValidationError(IDENTITY_REFUSED, code="identity_number")
        return value

    def clean_recorded_on(self) -> Any:
        value = self.cleaned_data["recorded_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value
