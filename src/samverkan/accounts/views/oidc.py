"""Logging in through the municipality's identity provider (OIDC, mozilla-django-oidc),
on only when configured. ``accounts.oidc`` (and with it mozilla-django-oidc) is imported
by the view that uses it, so a deployment without OIDC never loads it."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse

from samverkan.access.guards import public


@public
def oidc_authenticate(request: HttpRequest) -> HttpResponse:
    if not settings.OIDC_ENABLED:
        raise Http404
    from samverkan.accounts.oidc import SamverkanOIDCRequestView  # deferred: mozilla-django-oidc only where OIDC is on

    return SamverkanOIDCRequestView.as_view()(request)


@public
def oidc_callback(request: HttpRequest) -> HttpResponse:
    if not settings.OIDC_ENABLED:
        raise Http404
    from samverkan.accounts.oidc import SamverkanOIDCCallbackView  # deferred: mozilla-django-oidc only where OIDC is on

    return SamverkanOIDCCallbackView.as_view()(request)
