from __future__ import annotations

from typing import Any

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from samverkan.cases.models import TeamMember
from samverkan.frontend.forms import StyledFormMixin
from samverkan.meetings.models import Attendee, MeetingKind, ParticipantAttendance
from samverkan.plans.forms import VersionedForm


def _member_label(member: Any) -> str:
    return f"{member.user.get_full_name()} – {member.organisation.name}"


class MeetingForm(VersionedForm):
    kind = forms.ChoiceField(
        label=_("Kind of meeting"), choices=MeetingKind.choices, initial=MeetingKind.FOLLOW_UP
    )
    starts_at = forms.DateTimeField(
        label=_("Date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    # Shown only once the time was refused as a clash with another booking (clashes_confirmed).
    clash_ok = forms.BooleanField(
        label=_("Yes, book it anyway"), required=False, widget=forms.HiddenInput
    )
    place = forms.CharField(label=_("Place"), max_length=200)
    attendees = forms.ModelMultipleChoiceField(
        label=_("Invited from the team"),
        queryset=TeamMember.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    participant_attendance = forms.ChoiceField(
        label=_("The participant"),
        initial=ParticipantAttendance.INVITED,
        choices=[
            (ParticipantAttendance.INVITED, _("Invited")),
            (ParticipantAttendance.NOT_INVITED, _("Not invited")),
        ],
    )
    agenda = forms.CharField(
        label=_("Agenda"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args: Any, team: Any, new: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = team  # type: ignore[attr-defined]
        self.fields["attendees"].label_from_instance = _member_label  # type: ignore[attr-defined]
        if new:
            self.fields["version"].required = False

    def clashes_confirmed(self, clashes: list[Any]) -> bool:
        """False (and the time refused with a warning and a "book it anyway" box) when the
        case already has a planned meeting at about the same time and the user has not
        ticked the box; True otherwise. Call after is_valid()."""
        if not clashes or self.cleaned_data.get("clash_ok"):
            return True
        self.fields["clash_ok"].widget = forms.CheckboxInput(attrs={"class": "govuk-checkboxes__input"})
        times = ", ".join(
            formats.date_format(timezone.localtime(m.starts_at), "Y-m-d H:i") for m in clashes
        )
        self.add_error(
            "starts_at",
            _(
                "The case already has a meeting booked at %(times)s. Check that this is not "
                "the same meeting, or tick “Yes, book it anyway”."
            )
            % {"times": times},
        )
        return False


class AttendanceForm(VersionedForm):
    attended = forms.ModelMultipleChoiceField(
        label=_("Attended"),
        queryset=Attendee.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    participant_attendance = forms.ChoiceField(
        label=_("The participant"),
        widget=forms.RadioSelect,
        choices=[
            (ParticipantAttendance.ATTENDED, _("Attended")),
            (ParticipantAttendance.ABSENT, _("Absent")),
            (ParticipantAttendance.NOT_INVITED, _("Not invited")),
        ],
    )

    def __init__(self, *args: Any, attendees: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attended"].queryset = attendees  # type: ignore[attr-defined]
        self.fields["attended"].label_from_instance = (  # type: ignore[attr-defined]
            lambda a: f"{a.user.get_full_name()} – {a.organisation.name}"
        )


class MinutesForm(VersionedForm):
    text = forms.CharField(
        label=_("Minutes"), max_length=20000, widget=forms.Textarea(attrs={"rows": 8})
    )
    sign = forms.BooleanField(
        label=_("Sign now (signed minutes cannot be changed)"), required=False
    )

    def __init__(self, *args: Any, new: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if new:
            self.fields["version"].required = False
        else:
            del self.fields["sign"]


class SignForm(VersionedForm):
    pass


class CancelForm(VersionedForm):
    pass


class DecisionForm(StyledFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Decision"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    responsible = forms.ModelChoiceField(
        label=_("Responsible"),
        queryset=TeamMember.objects.none(),
        required=False,
        empty_label=_("Nobody in particular"),
    )
    due_on = forms.DateField(
        label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, team: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = team  # type: ignore[attr-defined]
        self.fields["responsible"].label_from_instance = _member_label  # type: ignore[attr-defined]
