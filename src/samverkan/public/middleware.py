"""Middleware of the public site: the early page cache, and staff pages in staff languages.

EarlyPublicCacheMiddleware (placed right after RequestIdMiddleware) answers anonymous
GETs of the public area pages and overview from a full-response cache; see
samverkan.public.cache for exactly what may be served and stored.

The language cookie is shared by the whole site, and the public pages offer more
languages (Arabic, Somali, Easy Swedish) than the staff pages are translated into. A
view not marked as a public-site page (frontend.public_pages.public_site) therefore
falls back to the default language when the chosen one is not a staff language.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from samverkan.frontend.languages import staff_languages
from samverkan.frontend.public_pages import is_public_site
from samverkan.public import cache as public_cache


class EarlyPublicCacheMiddleware:
    """Serve a stored full response to an anonymous public-page GET before sessions,
    CSRF, authentication and the access guard run; store one on the way out.

    Everything that decides whether a request may be answered here looks only at the
    request (method, path, cookies, headers); whether a response may be stored is
    decided on the response the full stack produced (see public.cache.early_store).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        found = public_cache.early_key(request)
        if found is None:
            return self.get_response(request)
        key, language = found
        cached = public_cache.early_lookup(key)
        if cached is None:
            response = self.get_response(request)
            public_cache.early_store(key, language, request, response)
            return response
        if not public_cache.early_claim_refresh(key, request):
            return cached
        # The entry expires soon: this request renders it anew through the full stack.
        try:
            response = self.get_response(request)
            public_cache.early_store(key, language, request, response)
        finally:
            public_cache.early_release_refresh(key)
        return response


class StaffLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., object],
        view_args: object,
        view_kwargs: object,
    ) -> None:
        if is_public_site(view_func):
            return
        if translation.get_language() not in staff_languages():
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = translation.get_language()
