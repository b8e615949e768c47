"""Forum administration forms: a forum's settings, a member organisation, a named member."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from samverkan.accounts.models import User
from samverkan.directory.models import Area, District, Organisation
from samverkan.frontend.forms import StyledFormMixin
from samverkan.trefas.models import Forum, ForumRole, MemberKind
from samverkan.trefas.services.admin import CADENCE_MAX, CADENCE_MIN, validate_reminder_weeks


class ReminderWeeksField(forms.CharField):
    """Weeks before a release as text, e.g. "4, 1": whole numbers 1-12, each once."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return ", ".join(str(v) for v in value)
        return value

    def to_python(self, value: Any) -> list[int]:  # type: ignore[override]
        text = super().to_python(value) or ""
        parts = [p for p in re.split(r"[\s,;]+", text.strip()) if p]
        if not parts:
            raise ValidationError(_("Give at least one number of weeks, e.g. 4, 1."), code="empty")
        if not all(p.isdigit() and len(p) <= 3 for p in parts):
            raise ValidationError(_("Write whole numbers of weeks separated by commas, e.g. 4, 1."), code="format")
        return validate_reminder_weeks([int(p) for p in parts])


class ForumForm(StyledFormMixin, forms.ModelForm):
    districts = forms.ModelMultipleChoiceField(
        label=_("Districts"), queryset=District.objects.none(), required=False, widget=forms.CheckboxSelectMultiple)
    areas = forms.ModelMultipleChoiceField(
        label=_("Areas"), queryset=Area.objects.none(), required=False, widget=forms.CheckboxSelectMultiple)
    cadence_days = forms.IntegerField(
        label=_("Meeting cycle (days)"), min_value=CADENCE_MIN, max_value=CADENCE_MAX,
        help_text=_("From 7 to 60 days. Trefas usually meets every third week (21 days)."))
    release_reminder_weeks = ReminderWeeksField(
        label=_("Reminders before a release or leave (weeks)"), max_length=60,
        help_text=_("Whole weeks from 1 to 12, separated by commas, e.g. 4, 1."))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Forum
        fields = ["name", "code", "districts", "areas", "cadence_days", "release_reminder_weeks", "active"]
        help_texts = {"code": _("Lower-case letters, digits and hyphens, e.g. jarva.")}

    def __init__(self, *args: Any, districts: Any, areas: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["districts"].queryset = districts  # type: ignore[attr-defined]
        self.fields["areas"].queryset = areas  # type: ignore[attr-defined]


class ForumOrganisationForm(StyledFormMixin, forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none(),
                                          empty_label=_("Choose an organisation"))
    kind = forms.ChoiceField(label=_("Takes part as"), choices=MemberKind.choices)
    active = forms.BooleanField(label=_("Takes part now"), required=False, initial=True)
    confirm = forms.BooleanField(
        label=_("I understand that the organisation's named members lose access to the forum at once"),
        required=False)

    def __init__(self, *args: Any, organisations: Any, fixed: bool = False, was_active: bool = False,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.was_active = was_active
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        if fixed:
            self.fields["organisation"].disabled = True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.was_active and not data.get("active") and not data.get("confirm"):
            self.add_error("confirm", _("Confirm that the organisation leaves the forum."))
        return data


class MemberForm(StyledFormMixin, forms.Form):
    user = forms.ModelChoiceField(label=_("Person"), queryset=User.objects.none(),
                                  empty_label=_("Choose a person"),
                                  help_text=_("Staff of the forum's member organisations."))
    role = forms.ChoiceField(label=_("Role in the forum"), choices=ForumRole.choices,
                             help_text=_("A jurist must hold the jurist role; a coordinator or member a role "
                                         "that lets them see Trefas forums."))

    def __init__(self, *args: Any, candidates: Any, fixed: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        field.queryset = candidates  # type: ignore[attr-defined]
        field.label_from_instance = _member_label  # type: ignore[attr-defined]
        if fixed:
            field.disabled = True


def _member_label(user: Any) -> str:
    name = user.get_full_name() or user.get_username()
    return f"{name} ({user.organisation.name})" if user.organisation_id else name


class ConfirmForm(StyledFormMixin, forms.Form):
    confirm = forms.BooleanField(label=_("Yes, take this person out of the forum"))
