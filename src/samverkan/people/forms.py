"""Forms about people: identity numbers and guardians."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.frontend.forms import StyledFormMixin
from samverkan.lib.identity_numbers import IdentityNumber, IdentityNumberError, parse


class IdentityNumberField(forms.CharField):
    """A personnummer or samordningsnummer; cleans to an IdentityNumber with a specific
    error message for each kind of mistake."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 13)
        kwargs.setdefault("help_text", _("YYYYMMDD-NNNC or YYMMDD-NNNC"))
        super().__init__(**kwargs)
        self.widget.attrs.update({"autocomplete": "off", "spellcheck": "false", "inputmode": "numeric"})

    def clean(self, value: Any) -> IdentityNumber:
        text = super().clean(value)
        try:
            return parse(text, today=timezone.localdate())
        except IdentityNumberError as exc:
            raise forms.ValidationError(exc.message, code=str(exc.code)) from None


class GuardianForm(StyledFormMixin, forms.Form):
    identity = IdentityNumberField(label=_("Identity number"))
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)

    def __init__(self, *args: Any, child_identity: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._child_identity = child_identity

    def clean_identity(self) -> Any:
        identity = self.cleaned_data["identity"]
        if identity.digits == self._child_identity:
            raise forms.ValidationError(_("That is the participant's own identity number."))
        if identity.age_on(timezone.localdate()) < 18:
            raise forms.ValidationError(_("A guardian must be an adult (18 or over)."))
        return identity
