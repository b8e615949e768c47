"""The UI shell: home page per role, language switch, health check."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language as django_set_language

from samverkan.access.guards import public, verified_user
from samverkan.frontend.selectors import home_for


@verified_user
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "frontend/home.html", {"home": home_for(user=request.user)})  # type: ignore[arg-type]


@public
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    # Stores the choice in a first-party cookie only; no tracking.
    return django_set_language(request)


@public
@never_cache
@require_GET
def health(request: HttpRequest) -> HttpResponse:
    """Liveness and database reachability for load balancers; reveals nothing else."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})
