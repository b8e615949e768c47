"""Changing staff accounts. Every change is authorised by the access policy and
audited in the same transaction."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from samverkan.access import policy
from samverkan.accounts.models import Role, User
from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.directory.models import Organisation
from samverkan.lib.concurrency import StaleEdit as StaleEdit  # re-exported: services.StaleEdit
from samverkan.lib.concurrency import update_versioned

RECOVERY_DEVICE = "recovery"
_RECOVERY_SALT = "samverkan.accounts.recovery-code"


def _check_can_manage(actor: User, organisation_id: int) -> None:
    if not policy.can_manage_organisation_users(actor=actor, organisation_id=organisation_id):
        # Outside the actor's compartment: same answer as "does not exist".
        raise Http404


def _check_can_manage_user(actor: User, user: User) -> None:
    """The actor may change ``user``: same compartment (else 404), and the user holds no
    role the actor could not grant (else 403) -- an organisation administrator must not
    take over, disable or demote a system administrator who belongs to their organisation."""
    _check_can_manage(actor, user.organisation_id)
    allowed = policy.assignable_role_codes(actor=actor)
    if allowed is not None and not set(user.role_codes()) <= allowed:
        raise PermissionDenied


def _check_roles(actor: User, role_codes: list[str]) -> list[Role]:
    allowed = policy.assignable_role_codes(actor=actor)
    if allowed is not None and not set(role_codes) <= allowed:
        raise PermissionDenied
    roles = list(Role.objects.filter(code__in=role_codes))
    if len(roles) != len(set(role_codes)):
        raise ValidationError(_("Unknown role."))
    return roles


def _audit_user(
    action: Action, actor: User | None, user: User, detail: dict[str, Any] | None = None
) -> None:
    audit.record(
        action=action,
        actor=actor,
        subject_type="user",
        subject_id=user.pk,
        subject_organisation_id=user.organisation_id,
        detail=detail,
    )


@transaction.atomic
def user_create(
    *,
    actor: User,
    organisation: Organisation,
    username: str,
    email: str,
    first_name: str,
    last_name: str,
    role_codes: list[str],
) -> User:
    """Create a staff account without a usable password; the person sets one through
    the set-password link (accounts.views.password.password_set_view). Org admins: own org only."""
    _check_can_manage(actor, organisation.pk)
    roles = _check_roles(actor, role_codes)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("That username is taken.")})
    user = User(
        organisation=organisation,
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
    )
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    user.roles.set(roles)
    _audit_user(Action.USER_CREATED, actor, user, {"roles": sorted(role_codes)})
    return user


@transaction.atomic
def user_update(
    *,
    actor: User,
    user: User,
    expected_version: int,
    email: str,
    first_name: str,
    last_name: str,
    role_codes: list[str],
) -> User:
    """Update contact details and roles; refuses a stale edit instead of overwriting."""
    _check_can_manage_user(actor, user)
    roles = _check_roles(actor, role_codes)
    update_versioned(
        User, pk=user.pk, version=expected_version, email=email, first_name=first_name, last_name=last_name
    )
    before = set(user.role_codes())
    after = set(role_codes)
    if before != after:
        # Roles changing affect what the user may see, so existing sessions end.
        user.roles.set(roles)
        User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
        _audit_user(
            Action.USER_ROLES_CHANGED,
            actor,
            user,
            {"added": sorted(after - before), "removed": sorted(before - after)},
        )
    _audit_user(Action.USER_UPDATED, actor, user)
    user.refresh_from_db()
    policy.forget_cached_permissions(user)
    return user


def require_can_manage_user(*, actor: User, user: User) -> None:
    """The actor may change ``user`` (404 outside their compartment, else 403): asked by a
    page before it shows a confirmation."""
    _check_can_manage_user(actor, user)


def user_set_active_check(*, actor: User, user: User, active: bool) -> None:
    """Refuse what ``user_set_active`` would refuse, changing nothing (the page asks before
    it disables): PermissionDenied, or ValidationError for one's own account."""
    _check_can_manage_user(actor, user)
    if user.pk == actor.pk and not active:
        raise ValidationError(_("You cannot disable your own account."))


@transaction.atomic
def user_set_active(*, actor: User, user: User, active: bool) -> User:
    """Disable or enable an account. Disabling ends every session of the user at once
    (their next request is anonymous); nobody may disable their own account."""
    user_set_active_check(actor=actor, user=user, active=active)
    User.objects.filter(pk=user.pk).update(
        is_active=active, session_generation=F("session_generation") + 1, version=F("version") + 1
    )
    _audit_user(Action.USER_ENABLED if active else Action.USER_DISABLED, actor, user)
    user.refresh_from_db()
    return user


@transaction.atomic
def user_reset_two_factor(*, actor: User, user: User) -> None:
    """Remove the user's authenticator and recovery codes (lost phone); the user must
    enrol again at next login. Ends the user's sessions."""
    _check_can_manage_user(actor, user)
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    _audit_user(Action.OTP_RESET, actor, user)


@transaction.atomic
def user_logout_everywhere(*, user: User) -> None:
    """End every session of the user, including the current one."""
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    _audit_user(Action.LOGOUT_EVERYWHERE, user, user)


@transaction.atomic
def user_password_link_issued(*, actor: User, user: User) -> None:
    """Authorise and audit an administrator issuing a one-time set-password link
    (the link itself is made by the view from Django's token generator)."""
    _check_can_manage_user(actor, user)
    _audit_user(Action.USER_PASSWORD_SET_BY_ADMIN, actor, user, {"link": True})


@transaction.atomic
def user_password_set(*, user: User, password: str) -> None:
    """Set the user's own password (already checked by the password validators) and
    audit it. The new hash invalidates the set-password link and ends the user's
    other sessions (the session hash includes the password hash)."""
    user.set_password(password)
    user.save(update_fields=["password"])
    _audit_user(Action.USER_PASSWORD_CHANGED, user, user)


# --- Two-factor -----------------------------------------------------------------


def totp_device_for_enrolment(*, user: User) -> TOTPDevice:
    """The user's unconfirmed authenticator (created on first call)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


@transaction.atomic
def totp_enrol_confirm(*, user: User, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm enrolment if ``token`` is right; returns fresh recovery codes, or None."""
    if device.user_id != user.pk or device.confirmed:
        raise PermissionDenied
    if not device.verify_token(token):
        audit.record(
            action=Action.OTP_FAILED,
            actor=user,
            subject_type="user",
            subject_id=user.pk,
            subject_organisation_id=user.organisation_id,
            detail={"stage": "enrol"},
        )
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    _audit_user(Action.OTP_ENROLLED, user, user)
    return recovery_codes_regenerate(user=user, audit_event=False)


def recovery_code_digests(code: str) -> list[str]:
    """What is stored for a recovery code: a keyed hash (HMAC-SHA256 with SECRET_KEY,
    cut to the 16 characters of django-otp's token column), never the code. The first
    digest uses the current key, the others SECRET_KEY_FALLBACKS, so codes survive a key
    rotation. Spaces, hyphens and case do not matter."""
    canonical = "".join(ch for ch in code if ch not in " -\t").lower()
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [
        salted_hmac(_RECOVERY_SALT, canonical, secret=key, algorithm="sha256").hexdigest()[:16]
        for key in keys
    ]


def recovery_codes_store(*, device: StaticDevice, codes: list[str]) -> None:
    """Replace the device's recovery codes with ``codes``, stored as keyed hashes."""
    device.token_set.all().delete()
    StaticToken.objects.bulk_create(
        [StaticToken(device=device, token=recovery_code_digests(c)[0]) for c in codes]
    )


@transaction.atomic
def recovery_codes_regenerate(*, user: User, audit_event: bool = True) -> list[str]:
    """Replace the user's recovery codes; the new ones are returned once and stored only
    as keyed hashes."""
    device, _created = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_DEVICE)
    codes = [
        f"{secrets.randbelow(10**5):05d}-{secrets.randbelow(10**5):05d}"
        for _ in range(settings.SAMVERKAN_RECOVERY_CODES)
    ]
    recovery_codes_store(device=device, codes=codes)
    if audit_event:
        _audit_user(Action.OTP_RECOVERY_REGENERATED, user, user)
    return codes


@transaction.atomic
def second_factor_match(*, user: User, token: str) -> Device | None:
    """The user's device that accepts ``token`` (and uses it up), or None.

    Each device is checked directly (django-otp's advice) with its own throttling: the
    confirmed authenticator with the code as typed, then the recovery codes by digest.
    A recovery code works once."""
    token = "".join(token.split())
    for totp in TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True):
        if totp.verify_token(token):
            return totp
    digests = recovery_code_digests(token)
    for static in StaticDevice.objects.select_for_update().filter(user=user, confirmed=True):
        stored = static.token_set.filter(token__in=digests).values_list("token", flat=True).first()
        if static.verify_token(stored or digests[0]):
            return static
    return None
