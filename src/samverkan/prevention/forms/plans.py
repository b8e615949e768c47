"""Forms of the åtgärdsplan. Choices (lägesbilder, problems, organisations) come from
selectors.plans as ids and labels; services.plans checks every one again."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.frontend.forms import StyledFormMixin, VersionedForm
from samverkan.lib.concurrency import show_conflict
from samverkan.prevention.models import MeasureStatus
from samverkan.prevention.services.plans import MeasureData

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NUMBER_WIDGET = forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"})


def _date(label: Any, **kwargs: Any) -> forms.DateField:
    return forms.DateField(label=label, widget=DATE_WIDGET, **kwargs)


def _number(label: Any, **kwargs: Any) -> forms.DecimalField:
    return forms.DecimalField(label=label, max_digits=12, decimal_places=2, widget=NUMBER_WIDGET, **kwargs)




class PlanNewForm(StyledFormMixin, forms.Form):
    situation_report = forms.TypedChoiceField(
        label=_("Based on the situation report"), coerce=int,
        help_text=_("Each measure of the plan will name one of its prioritised problems."),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    period_start = _date(_("The plan applies from"))
    period_end = _date(_("The plan applies to"))
    summary = forms.CharField(label=_("Summary (optional)"), max_length=8000, required=False,
                              widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args: Any, reports: Sequence[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["situation_report"].choices = list(reports)  # type: ignore[attr-defined]


class PlanEditForm(VersionedForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    period_start = _date(_("The plan applies from"))
    period_end = _date(_("The plan applies to"))
    summary = forms.CharField(label=_("Summary (optional)"), max_length=8000, required=False,
                              widget=forms.Textarea(attrs={"rows": 6}))
    participants = forms.TypedMultipleChoiceField(
        label=_("Organisations that took part"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("The organisations of the situation report and those responsible for a measure."),
    )

    def __init__(self, *args: Any, organisations: Sequence[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participants"].choices = list(organisations)  # type: ignore[attr-defined]


class AgreeForm(VersionedForm):
    date = _date(_("Agreed on"), help_text=_("The day the parties agreed on the plan."))


class DecideForm(VersionedForm):
    body = forms.CharField(label=_("Deciding body"), max_length=200,
                           help_text=_("For example the district council or the municipal executive board."))
    date = _date(_("Decided on"))
    reference = forms.CharField(label=_("Decision reference"), max_length=120,
                                help_text=_("The paragraph of the minutes or the case number."))


class MeasureForm(StyledFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)
    problem = forms.TypedChoiceField(label=_("The problem it addresses"), coerce=int)
    title = forms.CharField(label=_("Measure"), max_length=200)
    description = forms.CharField(label=_("Description (optional)"), max_length=4000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    organisation = forms.TypedChoiceField(
        label=_("Responsible organisation"), coerce=int,
        help_text=_("Those that took part in the plan come first. Type the first letters of a name to jump to it."),
    )
    starts_on = _date(_("Starts"))
    ends_on = _date(_("Ends"))
    resources = forms.CharField(label=_("Resources (optional)"), max_length=300, required=False,
                                help_text=_("For example staff, hours or money set aside."))
    indicator = forms.CharField(label=_("Indicator"), max_length=200,
                                help_text=_("What is measured to see whether the measure works."))
    indicator_unit = forms.CharField(label=_("Unit (optional)"), max_length=60, required=False,
                                     help_text=_("For example reports per month or per cent."))
    baseline = _number(_("Baseline"), help_text=_("The indicator's value when the measure starts."))
    target = _number(_("Target"), help_text=_("The value the measure aims for."))
    public = forms.BooleanField(label=_("Show on the residents' pages once the plan is decided"), required=False)
    public_summary = forms.CharField(
        label=_("In plain words for residents"), max_length=300, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when shown to residents. Short, plain words; no names of people."),
    )

    def __init__(self, *args: Any, problems: Sequence[tuple[int, str]],
                 organisations: Sequence[tuple[str, list[tuple[int, str]]]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["problem"].choices = [("", _("Choose a problem")), *problems]  # type: ignore[attr-defined]
        self.fields["organisation"].choices = [  # type: ignore[attr-defined]
            ("", _("Choose an organisation")), *organisations]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("public") and not (data.get("public_summary") or "").strip():
            self.add_error("public_summary", _("Write what residents will see, in plain words."))
        return data

    def show_conflict(self, current_version: int | None) -> int:
        return show_conflict(self, current_version)

    def measure_data(self) -> MeasureData:
        d = self.cleaned_data
        return MeasureData(
            problem_id=d["problem"], title=d["title"], organisation_id=d["organisation"], starts_on=d["starts_on"],
            ends_on=d["ends_on"], indicator=d["indicator"], baseline=d["baseline"], target=d["target"],
            description=d["description"], resources=d["resources"], indicator_unit=d["indicator_unit"],
            public=d["public"], public_summary=d["public_summary"],
        )


class ProgressForm(StyledFormMixin, forms.Form):
    recorded_on = _date(_("Date"), initial=timezone.localdate)
    status = forms.ChoiceField(label=_("Status"), choices=MeasureStatus.choices)
    note = forms.CharField(label=_("What was done"), max_length=4000, required=False,
                           widget=forms.Textarea(attrs={"rows": 4}),
                           help_text=_("About the measure, not about people: write no names."))
    indicator_value = _number(_("The indicator's value (optional)"), required=False)

    def value(self) -> Decimal | None:
        value: Decimal | None = self.cleaned_data.get("indicator_value")
        return value
