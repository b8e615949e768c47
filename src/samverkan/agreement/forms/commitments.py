"""Forms of a party's commitment: the whole commitment while the agreement is a draft,
its status and evidence once signed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.agreement.forms.common import DATE_WIDGET, Choices, VersionForm, set_choices
from samverkan.agreement.models import CommitmentStatus

EVIDENCE_HELP = _("What shows how it is going: a report, figures, a decision. No names of residents.")


class CommitmentStatusForm(VersionForm):
    status = forms.ChoiceField(label=_("Status"), choices=CommitmentStatus.choices)
    evidence = forms.CharField(label=_("Evidence"), max_length=4000, required=False, help_text=EVIDENCE_HELP,
                               widget=forms.Textarea(attrs={"rows": 4}))


class CommitmentForm(CommitmentStatusForm):
    organisation = forms.TypedChoiceField(label=_("Party"), coerce=int)
    text = forms.CharField(label=_("Commitment"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    problem = forms.TypedChoiceField(label=_("Problem it addresses"), coerce=int, required=False, empty_value=None)
    due_on = forms.DateField(label=_("Due"), required=False, widget=DATE_WIDGET)
    field_order = ["organisation", "text", "problem", "due_on", "status", "evidence"]

    def __init__(self, *args: Any, parties: Choices, problems: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "organisation", parties)
        set_choices(self, "problem", problems, blank=_("No particular problem"))
