"""Two-factor authentication: the code step, enrolling an authenticator app, the own
account page and recovery codes."""

from __future__ import annotations

import base64

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from samverkan.access.guards import login_only, verified_user
from samverkan.accounts import selectors, services
from samverkan.accounts.forms import EnrolForm, TokenForm
from samverkan.accounts.reauth import require_recent_auth
from samverkan.accounts.views.common import _demo_code, _next_url, _renew_session, _staff
from samverkan.audit import services as audit
from samverkan.audit.actions import Action


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
