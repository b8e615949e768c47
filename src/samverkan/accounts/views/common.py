"""What the account views share: the logged-in staff user, the safe next URL, a new
session key at each step up in assurance, the demo code."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.middleware.csrf import rotate_token
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from samverkan.accounts import selectors
from samverkan.accounts.checks import demo_mode_active
from samverkan.accounts.models import User


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
