"""Setting a password from the one-time link an administrator issued."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from samverkan.access.guards import public
from samverkan.accounts import selectors, services
from samverkan.accounts.models import User
from samverkan.frontend.forms import style_form

# Django's pattern (PasswordResetConfirmView): the first request moves the token from the
# URL into the session and redirects to the same URL with this word in its place, so the
# token is not in the address bar, the history, a Referer or any later log line.
PASSWORD_LINK_SESSION_TOKEN = "samverkan_password_link_token"
PASSWORD_LINK_URL_TOKEN = "valj"


def password_link_hours() -> int:
    """How long a set-password link works (PASSWORD_RESET_TIMEOUT), in whole hours."""
    return max(1, settings.PASSWORD_RESET_TIMEOUT // 3600)


def _password_link_invalid(request: HttpRequest) -> HttpResponse:
    request.session.pop(PASSWORD_LINK_SESSION_TOKEN, None)
    return render(request, "accounts/password_link_invalid.html", status=404)


@public
@require_http_methods(["GET", "POST"])
def password_set_view(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """Set a password from the one-time link an administrator issued.

    The link stops working once a password is set with it (or the person logs in), when
    it expires (PASSWORD_RESET_TIMEOUT) and when the account is disabled; a dead link
    gets a page saying so (404), in every session that had opened it."""
    if token != PASSWORD_LINK_URL_TOKEN:
        if selectors.user_from_password_link(uidb64=uidb64, token=token) is None:
            return _password_link_invalid(request)
        request.session[PASSWORD_LINK_SESSION_TOKEN] = token
        return redirect("accounts:password_set", uidb64=uidb64, token=PASSWORD_LINK_URL_TOKEN)
    user = selectors.user_from_password_link(
        uidb64=uidb64, token=str(request.session.get(PASSWORD_LINK_SESSION_TOKEN, ""))
    )
    if user is None:
        return _password_link_invalid(request)
    form = style_form(SetPasswordForm(user, request.POST or None))
    if request.method == "POST" and form.is_valid():
        services.user_password_set(user=user, password=form.cleaned_data["new_password1"])
        request.session.pop(PASSWORD_LINK_SESSION_TOKEN, None)
        if request.user.is_authenticated:
            update_session_auth_hash(request, user)
        messages.success(request, _("Your password is set. Log in with it."))
        return redirect("accounts:login")
    return render(request, "accounts/password_set.html", {"form": form})


def password_link(request: HttpRequest, user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return request.build_absolute_uri(reverse("accounts:password_set", args=[uid, token]))
