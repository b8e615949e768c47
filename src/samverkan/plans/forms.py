from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.cases.models import InformationCategory, TeamMember
from samverkan.frontend.forms import StyledFormMixin
from samverkan.lib.concurrency import show_conflict
from samverkan.plans.models import (
    OPEN_COMMITMENT_STATUSES,
    PLAN_ENTRY_CATEGORIES,
    CommitmentStatus,
    Goal,
    GoalStatus,
    LifeArea,
)

STALE = _(
    "Someone else saved this while you were editing. Nothing you wrote is lost: your text is "
    "still in the form, and what they saved is shown beside it. Save again to replace theirs "
    "with yours, or change yours first."
)

CATEGORY_HELP = _(
    "Who may read it follows the consent for this category. Choose a more specific one (e.g. "
    "school or health) when the entry is about that."
)


class VersionedForm(StyledFormMixin, forms.Form):
    """Carries the version the editor loaded (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def show_conflict(self, current_version: int) -> int:
        """A save met StaleEdit: keep the editor's input, say what happened, and return
        the status for the page (409; the page shows the stored version beside)."""
        return show_conflict(self, current_version, message=STALE)


class GoalForm(VersionedForm):
    life_area = forms.ChoiceField(label=_("Life area"), choices=LifeArea.choices)
    title = forms.CharField(
        label=_("Goal"),
        max_length=300,
        help_text=_("What the participant wants to achieve, in their own words."),
    )
    description = forms.CharField(
        label=_("How we will know it is reached"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=GoalStatus.choices, initial=GoalStatus.ONGOING
    )
    category = forms.ChoiceField(
        label=_("Information category"),
        choices=PLAN_ENTRY_CATEGORIES,
        initial=InformationCategory.PLAN,
        help_text=CATEGORY_HELP,
    )

    def __init__(self, *args: Any, new: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if new:
            del self.fields["status"]
            self.fields["version"].required = False


class CommitmentForm(VersionedForm):
    goal = forms.ModelChoiceField(
        label=_("Goal"),
        queryset=Goal.objects.none(),
        required=False,
        empty_label=_("No particular goal"),
    )
    description = forms.CharField(
        label=_("What will be done"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    responsible = forms.ModelChoiceField(
        label=_("Responsible"),
        queryset=TeamMember.objects.none(),
        empty_label=_("Choose a person"),
        help_text=_("A member of the case team. Their organisation makes the commitment."),
    )
    due_on = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))
    # Shown only once a due date in the past has been refused (clean): the user confirms it.
    past_ok = forms.BooleanField(
        label=_("Yes, the date is in the past"), required=False, widget=forms.HiddenInput
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=CommitmentStatus.choices, initial=CommitmentStatus.PLANNED
    )
    follow_up_note = forms.CharField(
        label=_("Follow-up note"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    category = forms.ChoiceField(
        label=_("Information category"),
        choices=PLAN_ENTRY_CATEGORIES,
        initial=InformationCategory.PLAN,
        help_text=CATEGORY_HELP,
    )

    def __init__(
        self,
        *args: Any,
        goals: Any,
        team: Any,
        new: bool = False,
        previous_due: date | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.previous_due = previous_due  # an unchanged date is not asked about again
        self.fields["goal"].queryset = goals  # type: ignore[attr-defined]
        self.fields["goal"].label_from_instance = (  # type: ignore[attr-defined]
            lambda g: f"{g.get_life_area_display()}: {g.title}"
        )
        self.fields["responsible"].queryset = team  # type: ignore[attr-defined]
        self.fields["responsible"].label_from_instance = (  # type: ignore[attr-defined]
            lambda m: f"{m.user.get_full_name()} – {m.organisation.name}"
        )
        if new:
            self.fields["version"].required = False


    def clean(self) -> dict[str, Any]:
        """An open commitment due on a date that has passed is saved only when the user
        ticks "Yes, the date is in the past" (it would be printed in the participant's plan)."""
        data = super().clean() or {}
        due, status = data.get("due_on"), data.get("status", CommitmentStatus.PLANNED)
        if (
            due is not None
            and due < timezone.localdate()
            and due != self.previous_due
            and status in OPEN_COMMITMENT_STATUSES
            and not data.get("past_ok")
        ):
            self.fields["past_ok"].widget = forms.CheckboxInput()
            self.add_error(
                "due_on",
                _(
                    "The due date %(date)s has passed. Check the date, or tick “Yes, the date "
                    "is in the past” to save it anyway."
                )
                % {"date": due.isoformat()},
            )
        return data


class FollowUpForm(VersionedForm):
    status = forms.ChoiceField(label=_("Status"), choices=CommitmentStatus.choices)
    follow_up_note = forms.CharField(
        label=_("Follow-up note"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SummaryForm(VersionedForm):
    summary = forms.CharField(
        label=_("Overall aim, in the participant's words"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class EstablishForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
