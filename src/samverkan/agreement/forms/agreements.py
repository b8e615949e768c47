"""Forms of the agreement itself, its parties and signatories."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.agreement.forms.common import DATE_WIDGET, Choices, VersionForm, set_choices
from samverkan.agreement.models import AgreementKind


class AgreementForm(VersionForm):
    kind = forms.ChoiceField(label=_("Kind of agreement"), choices=AgreementKind.choices, widget=forms.RadioSelect)
    title = forms.CharField(label=_("Title"), max_length=200)
    municipality = forms.ChoiceField(label=_("Municipality"), required=False,
                                     help_text=_("For a city-wide agreement."))
    district = forms.TypedChoiceField(label=_("District"), coerce=int, required=False, empty_value=None,
                                      help_text=_("For a local agreement."))
    police = forms.TypedChoiceField(
        label=_("Police"), coerce=int,
        help_text=_("The police region for a city-wide agreement, the local police area for a local one."))
    parent = forms.TypedChoiceField(label=_("City-wide agreement it belongs to"), coerce=int, required=False,
                                    empty_value=None, help_text=_("For a local agreement."))
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE_WIDGET)
    valid_to = forms.DateField(label=_("Valid to"), widget=DATE_WIDGET)
    goals = forms.CharField(label=_("Goals"), max_length=6000, required=False,
                            widget=forms.Textarea(attrs={"rows": 6}))
    areas = forms.TypedMultipleChoiceField(label=_("Areas"), coerce=int, required=False,
                                           widget=forms.CheckboxSelectMultiple)
    problems = forms.TypedMultipleChoiceField(
        label=_("Prioritised problems"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("From the situation reports (lägesbilder) of the municipality or district."))

    def __init__(self, *args: Any, municipalities: list[str], districts: Choices, police: Choices,
                 parents: Choices, areas: Choices, problems: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "municipality", [(m, m) for m in municipalities], blank=_("None (a local agreement)"))
        set_choices(self, "district", districts, blank=_("None (a city-wide agreement)"))
        set_choices(self, "police", police)
        set_choices(self, "parent", parents, blank=_("Not part of a city-wide agreement"))
        set_choices(self, "areas", areas)
        set_choices(self, "problems", problems)


class PartyForm(VersionForm):
    organisation = forms.TypedChoiceField(label=_("Organisation"), coerce=int)
    role = forms.CharField(label=_("Role in the agreement"), max_length=200, required=False,
                           help_text=_("For example: party, or takes part in the forums."))

    def __init__(self, *args: Any, organisations: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "organisation", organisations)


class SignatoryForm(VersionForm):
    organisation = forms.TypedChoiceField(label=_("Signs for"), coerce=int)
    office = forms.CharField(
        label=_("Office"), max_length=200,
        help_text=_("For example: head of the local police area, chair of the municipal executive board."))
    name = forms.CharField(label=_("Name of the office holder"), max_length=200)

    def __init__(self, *args: Any, organisations: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "organisation", organisations)


class SignForm(VersionForm):
    signed_on = forms.DateField(label=_("Signed on"), widget=DATE_WIDGET)
