"""The weekly joint picture: the areas a person sees, the week of an area or of a
district's areas (map, grid, counts against earlier weeks, list) and the week as a PDF
for the meeting. Areas and districts are addressed by their codes and ISO weeks
("2026-W49"); outside the person's scope the page does not exist (404, in the
selectors). External reporters (who only report) get 404 on every week page."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from samverkan.access.guards import require_permission
from samverkan.access.permissions import Permission
from samverkan.accounts.http import AuthenticatedHttpRequest
from samverkan.directory.models import Area
from samverkan.picture.forms.week import WeekFilterForm
from samverkan.picture.selectors import week as selectors
from samverkan.picture.selectors.scope import local_access_for
from samverkan.picture.selectors.week_compare import FALLBACK_ORIGIN
from samverkan.picture.selectors.week_picture import MAP_POINTS_MAX, WeekPicture, all_categories, week_page
from samverkan.picture.week_pdf import week_pdf as make_week_pdf

# Both may open the overview (a reporter sees the report button there); the week pages
# themselves need the picture (LocalAccess.sees_area: 404 without it).
_VIEW_OR_REPORT = (Permission.PICTURE_VIEW, Permission.PICTURE_REPORT)


@require_GET
@require_permission(*_VIEW_OR_REPORT)
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    access = local_access_for(request.user)
    monday = selectors.current_week()
    districts = selectors.overview(access=access, monday=monday)
    return render(request, "picture/week_index.html",
                  {"access": access, "districts": districts, "week": selectors.week_code(monday)})


@require_GET
@require_permission(*_VIEW_OR_REPORT)
def area(request: AuthenticatedHttpRequest, area: str) -> HttpResponse:
    """The area's current week."""
    found = selectors.area_for(access=local_access_for(request.user), code=area)
    return redirect("picture:area_week", area=found.code, week=selectors.week_code(selectors.current_week()))


def _map_data(picture: WeekPicture) -> dict[str, Any]:
    """What week-map.js draws (json_script: escaped, no inline script)."""
    areas = []
    for a in picture.areas:
        centre = [float(a.centre_lat), float(a.centre_lon)] if a.centre_lat is not None and \
            a.centre_lon is not None else None
        areas.append({"name": a.name, "boundary": a.boundary, "centre": centre})
    return {
        "areas": areas,
        "cells": [[*cell.bounds, cell.count] for cell in picture.cells],
        "points": [list(p) for p in picture.points],
        "categories": {c.code: {"name": c.name, "colour": c.colour} for c in picture.categories},
        "tiles": settings.PICTURE_TILE_URL,
        "attribution": settings.PICTURE_TILE_ATTRIBUTION,
        "fallback": list(FALLBACK_ORIGIN),
        "labels": {"zoom_in": _("Zoom in"), "zoom_out": _("Zoom out")},
    }


def _week_page(request: AuthenticatedHttpRequest, *, areas: list[Area], district: Any, title: str,
               url_name: str, code: str, week: str) -> HttpResponse:
    access = local_access_for(request.user)
    monday = selectors.parse_week(week)
    categories = all_categories()
    form = WeekFilterForm(request.GET or None, categories=categories)
    picture = week_page(actor=request.user, access=access, areas=areas, district=district, monday=monday,
                        filters=form.filters(), categories=categories, page=request.GET.get("page") or 1)
    previous_week = selectors.week_code(monday - timedelta(weeks=1))
    next_monday = monday + timedelta(weeks=1)
    next_week = selectors.week_code(next_monday) if next_monday <= selectors.current_week() else ""
    used = {c.category.code for c in picture.counts} | {p[2] for p in picture.points}
    return render(request, "picture/week.html", {
        "access": access, "picture": picture, "form": form, "title": title,
        "area": areas[0] if district is None else None,
        "previous_week": previous_week, "next_week": next_week,
        "previous_url": reverse(url_name, args=[code, previous_week]),
        "next_url": reverse(url_name, args=[code, next_week]) if next_week else "",
        "pdf_url": (reverse("picture:week_pdf", args=[code, picture.week]) + (
            "?" + request.GET.urlencode() if form.is_bound else "")) if district is None else "",
        "legend": [c for c in picture.categories if c.code in used],
        "map_data": _map_data(picture), "map_points_max": MAP_POINTS_MAX,
    })


@require_GET
@require_permission(*_VIEW_OR_REPORT)
def area_week(request: AuthenticatedHttpRequest, area: str, week: str) -> HttpResponse:
    found = selectors.area_for(access=local_access_for(request.user), code=area)
    title = _("%(area)s, week %(week)s") % {"area": found.name, "week": week}
    return _week_page(request, areas=[found], district=None, title=title, url_name="picture:area_week",
                      code=found.code, week=week)


@require_GET
@require_permission(*_VIEW_OR_REPORT)
def district_week(request: AuthenticatedHttpRequest, district: str, week: str) -> HttpResponse:
    found, areas = selectors.district_for(access=local_access_for(request.user), code=district)
    title = _("%(district)s, week %(week)s") % {"district": found.name, "week": week}
    return _week_page(request, areas=areas, district=found, title=title, url_name="picture:district_week",
                      code=found.code, week=week)


@require_GET
@require_permission(*_VIEW_OR_REPORT)
def week_pdf(request: AuthenticatedHttpRequest, area: str, week: str) -> HttpResponse:
    access = local_access_for(request.user)
    found = selectors.area_for(access=access, code=area)
    monday = selectors.parse_week(week)
    categories = all_categories()
    form = WeekFilterForm(request.GET or None, categories=categories)
    content = make_week_pdf(actor=request.user, access=access, area=found, monday=monday, filters=form.filters(),
                            categories=categories)
    response = HttpResponse(content, content_type="application/pdf")
    # The area's code and the week only: no name of a person ever.
    response["Content-Disposition"] = f'attachment; filename="vecka-{selectors.week_code(monday)}-{found.code}.pdf"'
    return response
