from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.actiongroups.models import ActionGroup
from samverkan.actiongroups.selectors import groups_visible_to
from samverkan.frontend.forms import StyledFormMixin, model_choice_field
from samverkan.rostering.models import Expert, ExpertLeave, PatternKind, RosterRules

if TYPE_CHECKING:
    from samverkan.accounts.models import User

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]
SHIFT_CODES = [("D", _("Day (D)")), ("E", _("Evening (E)")), ("N", _("Night (N)"))]


def _words(text: str) -> list[str]:
    return sorted({w.strip() for w in text.replace(";", ",").split(",") if w.strip()})


class ExpertForm(StyledFormMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    agency = model_choice_field(Expert, "agency", empty_label=_("Choose an agency"))
    user = model_choice_field(
        Expert, "user", empty_label=_("No user account"),
        help_text=_("Only if the expert logs in to see their own calendar."),
    )
    qualifications_text = forms.CharField(
        label=_("Qualifications"),
        required=False,
        max_length=300,
        help_text=_("Separate with commas, e.g. arabic, somali, financial investigation."),
    )
    home_groups = forms.ModelMultipleChoiceField(
        queryset=ActionGroup.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Home groups"),
    )
    extra_groups = forms.ModelMultipleChoiceField(
        queryset=ActionGroup.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Groups the expert may also serve"),
    )
    wanted = forms.MultipleChoiceField(
        label=_("Wanted shifts"),
        choices=SHIFT_CODES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    avoided = forms.MultipleChoiceField(
        label=_("Shifts to avoid"),
        choices=SHIFT_CODES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    avoided_days = forms.TypedMultipleChoiceField(
        label=_("Days to avoid"),
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Expert
        fields = [
            "agency",
            "first_name",
            "last_name",
            "user",
            "contract_hours_per_week",
            "night_allowed",
            "active",
        ]

    def __init__(self, *args: Any, agencies: Any, groups: Any, users: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]
        self.fields["home_groups"].queryset = groups  # type: ignore[attr-defined]
        self.fields["extra_groups"].queryset = groups  # type: ignore[attr-defined]
        self.fields["user"].queryset = users  # type: ignore[attr-defined]
        inst = self.instance
        if inst.pk:
            self.initial.update(
                {
                    "qualifications_text": ", ".join(inst.qualifications or []),
                    "home_groups": list(inst.home_groups.all()),
                    "extra_groups": list(inst.extra_groups.all()),
                    "wanted": inst.wanted_shift_codes,
                    "avoided": inst.avoided_shift_codes,
                    "avoided_days": inst.avoided_weekdays,
                    "version": inst.version,
                }
            )

    def apply(self) -> Expert:
        expert: Expert = self.save(commit=False)
        d = self.cleaned_data
        expert.qualifications = _words(d.get("qualifications_text") or "")
        expert.wanted_shift_codes = list(d.get("wanted") or [])
        expert.avoided_shift_codes = list(d.get("avoided") or [])
        expert.avoided_weekdays = list(d.get("avoided_days") or [])
        return expert


class LeaveForm(StyledFormMixin, forms.ModelForm):
    kind = model_choice_field(ExpertLeave, "kind", radios=True)

    class Meta:
        model = ExpertLeave
        fields = ["kind", "starts_at", "ends_at"]
        widgets = {
            "starts_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "ends_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("The leave must end after it starts."))
        return data


class PatternForm(StyledFormMixin, forms.Form):
    pattern_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    kind = forms.ChoiceField(label=_("Shift pattern"), choices=PatternKind.choices)
    custom_text = forms.CharField(
        label=_("Custom shifts"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One shift per line: code, start, hours and, if you like, its breaks — e.g. "
            "'D 07:00 10 11:00-11:30 15:00-15:30'. A shift without breaks gets 30-minute "
            "breaks spaced so that no one works longer without a break than the rules allow. "
            "Used with the custom pattern."
        ),
    )


class SicknessReplanForm(StyledFormMixin, forms.Form):
    """Re-planning after sickness that may change shifts inside the notice period (ATL 12 §)."""

    reason = forms.CharField(
        label=_("Why shifts must change at short notice"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Kept with the new version. Say what happened, e.g. 'Three experts sick in week 2' "
            "— no names or health details."
        ),
    )


class RulesForm(StyledFormMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = RosterRules
        fields = [*RosterRules.RULE_FIELDS, *RosterRules.WEIGHT_FIELDS]


def _next_monday() -> dt.date:
    today = timezone.localdate()
    return today + dt.timedelta(days=(7 - today.weekday()) % 7 or 7)


class SolveForm(StyledFormMixin, forms.Form):
    period_start = forms.DateField(
        label=_("First day"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Usually a Monday."),
    )
    weeks = forms.IntegerField(label=_("Weeks"), min_value=1, max_value=8, initial=4)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period_start"].initial = _next_monday()


class SwapForm(StyledFormMixin, forms.Form):
    to_expert = forms.ModelChoiceField(label=_("Give the shift to"), queryset=Expert.objects.none(),
                                       empty_label=_("Choose a colleague"))
    return_shift_id = forms.ChoiceField(label=_("In exchange for (optional)"), required=False)

    def __init__(
        self,
        *args: Any,
        colleagues: list[Expert],
        return_choices: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_expert"].queryset = Expert.objects.filter(  # type: ignore[attr-defined]
            pk__in=[c.pk for c in colleagues]
        ).order_by("last_name", "first_name")
        self.fields["return_shift_id"].choices = [  # type: ignore[attr-defined]
            ("", _("Nothing (hand over the shift)")),
            *return_choices,
        ]


class UploadForm(StyledFormMixin, forms.Form):
    group = forms.ModelChoiceField(label=_("Action group"), queryset=ActionGroup.objects.none(),
                                   empty_label=_("Choose an action group"))
    period_start = forms.DateField(
        label=_("First day of the period"), widget=forms.DateInput(attrs={"type": "date"})
    )
    weeks = forms.IntegerField(label=_("Weeks"), min_value=1, max_value=8, initial=4)
    file = forms.FileField(label=_("Roster file (CSV)"))

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the groups the actor may see (access.policy.scope_action_groups).
        self.fields["group"].queryset = groups_visible_to(actor=actor)  # type: ignore[attr-defined]
        self.fields["file"].widget.attrs.update(
            {"class": "govuk-file-upload", "accept": ".csv,text/csv"}
        )
