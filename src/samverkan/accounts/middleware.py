"""Session idle timeout and absolute lifetime (configurable, see settings)."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from samverkan.audit import services as audit
from samverkan.audit.actions import Action

SESSION_LOGIN_AT = "samverkan_login_at"
SESSION_LAST_SEEN = "samverkan_last_seen"
SESSION_ENDED_NOTICE = "samverkan_session_ended"
# Write last-seen at most this often, so a page view does not always write the session.
_TOUCH_EVERY_S = 60


class SessionLifetimeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            now = time.time()
            session = request.session
            login_at = session.get(SESSION_LOGIN_AT)
            last_seen = session.get(SESSION_LAST_SEEN, login_at)
            idle = settings.SESSION_IDLE_TIMEOUT_MINUTES * 60
            absolute = settings.SESSION_ABSOLUTE_TIMEOUT_MINUTES * 60
            if (
                login_at is None
                or now - login_at > absolute
                or (last_seen and now - last_seen > idle)
            ):
                audit.record(
                    action=Action.SESSION_EXPIRED,
                    actor=user,
                    subject_type="user",
                    subject_id=user.pk,
                    subject_organisation_id=user.organisation_id,
                )
                logout(request)
                # MessageMiddleware runs after this one, so leave a note in the fresh
                # session that the login page turns into a message.
                request.session[SESSION_ENDED_NOTICE] = True
                return redirect(settings.LOGIN_URL)
            if not last_seen or now - last_seen >= _TOUCH_EVERY_S:
                session[SESSION_LAST_SEEN] = now
        elif SESSION_KEY in request.session:
            # The session names a user who can no longer authenticate (disabled or
            # deleted): end it, so re-enabling the account does not revive it.
            request.session.flush()
        return self.get_response(request)
