"""Forms of the weekly meeting record and of the actions. Choices (the area's parties)
come from the selectors; the services check them again. Every edit of an existing row
carries its version (optimistic locking: ``show_conflict`` keeps the input on a 409)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.directory.models import Organisation
from samverkan.frontend.forms import StyledFormMixin, VersionedForm
from samverkan.picture.models import ActionStatus
from samverkan.picture.selectors.meetings import Order
from samverkan.picture.services.meetings import ACTION_TEXT_MAX, NOTE_MAX, SEEN_MAX
from samverkan.picture.text import identity_number_problem, likely_names

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
PLACES_NOT_PEOPLE = _("Write about places and events, never about people: no names and no identity numbers.")




def _no_identity_number(value: str) -> str:
    problem = identity_number_problem(value)
    if problem:
        raise forms.ValidationError(problem, code="identity_number")
    return value


class RecordForm(VersionedForm):
    held_on = forms.DateField(label=_("Date held"), required=False, widget=DATE_WIDGET)
    participants = forms.TypedMultipleChoiceField(
        label=_("Organisations present"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple,
    )
    seen = forms.CharField(
        label=_("What we saw"), max_length=SEEN_MAX, required=False, widget=forms.Textarea(attrs={"rows": 8}),
        help_text=PLACES_NOT_PEOPLE,
    )
    # Shown only once the text seems to name people (``clean``).
    names_checked = forms.BooleanField(
        label=_("I have checked the text: the capitalised words are places, not people"), required=False,
        widget=forms.HiddenInput,
    )

    def __init__(self, *args: Any, parties: Sequence[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participants"].choices = [(o.pk, o.name) for o in parties]  # type: ignore[attr-defined]
        self.names: tuple[str, ...] = ()

    def clean_seen(self) -> str:
        return _no_identity_number(self.cleaned_data.get("seen", ""))

    def clean(self) -> dict[str, Any]:
        """Names are discouraged, not refused: a text that seems to hold some is saved
        only once the writer has ticked that they checked it."""
        cleaned = super().clean() or {}
        self.names = likely_names(cleaned.get("seen", "") or "")
        if self.names and not cleaned.get("names_checked"):
            self.fields["names_checked"].widget = forms.CheckboxInput()
            self.add_error("seen", _("The text seems to name people (%(names)s). Remove the names, or tick that "
                                     "you have checked they are places.") % {"names": ", ".join(self.names)})
        return cleaned


class ActionForm(StyledFormMixin, forms.Form):
    text = forms.CharField(
        label=_("What is done"), max_length=ACTION_TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=PLACES_NOT_PEOPLE,
    )
    organisation = forms.TypedChoiceField(label=_("Responsible organisation"), coerce=int)
    due_on = forms.DateField(label=_("Due date"), widget=DATE_WIDGET)

    def __init__(self, *args: Any, parties: Sequence[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [  # type: ignore[attr-defined]
            ("", _("Choose an organisation")), *[(o.pk, o.name) for o in parties]
        ]

    def clean_text(self) -> str:
        return _no_identity_number(self.cleaned_data.get("text", ""))


FOLLOW_UP_CHOICES = [
    (ActionStatus.DONE, _("Done")),
    (ActionStatus.NOT_DONE, _("Not done")),
    (ActionStatus.CANCELLED, _("Cancelled")),
    (ActionStatus.OPEN, _("Still open")),
]


class _AboutOneAction(VersionedForm):
    """A form repeated once per action on a page: its fields are also described by the
    action's own text (``about``: the id of the element holding it), so a screen reader
    says which action "Status" belongs to."""

    def __init__(self, *args: Any, about: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.about = about
        self._describe()

    def _describe(self) -> None:
        if not self.about:
            return
        for field in self.fields.values():
            if not isinstance(field.widget, forms.HiddenInput):
                existing = field.widget.attrs.get("aria-describedby", "")
                if self.about not in existing.split():
                    field.widget.attrs["aria-describedby"] = f"{self.about} {existing}".strip()

    def full_clean(self) -> None:
        super().full_clean()
        self._describe()


class FollowUpForm(_AboutOneAction):
    status = forms.ChoiceField(label=_("Status"), choices=FOLLOW_UP_CHOICES)
    note = forms.CharField(label=_("Follow-up note"), max_length=NOTE_MAX, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def clean_note(self) -> str:
        return _no_identity_number(self.cleaned_data.get("note", ""))


class ActionStatusForm(_AboutOneAction):
    status = forms.ChoiceField(label=_("Status"), choices=FOLLOW_UP_CHOICES)


class ActionFilterForm(StyledFormMixin, forms.Form):
    area = forms.TypedChoiceField(label=_("Area"), coerce=int, required=False, empty_value=None)
    mine = forms.BooleanField(label=_("Only my organisation's"), required=False)
    overdue = forms.BooleanField(label=_("Only overdue"), required=False)
    order = forms.ChoiceField(
        label=_("Sort by due date"), required=False,
        choices=[(Order.DUE, _("Earliest first")), (Order.DUE_LATEST, _("Latest first"))],
    )

    def __init__(self, *args: Any, areas: Sequence[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", _("All areas")), *[(a.pk, a.name) for a in areas]]  # type: ignore[attr-defined]
