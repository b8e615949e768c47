"""Build a person's ``LocalAccess`` (picture.decision) in at most three small queries,
once per request (cached on the user object like the permission set)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from samverkan.access.policy import permissions_of
from samverkan.directory.models import Area, District, OrganisationKind
from samverkan.picture.decision import MUNICIPAL_KINDS, LocalAccess, reports_through_scope
from samverkan.picture.models import ReportingArea

_CACHE_ATTR = "_samverkan_local_access"


def _seen_areas_q(org: Any) -> Q | None:
    if org.kind == OrganisationKind.POLICE_AREA:
        return Q(police_area_id=org.pk)
    if org.kind == OrganisationKind.POLICE_REGION:
        return Q(police_area__parent_id=org.pk)
    if org.kind == OrganisationKind.DISTRICT_ADMINISTRATION:
        return Q(district__administration_id=org.pk)
    if org.municipality and org.kind in MUNICIPAL_KINDS:
        return Q(district__municipality=org.municipality)
    return None


def local_access_for(actor: Any) -> LocalAccess:
    cached = getattr(actor, _CACHE_ATTR, None)
    if cached is not None:
        return cached  # type: ignore[no-any-return,unused-ignore]
    org = actor.organisation
    permissions = frozenset(str(p) for p in permissions_of(actor))
    area_ids: set[int] = set()
    district_ids: set[int] = set()
    municipalities: set[str] = set()
    editable: set[int] = set()
    seen = _seen_areas_q(org)
    if seen is not None:
        for pk, district_id, municipality in Area.objects.filter(seen).values_list(
            "pk", "district_id", "district__municipality"
        ):
            area_ids.add(pk)
            district_ids.add(district_id)
            municipalities.add(municipality)
    municipal = bool(org.municipality) and org.kind in MUNICIPAL_KINDS
    if municipal:
        municipalities.add(org.municipality)
        district_q = Q(municipality=org.municipality) if org.kind != OrganisationKind.DISTRICT_ADMINISTRATION \
            else Q(administration_id=org.pk)
        own = set(District.objects.filter(district_q).values_list("pk", flat=True))
        district_ids |= own
        editable |= own
    if reports_through_scope(org.kind, org.municipality):
        reporting = set(area_ids)
    else:
        reporting = set(
            ReportingArea.objects.filter(organisation_id=org.pk).values_list("area_id", flat=True)
        )
    access = LocalAccess(
        user_id=actor.pk,
        org_id=org.pk,
        org_kind=org.kind,
        municipality=org.municipality if municipal else "",
        permissions=permissions,
        area_ids=frozenset(area_ids),
        district_ids=frozenset(district_ids),
        municipalities=frozenset(municipalities),
        reporting_area_ids=frozenset(reporting),
        editable_district_ids=frozenset(editable),
    )
    setattr(actor, _CACHE_ATTR, access)
    return access
