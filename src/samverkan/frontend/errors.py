"""Error pages that reveal nothing: no paths, no query strings, no exception text."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template import loader


def _render(request: HttpRequest, template: str, status: int) -> HttpResponse:
    try:
        body = loader.render_to_string(template, {"status": status}, request=request)
    except Exception:  # the database may be what failed; fall back to static text
        body = loader.render_to_string("errors/plain.html", {"status": status})
    return HttpResponse(body, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _render(request, "errors/400.html", 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _render(request, "errors/403.html", 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _render(request, "errors/404.html", 404)


def server_error(request: HttpRequest) -> HttpResponse:
    # Never touch the database or the session here: it may be what failed.
    return HttpResponse(loader.render_to_string("errors/plain.html", {"status": 500}), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _render(request, "errors/csrf.html", 403)
