from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.cases.forms import IdentityNumberField
from samverkan.frontend.forms import StyledFormMixin


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
