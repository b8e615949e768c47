"""Request-wide security middleware: request ids, NUL characters refused, fail-closed guard,
no-store caching."""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from samverkan.access import guards
from samverkan.lib.log_privacy import redacted_traceback
from samverkan.lib.request_context import current_request_id, set_request_id

Handler = Callable[[HttpRequest], HttpResponse]


class RequestIdMiddleware:
    """Give each request an opaque id that audit rows and log lines carry."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = uuid.uuid4().hex
        token = set_request_id(request_id)
        try:
            response = self.get_response(request)
        finally:
            set_request_id(None, token=token)
        response["X-Request-ID"] = request_id
        return response


class ForwardedForCheckMiddleware:
    """Warn, once per process, when a request carries X-Forwarded-For while
    TRUSTED_PROXY_COUNT is 0.

    The application then sits behind a proxy it does not trust, so every resident is
    counted under the proxy's address: the tip form's rate limit and login throttling
    would refuse everyone at once. The warning names the setting, never the header's
    value (it is a client's address)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        self.armed = settings.SAMVERKAN_TRUSTED_PROXY_COUNT <= 0
        self.lock = threading.Lock()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.armed and "HTTP_X_FORWARDED_FOR" in request.META:
            with self.lock:
                warn, self.armed = self.armed, False
            if warn:
                logging.getLogger("samverkan.access").warning(
                    "Requests arrive with X-Forwarded-For but TRUSTED_PROXY_COUNT=0: every "
                    "client counts as the proxy's address for rate limits and login "
                    "throttling. Set TRUSTED_PROXY_COUNT to the number of reverse proxies "
                    "in front of Samverkan."
                )
        return self.get_response(request)


class NulCharacterMiddleware:
    """Answer 400 to a request whose path or query string holds a NUL character.

    No link or form of ours sends one, and PostgreSQL can neither store nor compare text
    that holds one (the driver refuses the query): a view filtering on such a value would
    answer 500. Refused here, once, before any view reads the value."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            raise BadRequest("NUL character in the request")
        return self.get_response(request)


class RequestIdLogFilter(logging.Filter):
    """Adds the request id to every record and withholds exception messages.

    A logged exception keeps its type and its code locations (file, line, function, for
    each exception in the chain) but not its message: database errors quote row values
    (e.g. a unique key's identity number), and other exceptions may quote names or text
    the user wrote. Installed on every handler in settings.LOGGING."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id() or "-"
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = redacted_traceback(record.exc_info[1])
        return True


class FailClosedMiddleware:
    """Refuse every view that is neither on the public allowlist nor guarded.

    Order of decisions for the resolved view:
    1. ``@public`` views (and only those listed in access.guards.PUBLIC_VIEWS) pass.
    2. Otherwise the user must be logged in -> else redirect to login.
    3. ``@login_only`` views (2FA set-up/verify, logout) pass.
    4. Otherwise two-factor verification is required -> else redirect to verify/enrol.
    5. The view must carry a guard from access.guards, else 403 (a forgotten guard
       never silently exposes a page; the URL-walk test catches it first).
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., HttpResponse], view_args: object, view_kwargs: object
    ) -> HttpResponse | None:
        level = guards.guard_level(view_func)
        if level == guards.PUBLIC:
            return None
        user = request.user
        if not user.is_authenticated:
            return redirect(f"{reverse(settings.LOGIN_URL)}?next={_safe_next(request)}")
        if level == guards.LOGIN_ONLY:
            return None
        if not guards.two_factor_satisfied(request):
            return redirect(guards.two_factor_url(request))
        if level is None:
            guards.unguarded_view(request, view_func)
        return None


def _safe_next(request: HttpRequest) -> str:
    # Only the path: query strings could carry search terms.
    return quote(request.path, safe="/")


# Set on a response by mark_shared_asset: NoStoreMiddleware keeps its Cache-Control.
_SHARED_ASSET_ATTR = "samverkan_shared_asset"


def mark_shared_asset(response: HttpResponse, *, max_age: int) -> HttpResponse:
    """Let browsers keep ``response`` for ``max_age`` seconds, for everyone, logged in or
    not. Only for a public view's answer that carries no personal data and is the same
    for every visitor, at a URL that changes when it does (the organisation's theme and
    logo, ?v=<version>): the one exception NoStoreMiddleware makes."""
    response["Cache-Control"] = f"public, max-age={max_age}"
    setattr(response, _SHARED_ASSET_ATTR, True)
    return response


class NoStoreMiddleware:
    """Authenticated pages must never be cached by browsers or proxies.

    Any response to a logged-in user (even one only half-way through two-factor) gets
    ``no-store``, replacing whatever a view set, except a shared asset (mark_shared_asset:
    the theme and the logo, the same for everyone, no personal data). Anonymous responses
    keep a Cache-Control a view set on purpose (the public pages' short public caching);
    any other anonymous response (login page, set-password page, errors) gets
    ``no-store`` too.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(response, _SHARED_ASSET_ATTR, False) and response.status_code == 200:
            return response
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store, private"
            response["Pragma"] = "no-cache"
        return response
