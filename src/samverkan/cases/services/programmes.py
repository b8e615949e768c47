"""Programme administration (no code change needed for a new programme)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samverkan.access import policy
from samverkan.access.permissions import Permission
from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.cases.models import Programme
from samverkan.lib.concurrency import StaleEdit, update_versioned

if TYPE_CHECKING:
    from samverkan.accounts.models import User


@transaction.atomic
def programme_save(
    *, actor: User, instance: Programme, districts: Any, expected_version: int | None = None
) -> Programme:
    """Create (``instance.pk`` is None) or update a programme (PROGRAMME_MANAGE).

    Updates succeed only while the stored version equals ``expected_version``; otherwise
    StaleEdit and nothing is written. Audited with the programme's id and code."""
    if not policy.has_permission(actor, Permission.PROGRAMME_MANAGE):
        raise PermissionDenied
    instance.full_clean()
    problems: dict[str, str] = {}
    if instance.min_age > instance.max_age:
        problems["max_age"] = _("The maximum age must be at least the minimum age.")
    if instance.pk is not None and instance.successor_id == instance.pk:
        problems["successor"] = _("A programme cannot continue in itself.")
    if instance.own_consent_from_age > instance.guardian_consent_until_age:
        problems["own_consent_from_age"] = _(
            "Own consent must be recorded from an age at or below the age when the guardians' consent ends."
        )
    if instance.retention_years < 1:
        problems["retention_years"] = _("Keep data at least one year.")
    if instance.consent_max_months < 1:
        problems["consent_max_months"] = _("A consent must be valid at least one month.")
    if problems:
        raise ValidationError(problems)
    created = instance.pk is None
    if created:
        instance.version = 1
        instance.save()
    else:
        fields = [f.attname for f in Programme._meta.concrete_fields if not f.primary_key and f.attname != "version"]
        values = {name: getattr(instance, name) for name in fields}
        if expected_version is None:
            raise StaleEdit
        update_versioned(Programme, pk=instance.pk, version=expected_version, **values)
    instance.districts.set(districts)
    instance.refresh_from_db()
    audit.record(
        action=Action.PROGRAMME_SAVED,
        actor=actor,
        subject_type="programme",
        subject_id=instance.pk,
        detail={
            "code": instance.code,
            "created": created,
            "districts": len(instance.districts.all()),
        },
    )
    return instance
