"""Forms of the forum's meetings and actions. Choices (members, organisations, listed
people) come from the selectors as ids and labels; the services check them again."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.frontend.forms import StyledFormMixin, VersionedForm
from samverkan.trefas.models import ActionStatus
from samverkan.trefas.services.actions import TITLE_HELP, TITLE_MAX
from samverkan.trefas.services.meetings import MINUTES_MAX

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")




class MeetingPlanForm(StyledFormMixin, forms.Form):
    scheduled_for = forms.DateTimeField(label=_("Date and time"), widget=DATETIME_WIDGET)
    place = forms.CharField(label=_("Place"), max_length=200,
                            help_text=_("A room or an address. The place is shown to every member of the forum."))


def _ids(choices: Sequence[tuple[int, str]]) -> list[tuple[int, str]]:
    return [(pk, label) for pk, label in choices]


class AttendanceForm(VersionedForm):
    present = forms.TypedMultipleChoiceField(
        label=_("Present"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick the members who took part. The others are recorded as absent."),
    )

    def __init__(self, *args: Any, members: Sequence[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = _ids(members)  # type: ignore[attr-defined]


class DiscussedForm(VersionedForm):
    listings = forms.TypedMultipleChoiceField(
        label=_("Discussed at the meeting"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick everyone the meeting went through. Their review flags are updated."),
    )

    def __init__(self, *args: Any, listings: Sequence[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["listings"].choices = _ids(listings)  # type: ignore[attr-defined]


class MinutesForm(VersionedForm):
    minutes = forms.CharField(
        label=_("Minutes"), max_length=MINUTES_MAX, required=False, widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("What was decided and why. Every member of the forum reads the minutes: write no "
                    "intelligence about a person; that is shared only through a reviewed share."),
    )


class ActionForm(StyledFormMixin, forms.Form):
    organisation = forms.TypedChoiceField(label=_("Organisation"), coerce=int)
    responsible = forms.TypedChoiceField(label=_("Responsible person (optional)"), coerce=int, required=False,
                                         empty_value=None,
                                         help_text=_("A member of the forum from the same organisation."))
    title = forms.CharField(label=_("What is done"), max_length=TITLE_MAX, help_text=TITLE_HELP)
    due_on = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    listing = forms.TypedChoiceField(label=_("About (optional)"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, organisations: Sequence[tuple[int, str]], members: Sequence[tuple[int, str]],
                 listings: Sequence[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [("", _("Choose an organisation")), *_ids(organisations)]  # type: ignore[attr-defined]
        self.fields["responsible"].choices = [("", _("Nobody named")), *_ids(members)]  # type: ignore[attr-defined]
        self.fields["listing"].choices = [("", _("Nobody in particular")), *_ids(listings)]  # type: ignore[attr-defined]

    @property
    def due_at(self) -> datetime:
        """The end of the due day, in local time."""
        return timezone.make_aware(datetime.combine(self.cleaned_data["due_on"], time(23, 59)))


class ActionStatusForm(VersionedForm):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
