"""The request type of a staff page.

Every URL outside the public allowlist passes ``access.middleware.FailClosedMiddleware``
and a view guard first, so by the time a guarded view runs, ``request.user`` is a
logged-in staff ``User`` with a verified second factor, never ``AnonymousUser``. Views
say so in their signature (``request: AuthenticatedHttpRequest``) and pass
``request.user`` to services typed ``actor: User``. Public views keep ``HttpRequest``.
"""

from __future__ import annotations

from django.http import HttpRequest

from samverkan.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User
