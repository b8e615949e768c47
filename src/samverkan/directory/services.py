"""Changing the directory (system administrators). Audited in the same transaction;
edits use optimistic locking so that two administrators never overwrite each other."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from samverkan.access import policy
from samverkan.access.permissions import Permission
from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.directory import reference_data as ref
from samverkan.directory.models import (
    Area,
    AreaClassification,
    Classification,
    District,
    Identity,
    Organisation,
)
from samverkan.lib.concurrency import StaleEdit as StaleEdit  # re-exported: services.StaleEdit

if TYPE_CHECKING:
    from samverkan.access.actor import Actor

M = TypeVar("M", bound=models.Model)


_ACTIONS: dict[type[models.Model], tuple[Action, Action, str]] = {
    Organisation: (Action.ORGANISATION_CREATED, Action.ORGANISATION_UPDATED, "organisation"),
    District: (Action.DISTRICT_CREATED, Action.DISTRICT_UPDATED, "district"),
    Area: (Action.AREA_CREATED, Action.AREA_UPDATED, "area"),
}


def _require_manage(actor: Actor) -> None:
    if not policy.has_permission(actor, Permission.DIRECTORY_MANAGE):
        raise PermissionDenied


@transaction.atomic
def directory_save(*, actor: Actor, instance: M, expected_version: int | None = None) -> M:
    """Create (``instance.pk`` is None) or update an Organisation, District or Area.

    Updates succeed only if the stored version still equals ``expected_version``;
    otherwise StaleEdit is raised and nothing is written.
    """
    _require_manage(actor)
    created_action, updated_action, subject_type = _ACTIONS[type(instance)]
    instance.full_clean()
    if instance.pk is None:
        instance.save()
        action = created_action
    else:
        model = type(instance)
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if not f.primary_key and f.attname != "version"
        ]
        values = {name: getattr(instance, name) for name in fields}
        if "updated_at" in values:
            values["updated_at"] = timezone.now()
        changed = model._default_manager.filter(pk=instance.pk, version=expected_version).update(
            version=F("version") + 1, **values
        )
        if not changed:
            raise StaleEdit
        instance.refresh_from_db()
        action = updated_action
    audit.record(action=action, actor=actor, subject_type=subject_type, subject_id=instance.pk)
    return instance


@transaction.atomic
def area_classify(
    *,
    actor: Actor,
    area: Area,
    list_year: int,
    classification: str,
    published_on: Any = None,
    source: str = "",
) -> AreaClassification:
    """Record (or correct) the police's classification of ``area`` in ``list_year``."""
    _require_manage(actor)
    row, _created = AreaClassification.objects.update_or_create(
        area=area,
        list_year=list_year,
        defaults={"classification": classification, "published_on": published_on, "source": source},
    )
    row.full_clean()
    audit.record(
        action=Action.AREA_CLASSIFIED,
        actor=actor,
        subject_type="area",
        subject_id=area.pk,
        detail={"list_year": list_year, "classification": classification},
    )
    return row


@transaction.atomic
def reference_data_load(*, actor: Actor | None = None) -> dict[str, int]:
    """Create or update the shipped reference organisations, districts, areas and
    classifications (idempotent: run it after every upgrade). Returns counts."""
    orgs: dict[str, Organisation] = {}
    for code, name, kind, parent in ref.ORGANISATIONS:
        orgs[code], _ = Organisation.objects.update_or_create(
            short_code=code,
            defaults={
                "name": name,
                "kind": kind,
                "parent": orgs.get(parent) if parent else None,
                "municipality": ref.municipality_of(code),
                "is_reference": True,
            },
        )
    for code, name in ref.DISTRICTS:
        admin_code = ref.district_administration_code(code)
        orgs[admin_code], _ = Organisation.objects.update_or_create(
            short_code=admin_code,
            defaults={
                "name": f"{name} stadsdelsförvaltning",
                "kind": "district_administration",
                "parent": None,
                "municipality": ref.MUNICIPALITY,
                "is_reference": True,
            },
        )
        District.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "municipality": ref.MUNICIPALITY,
                "administration": orgs[admin_code],
            },
        )
    districts = {d.code: d for d in District.objects.all()}
    for code, name, district, police_area, (lat, lon) in ref.AREAS:
        area, _ = Area.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "district": districts[district],
                "police_area": orgs[police_area],
                "centre_lat": lat,
                "centre_lon": lon,
            },
        )
        AreaClassification.objects.update_or_create(
            area=area,
            list_year=2023,
            defaults={
                "classification": Classification(ref.CLASSIFICATIONS_2023[code]).value,
                "source": ref.SOURCE_2023,
            },
        )
    result = {"organisations": len(orgs), "districts": len(ref.DISTRICTS), "areas": len(ref.AREAS)}
    audit.record(
        action=Action.REFERENCE_DATA_LOADED, actor=actor, subject_type="directory", detail=result
    )
    return result


IDENTITY_FIELDS = ("name", "primary_colour", "address", "phone", "email", "website")


@transaction.atomic
def identity_save(
    *,
    actor: Actor,
    values: dict[str, Any],
    logo_png: bytes | None = None,
    remove_logo: bool = False,
    expected_version: int | None = None,
) -> Identity:
    """Save the organisation's identity (system administrators). ``values`` holds
    IDENTITY_FIELDS, already checked (directory.forms.IdentityForm: the colour's
    contrast); ``logo_png`` a logo re-encoded by directory.logo, or None to keep the
    one stored. StaleEdit when another administrator saved first. Audited with the
    names of the changed fields."""
    _require_manage(actor)
    current = Identity.objects.select_for_update().filter(pk=Identity.SINGLETON_PK).first()
    if current is None:
        current = Identity(pk=Identity.SINGLETON_PK, version=0)
    elif current.version != expected_version:  # None: the editor saw no identity yet
        raise StaleEdit
    changed = [name for name in IDENTITY_FIELDS if getattr(current, name) != values[name]]
    for name in IDENTITY_FIELDS:
        setattr(current, name, values[name])
    if logo_png is not None:
        current.logo_png = logo_png
        changed.append("logo")
    elif remove_logo and current.logo_png:
        current.logo_png = b""
        changed.append("logo")
    current.is_fictitious = False  # an administrator's identity is the real one
    current.version += 1
    current.full_clean()
    current.save()
    audit.record(
        action=Action.IDENTITY_UPDATED,
        actor=actor,
        subject_type="identity",
        subject_id=current.pk,
        detail={"changed": changed},
    )
    return current
