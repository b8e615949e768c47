from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from samverkan.accounts.models import Role
from samverkan.accounts.selectors import is_disabled_account
from samverkan.directory.models import Organisation
from samverkan.frontend.forms import StyledFormMixin


class LoginForm(StyledFormMixin, AuthenticationForm):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _("Wrong username or password."),
        "inactive": _("This account is disabled. Contact your organisation administrator."),
    }

    def clean(self) -> dict[str, Any]:
        try:
            cleaned: dict[str, Any] = super().clean()
            return cleaned
        except forms.ValidationError as exc:
            # ModelBackend refuses a disabled account like a wrong password. Say it is
            # disabled, but only to someone who knows the password (reveals nothing else).
            if exc.code == "invalid_login" and self._is_disabled_account():
                raise forms.ValidationError(
                    self.error_messages["inactive"], code="inactive"
                ) from None
            raise

    def _is_disabled_account(self) -> bool:
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if not username or not password:
            return False
        return is_disabled_account(username=username, password=password)


class TokenForm(StyledFormMixin, forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=16,
        min_length=6,
        help_text=_("The 6-digit code from your authenticator app, or a recovery code."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_token(self) -> str:
        token = str(self.cleaned_data["token"]).replace(" ", "").strip()
        # Recovery codes are shown as 12345-67890; accept them typed without the hyphen.
        if len(token) == 10 and token.isdigit():
            token = f"{token[:5]}-{token[5:]}"
        return token


class EnrolForm(StyledFormMixin, forms.Form):
    token = forms.CharField(
        label=_("Code from the app"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class ReauthForm(StyledFormMixin, forms.Form):
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    token = forms.CharField(
        label=_("Code"),
        max_length=16,
        min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args: Any, needs_password: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not needs_password:
            # Single sign-on users have no local password: the code alone re-authenticates.
            del self.fields["password"]


class RoleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.label)


class UserForm(StyledFormMixin, forms.Form):
    username = forms.RegexField(
        label=_("Username"),
        max_length=150,
        regex=r"^[a-z0-9_.-]+$",
        error_messages={
            "invalid": _("Use lower-case letters, digits, dots, hyphens and underscores.")
        },
    )
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"))
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(),
        empty_label=_("Choose an organisation"),
    )
    roles = RoleChoiceField(
        label=_("Roles"),
        queryset=Role.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        roles: Any,
        organisations: Any | None,
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        roles_field = self.fields["roles"]
        assert isinstance(roles_field, forms.ModelMultipleChoiceField)
        roles_field.queryset = roles
        if organisations is None:
            del self.fields["organisation"]
        else:
            organisation_field = self.fields["organisation"]
            assert isinstance(organisation_field, forms.ModelChoiceField)
            organisation_field.queryset = organisations
        if editing:
            del self.fields["username"]
            self.fields.pop("organisation", None)
