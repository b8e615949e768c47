"""Forms of the list: its filters, a nomination, a rating, a removal."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.directory.models import Area
from samverkan.frontend.forms import StyledFormMixin
from samverkan.people.forms import IdentityNumberField
from samverkan.trefas.models import Rating
from samverkan.trefas.selectors.listing import FLAGS

_RATING_CHOICES = [(Rating.RED, _("Red")), (Rating.YELLOW, _("Yellow")), (Rating.GREEN, _("Green"))]


class ListFilterForm(StyledFormMixin, forms.Form):
    """The list's filters, read from the query string: a value that is not one of the
    choices is no filter (the page still answers, with the whole list)."""

    rating = forms.ChoiceField(label=_("Rating"), required=False, choices=[("", _("All")), *_RATING_CHOICES])
    flag = forms.ChoiceField(label=_("Flag"), required=False, choices=[("", _("All")), *FLAGS])

    def filters(self) -> dict[str, str]:
        """The valid filters (an invalid one is dropped, not an error page)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {"rating": data.get("rating") or "", "flag": data.get("flag") or ""}


class RatingFields(forms.Form):
    rating = forms.ChoiceField(
        label=_("Rating"), choices=[("", _("Choose")), *_RATING_CHOICES],
        help_text=_("Red: acute risk of killing or being killed. Yellow: lower risk. Green: calm for now."),
    )
    rating_reason = forms.CharField(
        label=_("Reason for the rating"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("In words, without intelligence details: those are shared through a reviewed share."),
    )


class NominateForm(StyledFormMixin, RatingFields):
    identity = IdentityNumberField(label=_("Identity number"))
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    birth_date = forms.DateField(
        label=_("Date of birth"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Optional: it follows from the identity number and is checked against it."),
    )
    protected_identity = forms.BooleanField(label=_("The person has protected personal data"), required=False)
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.none(), required=False,
                                  empty_label=_("Choose an area"))
    nomination_reason = forms.CharField(
        label=_("Why on the list (in words)"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}),
    )
    source_reference = forms.CharField(
        label=_("Reference in your own records"), max_length=120, required=False,
        help_text=_("E.g. a report or case number. Only your organisation sees it."),
    )
    field_order = ["identity", "first_name", "last_name", "birth_date", "protected_identity", "area",
                   "nomination_reason", "source_reference", "rating", "rating_reason"]

    def __init__(self, *args: Any, areas: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["area"]
        field.queryset = areas  # type: ignore[attr-defined]
        field.required = areas.exists()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        identity = data.get("identity")
        birth = data.get("birth_date")
        if identity is not None and birth is not None and birth != identity.birth_date:
            self.add_error("birth_date", _("The date of birth does not match the identity number (%(date)s).")
                           % {"date": identity.birth_date.isoformat()})
        if identity is not None and identity.birth_date > timezone.localdate():
            self.add_error("identity", _("The date of birth is in the future."))
        return data


class RateForm(StyledFormMixin, RatingFields):
    version = forms.IntegerField(widget=forms.HiddenInput)


class RemoveForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why the person leaves the list"), max_length=300, min_length=5,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(
        label=_("I understand that removal cannot be undone: the person would have to be nominated again."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
