"""Reading staff accounts, scoped by the access policy."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
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
    return policy.get_or_404(users_visible_to(actor=actor), pk=user_id)  # type: ignore[no-any-return]


def assignable_roles(*, actor: User) -> QuerySet[Role]:
    codes = policy.assignable_role_codes(actor=actor)
    qs = Role.objects.all()
    return qs if codes is None else qs.filter(code__in=codes)


def user_has_confirmed_totp(*, user: Any) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_remaining(*, user: User) -> int:
    device = StaticDevice.objects.filter(user=user, name="recovery").first()
    return device.token_set.count() if device else 0
