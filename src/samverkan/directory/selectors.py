"""Reading the directory. Organisations and places are not personal data: every
verified staff user with directory:organisation:view may read them."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Prefetch, QuerySet

from samverkan.access import policy
from samverkan.access.actor import Actor
from samverkan.access.permissions import Permission
from samverkan.directory.models import Area, AreaClassification, District, Organisation


def organisations_for_user_admin(*, actor: Actor) -> QuerySet[Organisation]:
    """Organisations in which the actor may create and manage accounts."""
    if policy.has_permission(actor, Permission.ALL_USERS_MANAGE):
        return Organisation.objects.filter(active=True).order_by("name")
    if policy.has_permission(actor, Permission.ORG_USERS_MANAGE):
        return Organisation.objects.filter(pk=actor.organisation_id)
    return Organisation.objects.none()


def organisation_list(*, kind: str = "", include_inactive: bool = False) -> QuerySet[Organisation]:
    qs = Organisation.objects.select_related("parent").order_by("name")
    if kind:
        qs = qs.filter(kind=kind)
    if not include_inactive:
        qs = qs.filter(active=True)
    return qs


def district_list() -> QuerySet[District]:
    return District.objects.select_related("administration").order_by("name")


def area_list() -> QuerySet[Area]:
    return (
        Area.objects.select_related("district", "police_area")
        .prefetch_related(
            Prefetch("classifications", queryset=AreaClassification.objects.order_by("-list_year"))
        )
        .order_by("name")
    )


def areas_by_name() -> QuerySet[Area]:
    """Every area by name, without related rows: the choices of an area picker (the
    capacity planner). Areas are places, not personal data."""
    return Area.objects.order_by("name")


def areas_with_codes(codes: Iterable[str]) -> QuerySet[Area]:
    """The areas with the given codes (the capacity planner's worked example)."""
    return Area.objects.filter(code__in=list(codes))


def current_classification(area: Area) -> AreaClassification | None:
    """The newest list year's classification (uses the prefetched rows when present)."""
    rows = list(area.classifications.all())
    return max(rows, key=lambda c: c.list_year) if rows else None


def latest_list_year() -> int | None:
    row = (
        AreaClassification.objects.order_by("-list_year")
        .values_list("list_year", flat=True)
        .first()
    )
    return row


def areas_missing_latest_classification() -> int:
    year = latest_list_year()
    if year is None:
        return Area.objects.count()
    return Area.objects.exclude(classifications__list_year=year).count()
