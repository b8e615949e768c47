"""What the catalogue pages read (system administrators: MANAGE_CATALOGUE, checked by
the views before any of these is called). Unknown ids and codes are 404."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from samverkan.directory.models import Area, Organisation, OrganisationKind
from samverkan.picture.decision import MUNICIPAL_KINDS, reports_through_scope
from samverkan.picture.models import Category, Place, ReportingArea


def categories() -> QuerySet[Category]:
    return Category.objects.order_by("-active", "order", "name_sv")


def category_for(*, pk: int) -> Category:
    return get_object_or_404(Category, pk=pk)


def areas() -> QuerySet[Area]:
    """Every area with its number of named places and reporting organisations."""
    return (
        Area.objects.select_related("district")
        .annotate(places=Count("picture_places", filter=Q(picture_places__active=True), distinct=True),
                  reporters=Count("picture_reporters", distinct=True))
        .order_by("name")
    )


def area_for(*, code: str) -> Area:
    return get_object_or_404(Area, code=code)


def places_of_area(*, area: Area) -> QuerySet[Place]:
    return Place.objects.filter(area=area).order_by("-active", "name")


def place_for(*, area: Area, pk: int) -> Place:
    return get_object_or_404(Place, area=area, pk=pk)


def reporters_of_area(*, area: Area) -> QuerySet[ReportingArea]:
    return ReportingArea.objects.filter(area=area).select_related("organisation").order_by("organisation__name")


def reporter_for(*, area: Area, pk: int) -> ReportingArea:
    return get_object_or_404(ReportingArea.objects.select_related("organisation"), area=area, pk=pk)


def external_organisations(*, area: Area) -> QuerySet[Organisation]:
    """Organisations that may be registered to report in ``area``: active ones that are
    neither the police nor the municipality's own bodies (those report in the areas
    their scope gives them) and are not registered there yet."""
    scoped = [kind for kind in OrganisationKind if reports_through_scope(kind, "")]
    return (
        Organisation.objects.filter(active=True)
        .exclude(kind__in=scoped)
        .exclude(kind__in=sorted(MUNICIPAL_KINDS), municipality__gt="")
        .exclude(picture_reporting_areas__area=area)
        .order_by("name")
    )
