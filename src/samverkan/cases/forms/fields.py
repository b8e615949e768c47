"""Form fields shared by the case forms (and the data-protection requests)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.audit.services import looks_personal


class PurposeField(forms.CharField):
    """The stated purpose of a look-up or an export. It is stored in the audit trail,
    which must never hold personal data: identity numbers and e-mail addresses are
    refused with a message saying why."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 300)
        kwargs.setdefault("min_length", 10)
        super().__init__(**kwargs)
        self.widget.attrs.update({"autocomplete": "off"})

    def clean(self, value: Any) -> str:
        text: str = super().clean(value)
        if looks_personal(text):
            raise forms.ValidationError(
                _("The purpose is logged: write why you need it (e.g. a request number), "
                  "without identity numbers or e-mail addresses."),
                code="personal_data",
            )
        return text
