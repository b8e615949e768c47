"""Reading staff accounts, scoped by the access policy."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.tokens import default_token_generator
from django.db.models import QuerySet
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from samverkan.access import policy
from samverkan.accounts.models import Role, User


def users_visible_to(*, actor: User, organisation_id: int | None = None) -> QuerySet[User]:
    """Users the actor may administer (system admin: all; org admin: own org)."""
    qs = policy.scope_users(actor=actor, queryset=User.objects.all())
    if organisation_id is not None:
        qs = qs.filter(organisation_id=organisation_id)
    return qs.select_related("organisation").prefetch_related("roles").order_by("username")


def get_user_for_admin(*, actor: User, user_id: int) -> User:
    """One user the actor may administer; 404 for anyone outside the actor's scope."""
    user: User = policy.get_or_404(users_visible_to(actor=actor), pk=user_id)
    return user


def assignable_roles(*, actor: User) -> QuerySet[Role]:
    codes = policy.assignable_role_codes(actor=actor)
    qs = Role.objects.all()
    return qs if codes is None else qs.filter(code__in=codes)


def user_ref_by_username(*, username: str) -> tuple[int, int] | None:
    """(user id, organisation id) of the account with exactly this username, or None.

    For auditing authentication attempts by id only; returns no personal data."""
    row = User.objects.filter(username=username).values_list("pk", "organisation_id").first()
    return (row[0], row[1]) if row else None


def is_disabled_account(*, username: str, password: str) -> bool:
    """True only when ``username`` names a disabled account and ``password`` is its
    password, so the login page may say "disabled" without revealing anything to
    someone who does not know the password."""
    user = User.objects.filter(username=username, is_active=False).first()
    return user is not None and user.check_password(password)


def user_from_password_link(*, uidb64: str, token: str) -> User | None:
    """The active user a set-password link names, or None when the link is malformed,
    used (the password changed since), expired (PASSWORD_RESET_TIMEOUT) or for a
    disabled account."""
    try:
        uid = int(force_str(urlsafe_base64_decode(uidb64)))
    except (ValueError, TypeError, OverflowError):
        return None
    user = user_for_password_link(user_id=uid)
    if user is None or not default_token_generator.check_token(user, token):
        return None
    return user


def user_has_confirmed_totp(*, user: Any) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def totp_throttled(*, user: Any) -> bool:
    """True while django-otp refuses to check codes of the user's authenticator
    because of recent wrong codes (OTP_TOTP_THROTTLE_FACTOR)."""
    return any(
        not device.verify_is_allowed()[0]
        for device in TOTPDevice.objects.filter(user=user, confirmed=True)
    )


def demo_current_code(*, user: Any) -> str | None:
    """The code the user's own authenticator shows now (confirmed device first, else the
    one being enrolled). Only for demo mode: callers check accounts.checks.demo_mode_active
    and the user's is_demo flag first."""
    device = newest_totp_device(user=user)
    if device is None:
        return None
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def recovery_codes_remaining(*, user: User) -> int:
    device = StaticDevice.objects.filter(user=user, name="recovery").first()
    return device.token_set.count() if device else 0


def newest_totp_device(*, user: Any) -> TOTPDevice | None:
    """The user's own newest authenticator (confirmed first); for the demo-code hint
    shown to the user themself only."""
    return TOTPDevice.objects.filter(user=user).order_by("-confirmed", "-id").first()


def user_for_password_link(*, user_id: int) -> User | None:
    """The active user a set-password link names, or None. The caller must still check
    the link's token before showing or changing anything."""
    return User.objects.filter(pk=user_id, is_active=True).first()


def user_ids_with_confirmed_totp(*, users: QuerySet[User]) -> set[int]:
    """Ids among ``users`` (already policy-scoped by the caller) with a confirmed
    authenticator; one query."""
    return set(
        TOTPDevice.objects.filter(user__in=users, confirmed=True).values_list("user_id", flat=True)
    )
