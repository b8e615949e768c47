"""Forms of the promised police presence and the police's weekly figure."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.agreement.forms.common import DATE_WIDGET, Choices, VersionForm, set_choices


class PresencePromiseForm(VersionForm):
    area = forms.TypedChoiceField(label=_("Area"), coerce=int)
    what = forms.CharField(label=_("What is promised"), max_length=200,
                           help_text=_("For example: community police officers on foot."))
    unit = forms.CharField(label=_("Unit"), max_length=60, help_text=_("For example: officers, hours."))
    per_week = forms.DecimalField(label=_("Promised per week"), max_digits=8, decimal_places=1,
                                  min_value=Decimal("0.1"))

    def __init__(self, *args: Any, areas: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "area", areas)


class PresenceReportForm(VersionForm):
    week = forms.DateField(label=_("A day in the week"), widget=DATE_WIDGET,
                           help_text=_("The figure is for the whole week (Monday to Sunday) of this day."))
    value = forms.DecimalField(label=_("Reported for the week"), max_digits=8, decimal_places=1,
                               min_value=Decimal(0))
    note = forms.CharField(label=_("Note (optional)"), max_length=300, required=False,
                           help_text=_("No names or personal data."))
