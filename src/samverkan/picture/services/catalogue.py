"""The catalogue of the local picture, kept by system administrators (MANAGE_CATALOGUE):
incident categories, named places per area, and which external organisations report in
which areas. Edits are optimistically locked (a stale version writes nothing: StaleEdit);
every change is audited in the same transaction with codes and ids only.

A category or a place is retired (``active`` off), never deleted: the reports that name
it keep it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.directory.models import Area, Organisation
from samverkan.lib.concurrency import StaleEdit, save_versioned
from samverkan.picture.decision import LocalAccess, LocalAction, reports_through_scope
from samverkan.picture.models import Category, Place, ReportingArea
from samverkan.picture.services.reports import MAX_DISTANCE_KM, distance_km

if TYPE_CHECKING:
    from samverkan.accounts.models import User

__all__ = ["StaleEdit", "category_save", "place_save", "reporter_add", "reporter_remove"]


def _audit(actor: User, kind: str, subject_id: object, **detail: object) -> None:
    audit.record(action=Action.PICTURE_CATALOGUE_CHANGED, actor=actor, subject_type=f"picture_{kind}",
                 subject_id=subject_id, detail={"kind": kind, **detail})


@transaction.atomic(durable=True)
def category_save(*, actor: User, access: LocalAccess, instance: Category,
                  expected_version: int | None) -> Category:
    """Add a category (``instance.pk`` None) or change its names, colour, order and
    whether it is in use. The code is fixed once made (reports and counts refer to it)."""
    access.require(LocalAction.MANAGE_CATALOGUE)
    if instance.pk is None:
        if Category.objects.filter(code=instance.code).exists():
            raise ValidationError({"code": _("A category with this code exists already.")})
        instance.save()
        _audit(actor, "category", instance.pk, code=instance.code, new=True)
        return instance
    save_versioned(instance=instance, expected_version=expected_version,
                   fields=["name_sv", "name_en", "colour", "order", "active"])
    _audit(actor, "category", instance.pk, code=instance.code, active=instance.active)
    return instance


def _check_place(instance: Place, area: Area) -> None:
    errors: dict[str, str] = {}
    clash = Place.objects.filter(area=area, name__iexact=instance.name.strip())
    if instance.pk is not None:
        clash = clash.exclude(pk=instance.pk)
    if clash.exists():
        errors["name"] = _("The area has a named place with this name already.")
    if area.centre_lat is not None and area.centre_lon is not None and distance_km(
        float(area.centre_lat), float(area.centre_lon), float(Decimal(instance.lat)), float(Decimal(instance.lon))
    ) > MAX_DISTANCE_KM:
        errors["lat"] = _("The point is more than %(km)d km from the area's centre: check the coordinates.") % {
            "km": MAX_DISTANCE_KM}
    if errors:
        raise ValidationError(errors)


@transaction.atomic(durable=True)
def place_save(*, actor: User, access: LocalAccess, area: Area, instance: Place,
               expected_version: int | None) -> Place:
    access.require(LocalAction.MANAGE_CATALOGUE)
    instance.name = instance.name.strip()
    _check_place(instance, area)
    if instance.pk is None:
        instance.area = area
        instance.save()
        _audit(actor, "place", instance.pk, area=area.code, new=True)
        return instance
    if instance.area_id != area.pk:
        raise ValidationError(_("The place belongs to another area."))
    save_versioned(instance=instance, expected_version=expected_version, fields=["name", "lat", "lon", "active"])
    _audit(actor, "place", instance.pk, area=area.code, active=instance.active)
    return instance


@transaction.atomic(durable=True)
def reporter_add(*, actor: User, access: LocalAccess, area: Area, organisation: Organisation) -> ReportingArea:
    """Let an external organisation's reporters report in ``area``."""
    access.require(LocalAction.MANAGE_CATALOGUE)
    if reports_through_scope(organisation.kind, organisation.municipality) or not organisation.active:
        raise ValidationError({"organisation": _(
            "The police and the municipality's own bodies report in the areas they see; register only other "
            "organisations here.")})
    row, made = ReportingArea.objects.get_or_create(organisation=organisation, area=area)
    if made:
        _audit(actor, "reporting_area", row.pk, area=area.code, organisation=organisation.pk, added=True)
    return row


@transaction.atomic(durable=True)
def reporter_remove(*, actor: User, access: LocalAccess, row: ReportingArea) -> None:
    """The organisation no longer reports in the area; its earlier reports stay."""
    access.require(LocalAction.MANAGE_CATALOGUE)
    area_code, organisation_id, pk = row.area.code, row.organisation_id, row.pk
    row.delete()
    _audit(actor, "reporting_area", pk, area=area_code, organisation=organisation_id, removed=True)
