"""View guards. Every view carries exactly one of these, or the request is refused.

- ``@public``: no login (only views named in PUBLIC_VIEWS may use it).
- ``@login_only``: logged in, two-factor not yet done (enrolment, verification, logout).
- ``@require_permission(Permission.X, ...)``: logged in, 2FA verified, holds any of the
  permissions (object-level checks then happen in the policy-scoped selectors).
- ``@verified_user``: logged in and 2FA verified; for pages every staff user has
  (home page, own account), which show only the user's own data.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.urls import reverse

from samverkan.access import policy
from samverkan.access.permissions import Permission

F = TypeVar("F", bound=Callable[..., Any])

PUBLIC = "public"
LOGIN_ONLY = "login_only"
VERIFIED = "verified"
PERMISSION = "permission"

ATTR = "samverkan_guard"

# The explicit public allowlist: dotted paths of views reachable without login.
PUBLIC_VIEWS = frozenset(
    {
        "samverkan.accounts.views.login.login_view",
        "samverkan.accounts.views.password.password_set_view",
        "samverkan.accounts.views.oidc.oidc_authenticate",
        "samverkan.accounts.views.oidc.oidc_callback",
        "samverkan.frontend.views.set_language",
        "samverkan.home.views.health",
        # The organisation's logo and colour, shown on the public pages too
        "samverkan.directory.views.identity_logo",
        "samverkan.directory.views.identity_theme",
        # Public pages for residents and the anonymous tip channel
        "samverkan.public.views.overview",
        "samverkan.public.views.area",
        "samverkan.public.views.set_language",
        "samverkan.public.views.poll",
        "samverkan.tips.views.submit",
        "samverkan.tips.views.receipt",
    }
)

SESSION_IDP_MFA = "samverkan_idp_mfa"


def _mark(func: F, level: str, permissions: tuple[Permission, ...] = ()) -> F:
    setattr(func, ATTR, level)
    func.samverkan_permissions = permissions  # type: ignore[attr-defined]
    return func


def public(func: F) -> F:
    dotted = f"{func.__module__}.{func.__qualname__}"
    if dotted not in PUBLIC_VIEWS:
        raise RuntimeError(f"{dotted} is not on access.guards.PUBLIC_VIEWS")
    return _mark(func, PUBLIC)


def login_only(func: F) -> F:
    return _mark(func, LOGIN_ONLY)


def verified_user(func: F) -> F:
    return _mark(func, VERIFIED)


def require_permission(*permissions: Permission) -> Callable[[F], F]:
    """Allow a verified user holding any of ``permissions``; 403 otherwise."""
    if not permissions:
        raise ValueError("require_permission needs at least one Permission")

    def decorator(view: F) -> F:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if not any(policy.has_permission(request.user, p) for p in permissions):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return _mark(cast(F, wrapper), PERMISSION, permissions)

    return decorator


def guard_level(view_func: Callable[..., Any]) -> str | None:
    level = getattr(view_func, ATTR, None)
    if level is None:
        # Class-based views: as_view() keeps the class on view_class.
        view_class = getattr(view_func, "view_class", None)
        level = getattr(view_class, ATTR, None) if view_class else None
    return level


def two_factor_satisfied(request: HttpRequest) -> bool:
    user = request.user
    if getattr(user, "is_verified", None) and user.is_verified():  # type: ignore[union-attr]
        return True
    return bool(request.session.get(SESSION_IDP_MFA))


def two_factor_url(request: HttpRequest) -> str:
    """The code page for a user with a confirmed authenticator, else enrolment."""
    # This module loads with access.middleware, which the logging configuration imports
    # (its request-id filter) before the app registry is ready: no model at module level.
    from django_otp.plugins.otp_totp.models import TOTPDevice  # deferred: a model, see above

    if TOTPDevice.objects.devices_for_user(request.user, confirmed=True).exists():
        return reverse("accounts:verify")
    return reverse("accounts:enrol")


def unguarded_view(request: HttpRequest, view_func: Callable[..., Any]) -> None:
    # Fail closed: a view nobody guarded is refused, loudly in the logs (no PII).
    logging.getLogger("samverkan.access").error(
        "refused unguarded view %s.%s", view_func.__module__, getattr(view_func, "__name__", "?")
    )
    raise PermissionDenied
