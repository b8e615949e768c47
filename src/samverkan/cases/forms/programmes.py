"""Programme administration form: every setting of a programme as data."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.cases.models import Programme
from samverkan.directory.models import District, OrganisationKind
from samverkan.frontend.forms import StyledFormMixin, model_choice_field


class ProgrammeForm(StyledFormMixin, forms.ModelForm):
    participating_kinds = forms.MultipleChoiceField(
        label=_("Participating organisation kinds"),
        choices=OrganisationKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    districts = forms.ModelMultipleChoiceField(
        label=_("Districts served"),
        queryset=District.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    successor = model_choice_field(Programme, "successor", empty_label=_("No other programme"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Programme
        fields = [
            "name",
            "code",
            "kind",
            "lead_organisation_kind",
            "participating_kinds",
            "min_age",
            "max_age",
            "districts",
            "retention_years",
            "own_consent_from_age",
            "guardian_consent_until_age",
            "consent_max_months",
            "meeting_cadence_days",
            "successor",
            "active",
        ]
        help_texts = {
            "code": _("Lower-case letters, digits and hyphens, e.g. sspf-12-21."),
            "retention_years": _(
                "Case data is deleted this many years after the last entry, unless on legal hold."
            ),
        }

    def __init__(self, *args: Any, districts: Any, successors: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["districts"].queryset = districts  # type: ignore[attr-defined]
        successor_qs = successors
        if self.instance.pk:
            successor_qs = successor_qs.exclude(pk=self.instance.pk)
        self.fields["successor"].queryset = successor_qs  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("min_age"), data.get("max_age")
        if low is not None and high is not None and low > high:
            self.add_error("max_age", _("The maximum age must be at least the minimum age."))
        own, guardian = data.get("own_consent_from_age"), data.get("guardian_consent_until_age")
        if own is not None and guardian is not None and own > guardian:
            self.add_error(
                "own_consent_from_age",
                _(
                    "Own consent must be recorded from an age at or below the "
                    "age when the guardians' consent ends."
                ),
            )
        return data
