from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.frontend.forms import StyledFormMixin


class ReminderForm(StyledFormMixin, forms.Form):
    due_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(
        label=_("What to remember"),
        max_length=300,
        help_text=_("Only you see this. It is never sent by e-mail."),
    )


class ReminderFilterForm(StyledFormMixin, forms.Form):
    """The "my reminders" filters (GET): kind, case, order, and whether done ones show.
    The kinds and cases offered are those among the user's own reminders."""

    typ = forms.ChoiceField(label=_("Kind"), required=False)
    arende = forms.ChoiceField(label=_("Case"), required=False)
    ordning = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[
            ("soonest", _("Soonest first")),
            ("latest", _("Latest first")),
            ("kind", _("By kind")),
        ],
    )
    klara = forms.BooleanField(label=_("Show done reminders too"), required=False)

    def __init__(
        self,
        *args: Any,
        kinds: list[tuple[str, str]],
        cases: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["typ"].choices = [("", _("All kinds")), *kinds]  # type: ignore[attr-defined]
        self.fields["arende"].choices = [("", _("All cases")), *cases]  # type: ignore[attr-defined]
