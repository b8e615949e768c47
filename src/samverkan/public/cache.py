"""Caches for anonymous GETs of the public pages (area pages and the overview).

Two layers share one generation counter and PUBLIC_PAGE_CACHE_SECONDS:

* **View layer** (``cached_page``): the rendered body per language and path. It serves
  any anonymous GET that reaches the view.
* **Early layer** (``early_lookup``/``early_store``, used by
  ``samverkan.public.middleware.EarlyPublicCacheMiddleware`` right after the request-id
  middleware), kept in each worker process: the *whole* response — body plus every header the full middleware stack
  produced when the entry was stored (Content-Security-Policy, X-Frame-Options,
  Content-Language, Vary, Cache-Control, Content-Type). A hit skips sessions, CSRF,
  authentication, the access guard, URL resolution and the view; the outer middleware
  (SecurityMiddleware: nosniff, Referrer-Policy, COOP, HSTS; the request id) still runs.

What may be served early (``early_key``): a GET of a public page path, with no query
string, no Authorization header and no cookie other than the language cookie and the
CSRF cookie (so never with a session cookie: a logged-in user, or one half-way through
logging in, always goes through the full stack). What may be stored (``early_store``):
a 200, not streamed, from a view that went through ``cached_page`` for an anonymous user,
in the language the key names, with a CSP header, setting no cookie, and whose rendering
used neither a CSRF token nor a CSP nonce (either would be replayed to other visitors).

Publishing anything shown there bumps the generation (``invalidate``), which drops every
entry of both layers at once (other worker processes drop their early entries within
GENERATION_CHECK_SECONDS, well inside the max-age browsers may keep the page anyway).
An entry never outlives PUBLIC_PAGE_CACHE_SECONDS counted from when its page was
rendered, so "staffed right now" is never older than that.

While the shared cache is unreachable (samverkan.lib.cache answers "not cached"), there
is no generation to compare with: neither layer serves anything and every request renders
its page anew.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language

from samverkan.lib.cache import CacheUnavailable

_GENERATION = "public:generation"
# Paths of the pages served through cached_page (public/urls.py: "omraden/" and
# "omraden/<slug:code>/"). Only a gate: an entry exists only for a path whose view went
# through cached_page, so a path matching here but served by another view is never stored.
_EARLY_PATH = re.compile(r"^/omraden/(?:[-a-zA-Z0-9_]+/)?$")
# Headers the early layer does not replay: per-response ones (the outer middleware adds
# a fresh request id; Content-Length is recomputed) and anything that could set state.
_NOT_REPLAYED = frozenset({"x-request-id", "set-cookie", "content-length", "x-public-cache"})
_RENDERED_AT = "_samverkan_public_rendered_at"
_FRESHER_THAN = "_samverkan_public_fresher_than"


def invalidate() -> None:
    """Drop every cached public page (call after publishing a change they show)."""
    try:
        cache.incr(_GENERATION)
    except ValueError:
        cache.set(_GENERATION, 1, timeout=None)
    except CacheUnavailable:
        # Redis is away, so nothing can be bumped: the backend keeps this delete and
        # makes it as soon as Redis is back, and what is stored there expires within
        # PUBLIC_PAGE_CACHE_SECONDS of its rendering in any case.
        cache.delete(_GENERATION)
    early_clear()  # other processes follow within GENERATION_CHECK_SECONDS


def _seconds() -> int:
    return int(settings.PUBLIC_PAGE_CACHE_SECONDS)


def _rendering_is_private(request: HttpRequest) -> bool:
    """True when the page just rendered holds something tied to this request: a CSRF
    token (get_token flags the cookie for renewal) or a CSP nonce."""
    return bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE")) or isinstance(
        getattr(request, "_csp_nonce", None), str
    )


def cached_page(request: HttpRequest, render: Callable[[], HttpResponse]) -> HttpResponse:
    seconds = _seconds()
    user = getattr(request, "user", None)
    if seconds <= 0 or request.method != "GET" or (user is not None and user.is_authenticated):
        return render()
    key = f"public:page:{get_language()}:{request.path}"
    # One round trip: the current generation and the stored (generation, body, rendered_at).
    found = cache.get_many([_GENERATION, key])
    generation = found.get(_GENERATION)
    if generation is None:
        cache.add(_GENERATION, 0, timeout=None)
        generation = 0
    entry = found.get(key)
    # A refresh ahead of the early entry's expiry (early_claim_refresh) wants a page
    # rendered after that entry's, or a new rendering.
    fresher_than = getattr(request, _FRESHER_THAN, None)
    if (
        entry is not None
        and len(entry) == 3
        and entry[0] == generation
        and (fresher_than is None or float(entry[2]) > fresher_than)
    ):
        response = HttpResponse(entry[1])
        response["X-Public-Cache"] = "view"
        rendered_at = float(entry[2])
    else:
        rendered_at = time.time()
        response = render()
        if response.status_code == 200 and not response.cookies and not _rendering_is_private(request):
            cache.set(key, (generation, response.content, rendered_at), timeout=seconds)
        else:
            rendered_at = 0.0  # not for the early layer either
    if rendered_at:
        # The early layer may store this response once the full stack has added its headers.
        setattr(response, _RENDERED_AT, (generation, rendered_at))
    # Browsers may reuse the page briefly; the language comes from the cookie or the
    # Accept-Language header, so shared caches must keep the variants apart.
    patch_cache_control(response, public=True, max_age=seconds)
    patch_vary_headers(response, ("Cookie", "Accept-Language"))
    return response


# --- Early layer ---------------------------------------------------------------------
#
# Entries live in this process (a dict, bounded: only real public pages ever get a 200
# from the full stack, and there are a few dozen of them per language). A hit costs no
# network round trip: the shared cache's client is rebuilt on every call and a round
# trip to Redis costs more than everything else a hit does. The generation is read from
# the shared cache at most every GENERATION_CHECK_SECONDS, so a publish made through
# another worker process is seen within that time; one made in this process at once.
# With a process-local cache backend (locmem: tests, demo) there is no other process to
# hear from and a read costs nothing, so the generation is read on every lookup.

GENERATION_CHECK_SECONDS = 1.0
MAX_EARLY_ENTRIES = 2000
# This long before an entry expires, one request (per key and process) goes through the
# full stack to render it anew while the others are still served the valid entry, so
# expiry does not send every concurrent request to the database at once.
REFRESH_AHEAD_SECONDS = 3.0

Entry = tuple[Any, float, tuple[tuple[str, str], ...], bytes]  # generation, rendered_at, headers, body


class _Early:
    """The process-local store: key -> (generation, rendered_at, headers, body)."""

    def __init__(self) -> None:
        self.entries: dict[str, Entry] = {}
        self.refreshing: set[str] = set()
        self.generation: Any = None
        self.checked_at = float("-inf")

    def current_generation(self) -> Any:
        now = time.monotonic()
        interval = 0.0 if _cache_is_local() else GENERATION_CHECK_SECONDS
        if now - self.checked_at >= interval:
            # Entries of an older generation are dropped when next looked up.
            self.generation, self.checked_at = cache.get(_GENERATION), now
        return self.generation

    def clear(self) -> None:
        self.entries = {}
        self.refreshing = set()
        self.checked_at = float("-inf")


_early = _Early()


def _cache_is_local() -> bool:
    return isinstance(caches["default"], LocMemCache)


def early_key(request: HttpRequest) -> tuple[str, str] | None:
    """(key, language) for this request in the early cache, or None when it must take
    the full stack."""
    if request.method != "GET" or _seconds() <= 0:
        return None
    if not _EARLY_PATH.match(request.path_info) or request.META.get("QUERY_STRING"):
        return None
    if "HTTP_AUTHORIZATION" in request.META:
        return None
    allowed = (settings.LANGUAGE_COOKIE_NAME, settings.CSRF_COOKIE_NAME)
    if any(name not in allowed for name in request.COOKIES):
        return None  # the session cookie, messages, anything else: full stack
    # Validates the Host header as the full stack would (DisallowedHost -> 400).
    request.get_host()
    language = translation.get_language_from_request(request, check_path=False)
    return f"{language}:{request.path}", language


def early_lookup(key: str) -> HttpResponse | None:
    """The stored response for ``key`` if it is of the current generation and fresh."""
    entry = _early.entries.get(key)
    if entry is None:
        return None
    generation, rendered_at, headers, body = entry
    expires_at = rendered_at + _seconds()
    if generation is None or generation != _early.current_generation() or time.time() >= expires_at:
        _early.entries.pop(key, None)
        return None
    response = HttpResponse(body)
    for name, value in headers:
        response.headers[name] = value
    response.headers["Content-Length"] = str(len(body))
    response.headers["X-Public-Cache"] = "hit"
    return response


def early_store(
    key: str, language: str, request: HttpRequest, response: HttpResponseBase
) -> bool:
    """Keep ``response`` for the early layer if it is safe to replay to anyone whose
    request maps to ``key``. Returns whether it was stored."""
    marked = getattr(response, _RENDERED_AT, None)
    if marked is None or response.status_code != 200 or not isinstance(response, HttpResponse):
        return False
    if response.cookies or response.has_header("Set-Cookie") or _rendering_is_private(request):
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    if response.get("Content-Language") != language or not response.has_header(
        "Content-Security-Policy"
    ):
        return False
    # The generation the page was rendered (or found) under: if a publish bumped it
    # since, the entry is born stale and never served.
    generation, rendered_at = marked
    if float(rendered_at) + _seconds() <= time.time():
        return False
    headers = tuple(
        (name, value) for name, value in response.items() if name.lower() not in _NOT_REPLAYED
    )
    if len(_early.entries) >= MAX_EARLY_ENTRIES:
        _early.entries = {}
    _early.entries[key] = (generation, float(rendered_at), headers, response.content)
    return True


def early_claim_refresh(key: str, request: HttpRequest) -> bool:
    """True when ``request`` should go through the full stack to render the entry for
    ``key`` anew because it expires within REFRESH_AHEAD_SECONDS (and no other request
    of this process is doing so). The caller must call early_release_refresh(key)."""
    entry = _early.entries.get(key)
    if entry is None or key in _early.refreshing:
        return False
    rendered_at = entry[1]
    if rendered_at + _seconds() - time.time() > REFRESH_AHEAD_SECONDS:
        return False
    _early.refreshing.add(key)
    setattr(request, _FRESHER_THAN, rendered_at)
    return True


def early_release_refresh(key: str) -> None:
    _early.refreshing.discard(key)


def early_entry(key: str) -> Entry | None:
    """The raw early entry for ``key`` (for tests and diagnostics)."""
    return _early.entries.get(key)


def early_clear() -> None:
    """Forget every early entry of this process."""
    _early.clear()
