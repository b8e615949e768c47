"""What the report pages read: the areas, categories and named places a reporter may
choose, the reporter's own reports, and one report (404 outside the person's scope:
``LocalAccess.reports_q`` — the reports of the areas they see, and their own)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404

from samverkan.directory.models import Area
from samverkan.picture.decision import LocalAccess, LocalAction
from samverkan.picture.models import Category, IncidentReport, Place


def reporting_areas(*, access: LocalAccess) -> QuerySet[Area]:
    """The areas the person may report in (none without the permission)."""
    if not access.may(LocalAction.REPORT):
        return Area.objects.none()
    return Area.objects.filter(pk__in=sorted(access.reporting_area_ids)).order_by("name")


def active_categories() -> QuerySet[Category]:
    return Category.objects.filter(active=True).order_by("order", "name_sv")


def places_of(*, areas: list[Area]) -> list[Place]:
    return list(Place.objects.filter(area__in=areas, active=True).order_by("area__name", "name"))


def map_data(*, areas: list[Area], places: list[Place], tile_url: str) -> dict[str, Any]:
    """The report form's map, for json_script: each area's centre and outline, the named
    places, and the tile URL (empty: no background tiles)."""
    return {
        "tileUrl": tile_url,
        "areas": {
            str(a.pk): {
                "name": a.name,
                "centre": [float(a.centre_lat), float(a.centre_lon)] if a.centre_lat is not None
                and a.centre_lon is not None else None,
                "boundary": a.boundary,
            }
            for a in areas
        },
        "places": [
            {"id": p.pk, "area": p.area_id, "name": p.name, "lat": float(p.lat), "lon": float(p.lon)} for p in places
        ],
    }


def my_reports(*, access: LocalAccess) -> QuerySet[IncidentReport]:
    """The person's own reports, newest first (one query per page with its names)."""
    return (
        IncidentReport.objects.filter(reporter_id=access.user_id)
        .select_related("area", "category", "place")
        .order_by("-created_at", "-pk")
    )


def report_for(*, access: LocalAccess, public_id: UUID) -> IncidentReport:
    """One report the person may see; 404 for any other (or unknown) id."""
    report = (
        IncidentReport.objects.filter(access.reports_q(), public_id=public_id)
        .select_related("area", "category", "place", "organisation")
        .first()
    )
    if report is None or not access.may(LocalAction.VIEW_REPORT, report):
        raise Http404
    return report
