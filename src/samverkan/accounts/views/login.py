"""Logging in with a password, logging out (here or everywhere), re-authentication and
the lockout page."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from samverkan.access.guards import SESSION_IDP_MFA, login_only, public, verified_user
from samverkan.accounts import selectors, services
from samverkan.accounts.backends import PASSWORD_BACKEND
from samverkan.accounts.forms import LoginForm, ReauthForm
from samverkan.accounts.middleware import SESSION_ENDED_NOTICE, SESSION_LAST_SEEN, SESSION_LOGIN_AT
from samverkan.accounts.reauth import mark_reauthenticated, reauth_failed
from samverkan.accounts.views.common import _demo_code, _next_url, _renew_session, _staff
from samverkan.audit import services as audit
from samverkan.audit.actions import Action


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """What django-axes answers for a locked (username, address) pair (AXES_LOCKOUT_CALLABLE).

    Audited with the id of the account the username names, if any; never the username."""
    username = credentials.get("username") if isinstance(credentials, dict) else None
    target = selectors.user_ref_by_username(username=username) if username else None
    audit.record(
        action=Action.LOGIN_LOCKED_OUT,
        subject_type="user" if target else "",
        subject_id=target[0] if target else "",
        subject_organisation_id=target[1] if target else None,
    )
    minutes = round(settings.AXES_COOLOFF_TIME * 60)
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)


@public
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and getattr(request.user, "is_verified", lambda: False)():
        return redirect(_next_url(request))
    if request.session.pop(SESSION_ENDED_NOTICE, False):
        messages.info(request, _("Your session has ended. Please log in again."))
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        login(request, user, backend=PASSWORD_BACKEND)
        now = time.time()
        request.session[SESSION_LOGIN_AT] = now
        request.session[SESSION_LAST_SEEN] = now
        # A password login never inherits an IdP's two-factor assertion.
        request.session.pop(SESSION_IDP_MFA, None)
        mark_reauthenticated(request)
        target = (
            reverse("accounts:verify")
            if selectors.user_has_confirmed_totp(user=user)
            else reverse("accounts:enrol")
        )
        return redirect(f"{target}?{urlencode({'next': _next_url(request)})}")
    return render(
        request,
        "accounts/login.html",
        {"form": form, "next": request.GET.get("next", ""), "oidc_enabled": settings.OIDC_ENABLED},
    )


@login_only
@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("You are logged out."))
    return redirect("accounts:login")


@verified_user
@require_POST
def logout_everywhere_view(request: HttpRequest) -> HttpResponse:
    services.user_logout_everywhere(user=_staff(request))
    logout(request)
    messages.info(request, _("You are logged out on every device."))
    return redirect("accounts:login")


@verified_user
@require_http_methods(["GET", "POST"])
def reauth_view(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    needs_password = user.has_usable_password()
    form = ReauthForm(request.POST or None, needs_password=needs_password)
    if request.method == "POST" and form.is_valid():
        ok_password = user.check_password(form.cleaned_data["password"]) if needs_password else True
        device = (
            services.second_factor_match(user=user, token=form.cleaned_data["token"])
            if ok_password
            else None
        )
        if ok_password and device is not None:
            mark_reauthenticated(request)
            _renew_session(request)
            audit.record(
                action=Action.REAUTHENTICATED,
                actor=user,
                subject_type="user",
                subject_id=user.pk,
                subject_organisation_id=user.organisation_id,
            )
            return redirect(_next_url(request))
        audit.record(
            action=Action.REAUTH_FAILED,
            actor=user,
            subject_type="user",
            subject_id=user.pk,
            subject_organisation_id=user.organisation_id,
        )
        if reauth_failed(request):
            # Too many wrong passwords or codes in this session: it may be stolen.
            logout(request)
            request.session[SESSION_ENDED_NOTICE] = True
            return redirect("accounts:login")
        form.add_error(None, _("Wrong password or code."))
    return render(
        request,
        "accounts/reauth.html",
        {"form": form, "next": request.GET.get("next", ""), "demo_code": _demo_code(user)},
    )
