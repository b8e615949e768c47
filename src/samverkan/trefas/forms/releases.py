"""Forms of releases and leaves: register, cancel, and an action of the release plan."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.directory.models import Organisation
from samverkan.frontend.forms import StyledFormMixin
from samverkan.trefas.models import ReleaseKind


class ReleaseForm(StyledFormMixin, forms.Form):
    listing = forms.TypedChoiceField(label=_("Person on the list"), coerce=int)
    kind = forms.ChoiceField(label=_("Release or leave"), choices=ReleaseKind.choices, widget=forms.RadioSelect)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, listings: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["listing"].choices = list(listings)  # type: ignore[attr-defined]

    def clean_date(self) -> Any:
        value = self.cleaned_data["date"]
        if value < timezone.localdate():
            raise forms.ValidationError(_("The date has passed."))
        return value


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class PlanActionForm(StyledFormMixin, forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none(),
                                          empty_label=_("Choose an organisation"))
    title = forms.CharField(label=_("What is to be done"), max_length=300,
                            help_text=_("In plain words. Write no names and no conditions: share those."))
    due_on = forms.DateField(label=_("Done by"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]

    def clean_due_on(self) -> Any:
        value = self.cleaned_data["due_on"]
        if value < timezone.localdate():
            raise forms.ValidationError(_("The date has passed."))
        return value
