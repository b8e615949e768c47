"""Forms of the coordinating function: naming a coordinator (a picker narrowed by a
search over the scope's own staff, never every user), changing one, generating a year's
cycle, moving a step and marking it done."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.accounts.models import User
from samverkan.frontend.forms import StyledFormMixin


def _person_label(user: Any) -> str:
    name = user.get_full_name() or user.get_username()
    return f"{name} ({user.organisation.name})" if user.organisation_id else name


class CandidateSearchForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("Search staff by name"), required=False, max_length=80,
                        help_text=_("Only staff of the municipality's or the district's own offices are listed."))


class CoordinatorAddForm(StyledFormMixin, forms.Form):
    user = forms.ModelChoiceField(label=_("Coordinator"), queryset=User.objects.none(),
                                  empty_label=_("Choose a person"))
    tasks = forms.CharField(label=_("Tasks"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000,
                            help_text=_("For example: keeps the lägesbild up to date, runs the yearly cycle, "
                                        "is the police's contact."))
    since = forms.DateField(label=_("Coordinator since"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        field.queryset = candidates  # type: ignore[attr-defined]
        field.label_from_instance = _person_label  # type: ignore[attr-defined]
        self.fields["since"].initial = timezone.localdate()


class CoordinatorEditForm(StyledFormMixin, forms.Form):
    tasks = forms.CharField(label=_("Tasks"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000)
    since = forms.DateField(label=_("Coordinator since"), widget=forms.DateInput(attrs={"type": "date"}))
    active = forms.BooleanField(label=_("Still the coordinator"), required=False,
                                help_text=_("Untick when the assignment ends; the person stays in the history."))
    version = forms.IntegerField(widget=forms.HiddenInput)


class CycleGenerateForm(StyledFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)


class StepEditForm(StyledFormMixin, forms.Form):
    due_on = forms.DateField(label=_("Due"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note"), required=False, max_length=300)
    version = forms.IntegerField(widget=forms.HiddenInput)


class StepDoneForm(StyledFormMixin, forms.Form):
    done_on = forms.DateField(label=_("Done on"), widget=forms.DateInput(attrs={"type": "date"}))
    confirm = forms.BooleanField(label=_("Yes, this step is done"))
    version = forms.IntegerField(widget=forms.HiddenInput)
