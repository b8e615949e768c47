from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.cases.models import InformationCategory
from samverkan.consent.models import ConsentGiver, LegalBasis
from samverkan.consent.services import validate_document
from samverkan.directory.models import Organisation, OrganisationKind
from samverkan.frontend.forms import StyledFormMixin, style_form
from samverkan.people.models import Guardianship


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"})


class _FileStyleMixin(StyledFormMixin):
    """style_form gives every input govuk-input; file inputs want govuk-file-upload."""

    def _style_files(self) -> None:
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            if isinstance(field.widget, forms.FileInput):
                css = "govuk-file-upload"
                if self.is_bound and self._errors and name in self._errors:  # type: ignore[attr-defined]
                    css += " govuk-file-upload--error"
                field.widget.attrs["class"] = css

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style_files()

    def full_clean(self) -> None:
        super().full_clean()
        self._style_files()


class ConsentForm(_FileStyleMixin, forms.Form):
    giver = forms.ChoiceField(label=_("Given by"), choices=ConsentGiver.choices)
    guardianship = forms.ModelChoiceField(
        label=_("Which guardian"),
        queryset=Guardianship.objects.none(),
        empty_label=_("Choose a guardian"),
        required=False,
        help_text=_(
            "Only when a guardian gave the consent. Register guardians on the Guardians page first."
        ),
    )
    given_on = forms.DateField(label=_("Signed on"), widget=_date_widget())
    valid_from = forms.DateField(label=_("Valid from"), widget=_date_widget())
    valid_to = forms.DateField(label=_("Valid to"), widget=_date_widget())
    organisations = forms.ModelMultipleChoiceField(
        label=_("Organisations on the case team that may share"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_organisations = forms.ModelMultipleChoiceField(
        label=_("Other participating organisations the consent names"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Hold Ctrl (or Cmd) to choose more than one."),
    )
    categories = forms.MultipleChoiceField(
        label=_("Information that may be shared"),
        choices=InformationCategory.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    document = forms.FileField(label=_("Signed consent form"))

    def __init__(
        self,
        *args: Any,
        guardianships: Any,
        team_organisations: Any,
        other_organisations: Any,
        **kwargs: Any,
    ) -> None:
        today = timezone.localdate()
        kwargs.setdefault("initial", {}).update(
            {"given_on": today, "valid_from": today, "valid_to": today + timedelta(days=365)}
        )
        super().__init__(*args, **kwargs)
        self.fields["guardianship"].queryset = guardianships  # type: ignore[attr-defined]
        self.fields["guardianship"].label_from_instance = (  # type: ignore[attr-defined]
            lambda g: (
                g.guardian.full_name
                if not g.guardian.protected_identity
                else _("Guardian (protected identity)")
            )
        )
        self.fields["organisations"].queryset = team_organisations  # type: ignore[attr-defined]
        self.fields["other_organisations"].queryset = other_organisations  # type: ignore[attr-defined]
        self.fields["document"].help_text = _("PDF, JPEG or PNG, at most %(mb)d MB.") % {
            "mb": settings.SAMVERKAN_MAX_UPLOAD_BYTES // (1024 * 1024)
        }

    def clean_document(self) -> Any:
        upload = self.cleaned_data.get("document")
        if upload:
            try:
                validate_document(upload)
            except ValidationError as exc:
                raise forms.ValidationError(exc.messages) from None
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("giver") == ConsentGiver.GUARDIAN and not data.get("guardianship"):
            self.add_error("guardianship", _("Choose which guardian gave the consent."))
        if (
            data.get("valid_from")
            and data.get("valid_to")
            and data["valid_to"] < data["valid_from"]
        ):
            self.add_error("valid_to", _("The end date is before the start date."))
        orgs = list(data.get("organisations") or []) + list(data.get("other_organisations") or [])
        if "organisations" in data and "other_organisations" in data and not orgs:
            self.add_error(
                "organisations", _("Choose the organisations that may share information.")
            )
        data["all_organisations"] = orgs
        return data


class WithdrawForm(StyledFormMixin, forms.Form):
    note = forms.CharField(
        label=_("Note on the withdrawal"),
        max_length=300,
        required=False,
        help_text=_("For example how the withdrawal was received. No sensitive details."),
    )


class DisclosureForm(StyledFormMixin, forms.Form):
    basis = forms.ModelChoiceField(label=_("Statutory basis"), queryset=LegalBasis.objects.none(),
                                   empty_label=_("Choose the statutory basis"))
    to_organisation = forms.ModelChoiceField(
        label=_("Receiving organisation"), queryset=Organisation.objects.none(),
        empty_label=_("Choose an organisation"),
    )
    categories = forms.MultipleChoiceField(
        label=_("Kinds of information disclosed"),
        choices=InformationCategory.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(
        label=_("What is disclosed"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )
    balancing_test = forms.CharField(
        label=_("Balancing test"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=8000,
        required=False,
        help_text=_(
            "In words: why the interest in disclosing outweighs the interest the secrecy protects."
        ),
    )

    def __init__(self, *args: Any, bases: Any, recipients: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["basis"].queryset = bases  # type: ignore[attr-defined]
        self.fields["to_organisation"].queryset = recipients  # type: ignore[attr-defined]


class RegisterFilterForm(forms.Form):
    direction = forms.ChoiceField(
        label=_("Direction"),
        required=False,
        choices=[
            ("", _("From and to my organisation")),
            ("from", _("Disclosed by my organisation")),
            ("to", _("Received by my organisation")),
        ],
    )


_CODES = re.compile(r"[\s,;]+")


class LegalBasisForm(StyledFormMixin, forms.ModelForm):
    recipient_kinds = forms.MultipleChoiceField(
        label=_("Organisation kinds that may receive"),
        choices=OrganisationKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: any kind."),
    )
    recipient_codes = forms.CharField(
        label=_("Organisations that may receive (short codes)"),
        required=False,
        max_length=1000,
        help_text=_(
            "Separated by commas. Each includes its sub-organisations. Empty: any organisation."
        ),
    )

    class Meta:
        model = LegalBasis
        fields = [
            "code",
            "reference",
            "title",
            "description",
            "requires_balancing_test",
            "min_subject_age",
            "max_subject_age",
            "recipient_kinds",
            "recipient_codes",
            "valid_from",
        ]
        labels = {
            "code": _("Code"),
            "requires_balancing_test": _("Requires a written balancing test"),
            "min_subject_age": _("Only for persons aged at least"),
            "max_subject_age": _("Only for persons under"),
            "valid_from": _("In force from"),
        }
        help_texts = {
            "max_subject_age": _("For example 21 for OSL 10 kap. 18 a §."),
            "min_subject_age": "",
            "recipient_kinds": "",
            "recipient_codes": "",
        }
        widgets = {"valid_from": _date_widget(), "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["code"].disabled = True
            self.initial["recipient_codes"] = ", ".join(self.instance.recipient_codes or [])
        style_form(self)

    def clean_recipient_codes(self) -> list[str]:
        text = self.cleaned_data.get("recipient_codes") or ""
        return [c for c in _CODES.split(text.strip().lower()) if c]
