"""A short server-side cache for anonymous GETs of the public pages.

Rendered bodies are kept per language and path, tagged with the generation, for
PUBLIC_PAGE_CACHE_SECONDS. Publishing anything shown there bumps the generation, so
every cached page is dropped at once. Nothing is ever cached for a logged-in user, and
a response that sets a cookie or is not a 200 is never stored.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language

_GENERATION = "public:generation"


def invalidate() -> None:
    """Drop every cached public page (call after publishing a change they show)."""
    try:
        cache.incr(_GENERATION)
    except ValueError:
        cache.set(_GENERATION, 1, timeout=None)


def cached_page(request: HttpRequest, render: Callable[[], HttpResponse]) -> HttpResponse:
    seconds = int(settings.PUBLIC_PAGE_CACHE_SECONDS)
    user = getattr(request, "user", None)
    if seconds <= 0 or request.method != "GET" or (user is not None and user.is_authenticated):
        return render()
    key = f"public:page:{get_language()}:{request.path}"
    # One round trip: the current generation and the stored (generation, body).
    found = cache.get_many([_GENERATION, key])
    generation = found.get(_GENERATION)
    if generation is None:
        cache.add(_GENERATION, 0, timeout=None)
        generation = 0
    entry = found.get(key)
    if entry is not None and entry[0] == generation:
        response = HttpResponse(entry[1])
        response["X-Public-Cache"] = "hit"
    else:
        response = render()
        if response.status_code == 200 and not response.cookies:
            cache.set(key, (generation, response.content), timeout=seconds)
    # Browsers may reuse the page briefly; the language comes from the cookie or the
    # Accept-Language header, so shared caches must keep the variants apart.
    patch_cache_control(response, public=True, max_age=seconds)
    patch_vary_headers(response, ("Cookie", "Accept-Language"))
    return response
