from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from samverkan.accounts.models import Role
from samverkan.directory.models import Organisation
from samverkan.frontend.forms import StyledFormMixin


class LoginForm(StyledFormMixin, AuthenticationForm):
    username = forms.CharField(label=_("Username"), max_length=150,
                               widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}))
    password = forms.CharField(label=_("Password"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    error_messages = {
        "invalid_login": _("Wrong username or password."),
        "inactive": _("This account is disabled."),
    }


class TokenForm(StyledFormMixin, forms.Form):
    token = forms.CharField(
        label=_("Code"), max_length=16, min_length=6,
        help_text=_("The 6-digit code from your authenticator app, or a recovery code."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def clean_token(self) -> str:
        return str(self.cleaned_data["token"]).replace(" ", "").strip()


class EnrolForm(StyledFormMixin, forms.Form):
    token = forms.CharField(
        label=_("Code from the app"), max_length=6, min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


class ReauthForm(StyledFormMixin, forms.Form):
    password = forms.CharField(label=_("Password"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    token = forms.CharField(label=_("Code"), max_length=16, min_length=6,
                            widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}))


class UserForm(StyledFormMixin, forms.Form):
    username = forms.RegexField(label=_("Username"), max_length=150, regex=r"^[a-z0-9_.-]+$",
                                error_messages={"invalid": _("Use lower-case letters, digits, dots, hyphens and underscores.")})
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"))
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())
    roles = forms.ModelMultipleChoiceField(label=_("Roles"), queryset=Role.objects.none(),
                                           widget=forms.CheckboxSelectMultiple, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, roles: Any, organisations: Any | None, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["roles"].queryset = roles
        self.fields["roles"].label_from_instance = lambda role: role.label  # type: ignore[attr-defined]
        if organisations is None:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = organisations
        if editing:
            del self.fields["username"]
            self.fields.pop("organisation", None)
