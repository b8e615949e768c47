"""The home page per role and the health check."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from samverkan.access.guards import public, verified_user
from samverkan.accounts.http import AuthenticatedHttpRequest
from samverkan.home.selectors import home_for, lands_on_report_form
from samverkan.jobs import backends as jobs_backends
from samverkan.lib.cache import ResilientRedisCache


@verified_user
@require_GET
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    today = home_for(user=request.user)
    if lands_on_report_form(user=request.user, home=today):
        return redirect("picture:report")
    return render(request, "home/home.html", {"home": today})


@public
@never_cache
@require_GET
def health(request: HttpRequest) -> HttpResponse:
    """Liveness and reachability of what the site depends on, for load balancers and
    monitoring; reveals nothing else.

    * 200 ``{"status": "ok"}``: everything answers.
    * 200 ``{"status": "degraded", "degraded": [...]}``: Redis is unreachable as the
      cache (``"cache"``) or the job queue (``"job_queue"``). The site still works
      without it (sessions from the database, no page cache, jobs refused with a
      message), so a load balancer must keep the server in rotation; alert on it.
    * 503 ``{"status": "unavailable"}``: the database is unreachable.

    Every check gives up within REDIS_TIMEOUT_MS; after a cache failure the cache is
    not even tried for CACHE_RETRY_SECONDS.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return JsonResponse({"status": "unavailable"}, status=503)
    degraded = [name for name, check in _REDIS_CHECKS if not _answers(check)]
    if degraded:
        return JsonResponse({"status": "degraded", "degraded": degraded})
    return JsonResponse({"status": "ok"})


def _cache_reachable() -> bool:
    cache = caches["default"]
    return cache.reachable() if isinstance(cache, ResilientRedisCache) else True


def _queue_reachable() -> bool:
    return settings.SAMVERKAN_JOBS_BACKEND != "rq" or jobs_backends.queue_reachable()


_REDIS_CHECKS: tuple[tuple[str, Callable[[], bool]], ...] = (
    ("cache", _cache_reachable),
    ("job_queue", _queue_reachable),
)


def _answers(check: Callable[[], bool]) -> bool:
    # A health check answers; whatever goes wrong in a check counts as "not reachable".
    try:
        return check()
    except Exception:
        return False
