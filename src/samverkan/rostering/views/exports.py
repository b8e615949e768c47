"""Exports of a roster version: CSV, XLSX and PDF (each export is audited).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpResponse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from samverkan.access import policy
from samverkan.access.guards import require_permission
from samverkan.access.permissions import Permission
from samverkan.accounts.http import AuthenticatedHttpRequest
from samverkan.rostering import exports, selectors
from samverkan.rostering.models import RosterVersion
from samverkan.rostering.services import rosters as roster_services
from samverkan.rostering.views.common import _download


def _export_rows(request: AuthenticatedHttpRequest, version: RosterVersion) -> list[list[Any]]:
    rows = selectors.version_assignments(actor=request.user, version=version)
    visible = {
        a: policy.can_see_expert_names_of(actor=request.user, agency_id=a)
        for a in {r.agency_id for r in rows}
    }
    return exports.roster_rows(rows, group_name=version.plan.group.name, name_visible=visible)


def _export_name(version: RosterVersion, ext: str) -> str:
    plan = version.plan
    return f"schema-{plan.group.code}-{plan.period_start:%Y%m%d}-v{version.number}.{ext}"


@require_permission(Permission.ROSTER_VIEW, Permission.ROSTER_MANAGE)
@require_GET
def export_csv(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    version = selectors.get_version(actor=request.user, pk=pk)
    body = exports.to_csv(_export_rows(request, version))
    roster_services.export_recorded(actor=request.user, version=version, fmt="csv")
    return _download(body, "text/csv; charset=utf-8", _export_name(version, "csv"))


@require_permission(Permission.ROSTER_VIEW, Permission.ROSTER_MANAGE)
@require_GET
def export_xlsx(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    version = selectors.get_version(actor=request.user, pk=pk)
    title = _("Roster %(group)s from %(start)s, version %(n)d") % {
        "group": version.plan.group.name,
        "start": date_format(version.plan.period_start, "DATE_FORMAT"),
        "n": version.number,
    }
    body = exports.to_xlsx(_export_rows(request, version), title=title)
    roster_services.export_recorded(actor=request.user, version=version, fmt="xlsx")
    return _download(
        body,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _export_name(version, "xlsx"),
    )


@require_permission(Permission.ROSTER_VIEW, Permission.ROSTER_MANAGE)
@require_GET
def export_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Every week of the version's period, one page a week, for printing."""
    version = selectors.get_version(actor=request.user, pk=pk)
    plan = version.plan
    grid = selectors.roster_grid(
        actor=request.user, version=version, first_day=plan.period_start, days=plan.days
    )
    title = _("Roster %(name)s, version %(n)s") % {"name": plan.group.name, "n": version.number}
    subtitle = _("%(start)s – %(end)s. Version %(n)d (%(status)s).") % {
        "start": date_format(plan.period_start, "DATE_FORMAT"),
        "end": date_format(plan.period_start + dt.timedelta(days=plan.days - 1), "DATE_FORMAT"),
        "n": version.number,
        "status": version.get_status_display(),
    }
    body = exports.roster_pdf(title=title, subtitle=subtitle, weeks=exports.roster_weeks(grid))
    roster_services.export_recorded(actor=request.user, version=version, fmt="pdf")
    return _download(body, "application/pdf", _export_name(version, "pdf"))

