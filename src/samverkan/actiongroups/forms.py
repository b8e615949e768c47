from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.actiongroups.models import (
    ActionGroup,
    ContactLogEntry,
    DocumentKind,
    GroupStatus,
    OutreachStatus,
    Premises,
)
from samverkan.directory.models import Area, Organisation
from samverkan.frontend.forms import StyledFormMixin, model_choice_field


class GroupForm(StyledFormMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    areas = forms.ModelMultipleChoiceField(
        queryset=Area.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        label=_("Areas"),
    )

    class Meta:
        model = ActionGroup
        fields = [
            "name",
            "code",
            "areas",
            "around_the_clock",
            "opens_at",
            "closes_at",
            "contact_phone",
            "contact_email",
            "contact_web",
            "contact_notes",
        ]
        widgets = {
            "opens_at": forms.TimeInput(attrs={"type": "time"}),
            "closes_at": forms.TimeInput(attrs={"type": "time"}),
        }

    contact_web = forms.URLField(label=_("Web page"), required=False, assume_scheme="https")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["code"].disabled = True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("around_the_clock") and not (
            data.get("opens_at") and data.get("closes_at")
        ):
            raise forms.ValidationError(
                _("Give the opening hours, or tick 'staffed around the clock'.")
            )
        return data


class StatusForm(StyledFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("New status"), choices=GroupStatus.choices)


class PositionsForm(StyledFormMixin, forms.Form):
    """One number field per agency: positions needed on duty at every moment."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, agencies: list[Organisation], current: dict[int, int], **kwargs: Any
    ) -> None:
        self.agencies = agencies
        super().__init__(*args, **kwargs)
        for agency in agencies:
            self.fields[f"agency_{agency.pk}"] = forms.IntegerField(
                label=agency.name,
                min_value=0,
                max_value=50,
                initial=current.get(agency.pk, 0),
                widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-3"}),
            )

    def positions(self) -> dict[int, int]:
        return {a.pk: int(self.cleaned_data[f"agency_{a.pk}"]) for a in self.agencies}


class PremisesForm(StyledFormMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Premises
        fields = ["address", "description", "kind", "valid_from", "valid_to", "capacity"]
        widgets = {
            "valid_from": forms.DateInput(attrs={"type": "date"}),
            "valid_to": forms.DateInput(attrs={"type": "date"}),
        }


class OutreachForm(StyledFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Status"), choices=OutreachStatus.choices)
    agreed_experts = forms.IntegerField(
        label=_("Agreed number of experts"), min_value=0, max_value=500, required=False
    )
    declined_reason = forms.CharField(
        label=_("Reason for declining"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when the agency declined."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("status") == OutreachStatus.DECLINED
            and not (data.get("declined_reason") or "").strip()
        ):
            self.add_error("declined_reason", _("Say why the agency declined."))
        return data


class ContactForm(StyledFormMixin, forms.ModelForm):
    channel = model_choice_field(ContactLogEntry, "channel", radios=True)

    class Meta:
        model = ContactLogEntry
        fields = ["contacted_on", "who", "channel", "summary"]
        widgets = {
            "contacted_on": forms.DateInput(attrs={"type": "date"}),
            "summary": forms.Textarea(attrs={"rows": 3}),
        }


class DocumentForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=DocumentKind.choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, PNG or JPEG."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["class"] = "govuk-file-upload"
