"""Staff administration: system administrators manage every account, organisation
administrators those of their own organisation."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from samverkan.access.guards import require_permission
from samverkan.access.permissions import Permission
from samverkan.accounts import selectors, services
from samverkan.accounts.forms import UserForm
from samverkan.accounts.reauth import require_recent_auth
from samverkan.accounts.views.common import _staff
from samverkan.accounts.views.password import password_link, password_link_hours
from samverkan.directory.selectors import organisations_for_user_admin
from samverkan.frontend.confirm import confirm_page, confirmed
from samverkan.lib.concurrency import show_conflict, stored_version
from samverkan.lib.params import whole_number

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
    active = request.POST.get("active") == "1"
    try:
        services.user_set_active_check(actor=actor, user=user, active=active)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("accounts:user_detail", user_id=user.pk)
    if not active and user.is_active and not confirmed(request):
        name = user.get_full_name() or user.username
        return confirm_page(
            request,
            heading=_("Disable the account of %(name)s?") % {"name": name},
            consequence=_(
                "%(name)s is logged out everywhere at once and can no longer log in. Their "
                "cases, notes and history stay as they are."
            )
            % {"name": name},
            irreversible=_(
                "Sessions ended now cannot be restored. An administrator can enable the account "
                "again later."
            ),
            submit=_("Yes, disable the account"),
            destructive=True,
            cancel_url=reverse("accounts:user_detail", args=[user.pk]),
            details=[(_("Username"), user.username), (_("Organisation"), user.organisation.name)],
        )
    try:
        services.user_set_active(actor=actor, user=user, active=active)
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
    services.require_can_manage_user(actor=actor, user=user)
    if not confirmed(request):
        name = user.get_full_name() or user.username
        return confirm_page(
            request,
            heading=_("Reset the two-factor login of %(name)s?") % {"name": name},
            consequence=_(
                "Their authenticator app and recovery codes stop working now and they are logged "
                "out everywhere. At next login they set up a new app."
            ),
            irreversible=_("The old authenticator and recovery codes cannot be restored."),
            submit=_("Yes, reset two-factor login"),
            destructive=True,
            cancel_url=reverse("accounts:user_detail", args=[user.pk]),
            details=[(_("Username"), user.username), (_("Organisation"), user.organisation.name)],
        )
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
