"""The client's address, trusting X-Forwarded-For only from our own proxies.

With TRUSTED_PROXY_COUNT = N > 0 (the number of reverse proxies in front of the app that
each append to X-Forwarded-For), the client is the N-th address from the right; anything
further left was written by the client and is ignored. With N = 0, REMOTE_ADDR.
Used by login throttling (django-axes) and by public rate limiting; never stored in
plain form outside django-axes' own short-lived lockout rows.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    count = getattr(settings, "SAMVERKAN_TRUSTED_PROXY_COUNT", 0)
    remote = request.META.get("REMOTE_ADDR", "") or ""
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < count:
        return remote
    return forwarded[-count]
