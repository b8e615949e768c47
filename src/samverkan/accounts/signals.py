"""Audit of authentication events raised by django.contrib.auth.

These are auth signals, not model signals: Django's login machinery announces them
once per event, so recording here misses nothing (unlike post_save, see conventions).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from samverkan.accounts.selectors import user_ref_by_username
from samverkan.audit import services as audit
from samverkan.audit.actions import Action


@receiver(user_logged_in)
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit.record(
        action=Action.LOGIN,
        actor=user,
        subject_type="user",
        subject_id=user.pk,
        subject_organisation_id=user.organisation_id,
    )


@receiver(user_logged_out)
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit.record(
            action=Action.LOGOUT,
            actor=user,
            subject_type="user",
            subject_id=user.pk,
            subject_organisation_id=user.organisation_id,
        )


@receiver(user_login_failed)
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    # The attempted username is not stored (it may be a mistyped password); only the
    # id of the account it names, if any.
    username = credentials.get("username")
    target = (
        user_ref_by_username(username=username) if isinstance(username, str) and username else None
    )
    audit.record(
        action=Action.LOGIN_FAILED,
        subject_type="user" if target else "",
        subject_id=target[0] if target else "",
        subject_organisation_id=target[1] if target else None,
    )
