"""The week page's filters (a GET form): category, source (the reporting organisation's
kind), time of day and weekday. An unknown value is a form error and filters nothing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.directory.models import OrganisationKind
from samverkan.picture.selectors.week import WeekFilters

TIME_OF_DAY_CHOICES = [
    ("", _("Any time of day")),
    ("night", _("Night (00–06)")),
    ("morning", _("Morning (06–12)")),
    ("afternoon", _("Afternoon (12–18)")),
    ("evening", _("Evening (18–24)")),
]
WEEKDAY_CHOICES = [
    ("", _("Any day")),
    ("1", _("Monday")), ("2", _("Tuesday")), ("3", _("Wednesday")), ("4", _("Thursday")),
    ("5", _("Friday")), ("6", _("Saturday")), ("7", _("Sunday")),
]


class WeekFilterForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), required=False)
    source = forms.ChoiceField(label=_("Reported by"), required=False)
    time = forms.ChoiceField(label=_("Time of day"), required=False, choices=TIME_OF_DAY_CHOICES)
    day = forms.ChoiceField(label=_("Weekday"), required=False, choices=WEEKDAY_CHOICES)

    def __init__(self, data: Any, *, categories: list[Any]) -> None:
        super().__init__(data)
        category = self.fields["category"]
        source = self.fields["source"]
        assert isinstance(category, forms.ChoiceField) and isinstance(source, forms.ChoiceField)
        category.choices = [("", _("All categories")), *((c.code, c.name) for c in categories)]
        source.choices = [("", _("All kinds of organisation")), *OrganisationKind.choices]

    def filters(self) -> WeekFilters:
        """The filters chosen; none when the form is not valid."""
        if not self.is_valid():
            return WeekFilters()
        d = self.cleaned_data
        return WeekFilters(category=d["category"] or "", source=d["source"] or "", time_of_day=d["time"] or "",
                           weekday=int(d["day"]) if d["day"] else 0)
