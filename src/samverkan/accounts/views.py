"""Login, two-factor, re-authentication, own account, and staff administration."""

from __future__ import annotations

import base64
import time
from typing import Any
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import rotate_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import (
    url_has_allowed_host_and_scheme,
    urlsafe_base64_encode,
)
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from samverkan.access.guards import (
    SESSION_IDP_MFA,
    login_only,
    public,
    require_permission,
    verified_user,
)
from samverkan.access.permissions import Permission
from samverkan.accounts import selectors, services
from samverkan.accounts.backends import PASSWORD_BACKEND
from samverkan.accounts.checks import demo_mode_active
from samverkan.accounts.forms import EnrolForm, LoginForm, ReauthForm, TokenForm, UserForm
from samverkan.accounts.middleware import SESSION_ENDED_NOTICE, SESSION_LAST_SEEN, SESSION_LOGIN_AT
from samverkan.accounts.models import User
from samverkan.accounts.oidc import SamverkanOIDCCallbackView, SamverkanOIDCRequestView
from samverkan.accounts.reauth import mark_reauthenticated, reauth_failed, require_recent_auth
from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.directory.selectors import organisations_for_user_admin
from samverkan.frontend.forms import style_form
from samverkan.lib.concurrency import show_conflict, stored_version
from samverkan.lib.params import whole_number


def _staff(request: HttpRequest) -> User:
    """The logged-in staff user; the view guards have already refused anonymous requests."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def _next_url(request: HttpRequest, default: str = "frontend:home") -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(default)


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


def _renew_session(request: HttpRequest) -> None:
    """A new session key and CSRF token at each step up in assurance (second factor,
    re-authentication), as login() gives at the password step: a key that was planted,
    or seen while the session was only half logged in or not recently confirmed, opens
    nothing after the step. The session's contents stay; the old key is deleted."""
    request.session.cycle_key()
    rotate_token(request)


def _demo_code(user: Any) -> str | None:
    """Demo mode only: the current code of a fictitious demo persona's authenticator."""
    if not (demo_mode_active() and getattr(user, "is_demo", False)):
        return None
    return selectors.demo_current_code(user=user)


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
@require_http_methods(["GET", "POST"])
def verify_view(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    if not selectors.user_has_confirmed_totp(user=user):
        return redirect("accounts:enrol")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.second_factor_match(user=user, token=form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            _renew_session(request)
            recovery = isinstance(device, StaticDevice)
            audit.record(
                action=Action.OTP_RECOVERY_USED if recovery else Action.OTP_VERIFIED,
                actor=user,
                subject_type="user",
                subject_id=user.pk,
                subject_organisation_id=user.organisation_id,
            )
            if recovery:
                messages.warning(
                    request,
                    _(
                        "You used a recovery code. "
                        "Make new ones on your account page if few are left."
                    ),
                )
            return redirect(_next_url(request))
        audit.record(
            action=Action.OTP_FAILED,
            actor=user,
            subject_type="user",
            subject_id=user.pk,
            subject_organisation_id=user.organisation_id,
        )
        if selectors.totp_throttled(user=user):
            form.add_error(
                "token", _("Too many wrong codes. Wait a minute, then enter the newest code.")
            )
        else:
            form.add_error("token", _("The code is wrong or has expired. Try the next code."))
    return render(
        request,
        "accounts/verify.html",
        {"form": form, "demo_code": _demo_code(user), "next": request.GET.get("next", "")},
    )


def _qr_svg(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")


@login_only
@require_http_methods(["GET", "POST"])
def enrol_view(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    if selectors.user_has_confirmed_totp(user=user):
        return redirect("accounts:verify")
    device = services.totp_device_for_enrolment(user=user)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.totp_enrol_confirm(
            user=user, device=device, token=form.cleaned_data["token"]
        )
        if codes is not None:
            otp_login(request, device)
            _renew_session(request)
            return render(
                request, "accounts/recovery_codes.html", {"codes": codes, "first_time": True}
            )
        form.add_error(
            "token",
            _("The code did not match. Check the time on your phone and try the next code."),
        )
    secret = base64.b32encode(device.bin_key).decode("ascii")
    return render(
        request,
        "accounts/enrol.html",
        {
            "form": form,
            "qr_svg": _qr_svg(device.config_url),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "demo_code": _demo_code(user),
        },
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


@verified_user
def account_view(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    return render(
        request,
        "accounts/account.html",
        {
            "recovery_remaining": selectors.recovery_codes_remaining(user=user),
        },
    )


@verified_user
@require_recent_auth
@require_http_methods(["GET", "POST"])
def recovery_codes_view(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        codes = services.recovery_codes_regenerate(user=_staff(request))
        return render(
            request, "accounts/recovery_codes.html", {"codes": codes, "first_time": False}
        )
    return render(
        request,
        "accounts/recovery_codes_confirm.html",
        {"remaining": selectors.recovery_codes_remaining(user=_staff(request))},
    )


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


# --- OIDC (mozilla-django-oidc), on only when configured ----------------------------


@public
def oidc_authenticate(request: HttpRequest) -> HttpResponse:
    if not settings.OIDC_ENABLED:
        raise Http404
    return SamverkanOIDCRequestView.as_view()(request)


@public
def oidc_callback(request: HttpRequest) -> HttpResponse:
    if not settings.OIDC_ENABLED:
        raise Http404
    return SamverkanOIDCCallbackView.as_view()(request)


# --- Staff administration (system admins: all; organisation admins: own org) ----------

_MANAGE = (Permission.ORG_USERS_MANAGE, Permission.ALL_USERS_MANAGE)


@require_permission(*_MANAGE)
def user_list_view(request: HttpRequest) -> HttpResponse:
    actor = _staff(request)
    organisation_id = whole_number(request.GET.get("organisation"))
    users = selectors.users_visible_to(actor=actor, organisation_id=organisation_id)
    totp_users = selectors.user_ids_with_confirmed_totp(users=users)
    organisations = organisations_for_user_admin(actor=actor)
    return render(
        request,
        "accounts/user_list.html",
        {
            "users": users,
            "totp_users": totp_users,
            "organisations": organisations,
            "organisation_id": organisation_id,
        },
    )


@require_permission(*_MANAGE)
@require_recent_auth
@require_http_methods(["GET", "POST"])
def user_create_view(request: HttpRequest) -> HttpResponse:
    actor = _staff(request)
    organisations = organisations_for_user_admin(actor=actor)
    multi_org = organisations.count() > 1
    form = UserForm(
        request.POST or None,
        roles=selectors.assignable_roles(actor=actor),
        organisations=organisations if multi_org else None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_create(
                actor=actor,
                organisation=data.get("organisation") or actor.organisation,
                username=data["username"],
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                role_codes=[r.code for r in data["roles"]],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("The account is created. Give the person the set-password link.")
            )
            request.session["samverkan_password_link"] = password_link(request, user)
            return redirect("accounts:user_detail", user_id=user.pk)
    return render(request, "accounts/user_form.html", {"form": form, "creating": True})


@require_permission(*_MANAGE)
@require_http_methods(["GET", "POST"])
def user_detail_view(request: HttpRequest, user_id: int) -> HttpResponse:
    actor = _staff(request)
    user = selectors.get_user_for_admin(actor=actor, user_id=user_id)
    initial = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "roles": list(user.roles.all()),
        "version": user.version,
    }
    form = UserForm(
        request.POST or None,
        initial=initial,
        roles=selectors.assignable_roles(actor=actor),
        organisations=None,
        editing=True,
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.user_update(
                actor=actor,
                user=user,
                expected_version=int(data.get("version") or 0),
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                role_codes=[r.code for r in data["roles"]],
            )
        except services.StaleEdit:
            status = show_conflict(form, stored_version(user))
        except PermissionDenied:
            form.add_error(None, _("You may not grant these roles or change this account."))
        else:
            messages.success(request, _("Saved."))
            return redirect("accounts:user_detail", user_id=user.pk)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "subject": user,
            "form": form,
            "has_totp": selectors.user_has_confirmed_totp(user=user),
            "password_link": request.session.pop("samverkan_password_link", None),
            "password_link_hours": password_link_hours(),
        },
        status=status,
    )


@require_permission(*_MANAGE)
@require_POST
def user_active_view(request: HttpRequest, user_id: int) -> HttpResponse:
    actor = _staff(request)
    user = selectors.get_user_for_admin(actor=actor, user_id=user_id)
    try:
        services.user_set_active(actor=actor, user=user, active=request.POST.get("active") == "1")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Saved."))
    return redirect("accounts:user_detail", user_id=user.pk)


@require_permission(*_MANAGE)
@require_recent_auth
@require_POST
def user_reset_2fa_view(request: HttpRequest, user_id: int) -> HttpResponse:
    actor = _staff(request)
    user = selectors.get_user_for_admin(actor=actor, user_id=user_id)
    services.user_reset_two_factor(actor=actor, user=user)
    messages.success(
        request, _("Two-factor authentication is reset. The person enrols a new app at next login.")
    )
    return redirect("accounts:user_detail", user_id=user.pk)


@require_permission(*_MANAGE)
@require_recent_auth
@require_POST
def user_password_link_view(request: HttpRequest, user_id: int) -> HttpResponse:
    actor = _staff(request)
    user = selectors.get_user_for_admin(actor=actor, user_id=user_id)
    services.user_password_link_issued(actor=actor, user=user)
    request.session["samverkan_password_link"] = password_link(request, user)
    hours = password_link_hours()
    messages.success(
        request,
        ngettext(
            "A new set-password link is ready; it works once and for %(hours)d hour.",
            "A new set-password link is ready; it works once and for %(hours)d hours.",
            hours,
        )
        % {"hours": hours},
    )
    return redirect("accounts:user_detail", user_id=user.pk)
