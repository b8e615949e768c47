"""Forms of a follow-up meeting: its date, and its record (each commitment's status and
evidence, the notes, the organisations present)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.agreement.forms.common import DATE_WIDGET, Choices, VersionForm, set_choices
from samverkan.agreement.models import Commitment, CommitmentStatus
from samverkan.frontend.forms import style_form


class FollowUpNewForm(VersionForm):
    held_on = forms.DateField(label=_("Held on"), widget=DATE_WIDGET)


class FollowUpRecordForm(VersionForm):
    """One status and one evidence field per commitment (``status_<id>``,
    ``evidence_<id>``), then the notes and who was present."""

    notes = forms.CharField(label=_("Notes"), max_length=6000, required=False,
                            widget=forms.Textarea(attrs={"rows": 6}))
    participants = forms.TypedMultipleChoiceField(label=_("Organisations present"), coerce=int, required=False,
                                                  widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, commitments: list[Commitment], organisations: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "participants", organisations)
        self.commitments = commitments
        for c in commitments:
            self.fields[f"status_{c.pk}"] = forms.ChoiceField(label=_("Status"), choices=CommitmentStatus.choices)
            self.fields[f"evidence_{c.pk}"] = forms.CharField(label=_("Evidence"), max_length=4000, required=False,
                                                              widget=forms.Textarea(attrs={"rows": 2}))
        style_form(self)  # the per-commitment fields are added after the mixin styled the others

    def rows(self) -> list[tuple[Commitment, forms.BoundField, forms.BoundField]]:
        return [(c, self[f"status_{c.pk}"], self[f"evidence_{c.pk}"]) for c in self.commitments]

    def reviews(self) -> dict[int, tuple[str, str]]:
        data = self.cleaned_data
        return {c.pk: (data[f"status_{c.pk}"], data.get(f"evidence_{c.pk}", "")) for c in self.commitments}
