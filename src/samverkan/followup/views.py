"""Follow-up statistics pages for managers: tables with charts, CSV and XLSX export.
Counts only, of the cases the manager's organisation leads, small numbers suppressed."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from samverkan.access.guards import require_permission
from samverkan.access.permissions import Permission
from samverkan.accounts.http import AuthenticatedHttpRequest
from samverkan.followup import exports, selectors
from samverkan.followup.family import YEAR_MAX, YEAR_MIN
from samverkan.followup.selectors.trefas import trefas_statistics_for
from samverkan.lib.params import whole_number


def _year(request: AuthenticatedHttpRequest) -> int | None:
    """The year filter; anything else means all years. The statistics of every year
    this accepts are protected together (followup.family)."""
    return whole_number(request.GET.get("ar"), minimum=YEAR_MIN, maximum=YEAR_MAX)


@require_permission(Permission.STATISTICS_VIEW)
@require_GET
def overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    year = _year(request)
    stats = selectors.statistics_for(actor=request.user, year=year)
    return render(request, "followup/overview.html", {"stats": stats, "year": year})


def _filename(year: int | None, extension: str) -> str:
    return f"statistik-{year or 'alla-ar'}-{timezone.localdate():%Y%m%d}.{extension}"


@require_permission(Permission.STATISTICS_VIEW)
@require_GET
def export_csv(request: AuthenticatedHttpRequest) -> HttpResponse:
    year = _year(request)
    stats = selectors.statistics_for(actor=request.user, year=year, export_format="csv")
    response = HttpResponse(exports.to_csv(stats), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(year, "csv")}"'
    return response


@require_permission(Permission.STATISTICS_VIEW)
@require_GET
def export_xlsx(request: AuthenticatedHttpRequest) -> HttpResponse:
    year = _year(request)
    stats = selectors.statistics_for(actor=request.user, year=year, export_format="xlsx")
    response = HttpResponse(
        exports.to_xlsx(stats),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(year, "xlsx")}"'
    return response


# --- A Trefas forum's statistics (members, and managers of member organisations) -----
# The rule is trefas.decision.may_view_statistics; the selector answers 404 to anyone else.


@require_permission(Permission.TREFAS_VIEW, Permission.STATISTICS_VIEW)
@require_GET
def trefas(request: AuthenticatedHttpRequest, forum_id: int) -> HttpResponse:
    stats = trefas_statistics_for(actor=request.user, forum_id=forum_id)
    return render(request, "followup/trefas.html", {"stats": stats, "forum_id": forum_id})


def _trefas_filename(forum_id: int, extension: str) -> str:
    return f"trefas-statistik-{forum_id}-{timezone.localdate():%Y%m%d}.{extension}"


@require_permission(Permission.TREFAS_VIEW, Permission.STATISTICS_VIEW)
@require_GET
def trefas_csv(request: AuthenticatedHttpRequest, forum_id: int) -> HttpResponse:
    """For Swedish Excel: semicolons, a byte-order mark, decimal commas."""
    stats = trefas_statistics_for(actor=request.user, forum_id=forum_id, export_format="csv")
    response = HttpResponse(exports.to_csv(stats), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_trefas_filename(forum_id, "csv")}"'
    return response


@require_permission(Permission.TREFAS_VIEW, Permission.STATISTICS_VIEW)
@require_GET
def trefas_xlsx(request: AuthenticatedHttpRequest, forum_id: int) -> HttpResponse:
    stats = trefas_statistics_for(actor=request.user, forum_id=forum_id, export_format="xlsx")
    response = HttpResponse(
        exports.to_xlsx(stats),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_trefas_filename(forum_id, "xlsx")}"'
    return response
