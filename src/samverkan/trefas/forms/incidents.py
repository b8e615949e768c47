"""Forms of incident response: register an incident, link a person, mark an item done,
and the checklist templates."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.directory.models import Area
from samverkan.frontend.forms import StyledFormMixin, model_choice_field
from samverkan.lib.identity_numbers import IdentityNumber
from samverkan.people.forms import IdentityNumberField
from samverkan.trefas.models import ChecklistTemplate, IncidentKind, LinkRole


class IncidentForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("What happened"), choices=IncidentKind.choices)
    occurred_at = forms.DateTimeField(
        label=_("When"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Date and time, as exactly as is known."),
    )
    place = forms.CharField(
        label=_("Place"), max_length=200,
        help_text=_("A street, a square or a building. Write no names of people."),
    )
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.none(), required=False,
                                  empty_label=_("Not in one of the forum's areas"))
    description = forms.CharField(
        label=_("What is known"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What happened, in a few lines. Write no names: link the people concerned on the next page."),
    )

    def __init__(self, *args: Any, areas: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas  # type: ignore[attr-defined]

    def clean_occurred_at(self) -> Any:
        value = self.cleaned_data["occurred_at"]
        if value > timezone.now():
            raise forms.ValidationError(_("The time is in the future."))
        return value


class OptionalIdentityNumberField(IdentityNumberField):
    """An identity number that may be left empty (then None)."""

    def clean(self, value: Any) -> IdentityNumber | None:  # type: ignore[override]
        if value in (None, "") or not str(value).strip():
            return None
        return super().clean(value)


class LinkForm(StyledFormMixin, forms.Form):
    role = forms.ChoiceField(label=_("Role in the incident"), choices=LinkRole.choices)
    listing = forms.TypedChoiceField(
        label=_("A person on the list"), coerce=int, required=False, empty_value=None,
        help_text=_("Choose here, or give the details of someone who is not on the list below."),
    )
    identity = OptionalIdentityNumberField(
        label=_("Identity number (someone not on the list)"), required=False,
    )
    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)

    def __init__(self, *args: Any, listings: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["listing"].choices = [("", _("Someone not on the list")), *listings]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        listing, identity = data.get("listing"), data.get("identity")
        if "identity" in self.errors:
            return data
        if listing is not None and identity is not None:
            raise forms.ValidationError(_("Choose a person on the list or give someone else's details, not both."))
        if listing is None and identity is None:
            raise forms.ValidationError(
                _("Choose a person on the list or give the identity number of someone who is not."))
        if identity is not None:
            if not (data.get("first_name") or "").strip():
                self.add_error("first_name", _("Give the first name."))
            if not (data.get("last_name") or "").strip():
                self.add_error("last_name", _("Give the last name."))
        return data


class ActionDoneForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ChecklistTemplateForm(StyledFormMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    member_kind = model_choice_field(ChecklistTemplate, "member_kind", radios=True)
    incident_kind = model_choice_field(ChecklistTemplate, "incident_kind", radios=True,
                                       empty_label=_("Every kind of incident"))

    class Meta:
        model = ChecklistTemplate
        fields = ["title", "member_kind", "incident_kind", "deadline_hours", "order", "active"]
        labels = {"order": _("Position in the checklist")}
        help_texts = {
            "title": _("What the organisation does, in plain words. Write no names."),
            "deadline_hours": _("Hours from the registration of the incident."),
        }
