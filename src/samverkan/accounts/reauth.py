"""Re-authentication before sensitive operations (password and code again)."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

F = TypeVar("F", bound=Callable[..., Any])

SESSION_REAUTH_AT = "samverkan_reauth_at"
SESSION_REAUTH_FAILURES = "samverkan_reauth_failures"
# Wrong password-or-code attempts on the re-authentication page before the session ends.
REAUTH_MAX_FAILURES = 5


def recently_authenticated(request: HttpRequest) -> bool:
    at = request.session.get(SESSION_REAUTH_AT)
    if not isinstance(at, int | float):
        return False
    return time.time() - at <= settings.SAMVERKAN_REAUTH_MAX_AGE_MINUTES * 60


def mark_reauthenticated(request: HttpRequest) -> None:
    request.session[SESSION_REAUTH_AT] = time.time()
    request.session.pop(SESSION_REAUTH_FAILURES, None)


def reauth_failed(request: HttpRequest) -> bool:
    """Count a failed re-authentication; True when the session has had too many and
    must end (the password check here is not behind the login throttle)."""
    failures = int(request.session.get(SESSION_REAUTH_FAILURES, 0)) + 1
    request.session[SESSION_REAUTH_FAILURES] = failures
    return failures >= REAUTH_MAX_FAILURES


def require_recent_auth(view: F) -> F:
    """Send the user to the re-authentication page unless they confirmed their password
    and code within SAMVERKAN_REAUTH_MAX_AGE_MINUTES. Keeps any guard marks of ``view``.

    A POST that arrives without fresh authentication is not carried out: the user is
    sent back to the page they came from after confirming, and submits again.
    """

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not recently_authenticated(request):
            back = request.path if request.method == "GET" else _referer_path(request)
            return redirect(f"{reverse('accounts:reauth')}?next={quote(back, safe='/')}")
        return view(request, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


def _referer_path(request: HttpRequest) -> str:
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()}):
        return urlsplit(referer).path
    return reverse("frontend:home")
