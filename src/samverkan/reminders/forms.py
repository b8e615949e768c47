from __future__ import annotations

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
