"""Experts and their leave: changed by the expert's agency (or the municipal side).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samverkan.access import policy
from samverkan.actiongroups.models import ActionGroup
from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.lib.concurrency import save_versioned
from samverkan.rostering.models import (
    Expert,
    ExpertLeave,
)
from samverkan.rostering.services.common import (
    _require_experts_of,
)

if TYPE_CHECKING:
    from samverkan.accounts.models import User

_EXPERT_FIELDS = (
    "first_name",
    "last_name",
    "user_id",
    "contract_hours_per_week",
    "night_allowed",
    "qualifications",
    "wanted_shift_codes",
    "avoided_shift_codes",
    "avoided_weekdays",
    "active",
)


# Not durable: the demo loader calls it inside its own transaction (demo.services.demo_load).
@transaction.atomic
def expert_save(
    *,
    actor: User,
    expert: Expert,
    home_groups: Iterable[ActionGroup],
    extra_groups: Iterable[ActionGroup] = (),
    expected_version: int | None = None,
) -> Expert:
    """Create (``expert.pk`` None) or update an expert. The actor must manage the
    expert's agency — both the stored one and the new one."""
    _require_experts_of(actor, expert.agency_id)
    if expert.agency.kind != "agency":
        raise ValidationError({"agency": _("Choose an agency.")})
    homes = list(home_groups)
    if not homes:
        raise ValidationError({"home_groups": _("Choose at least one home group.")})
    extras = [g for g in extra_groups if g not in homes]
    linked = expert.user if expert.user_id else None
    if (
        linked is not None
        and linked.organisation_id != expert.agency_id
        and policy.area_agency_id(linked) != expert.agency_id
    ):
        raise ValidationError({"user": _("The user account must belong to the same agency.")})
    expert.full_clean(exclude=["version"])
    if expert.pk is None:
        expert.save()
        action = Action.EXPERT_CREATED
    else:
        stored_agency = (
            Expert.objects.filter(pk=expert.pk).values_list("agency_id", flat=True).first()
        )
        if stored_agency is None:
            raise PermissionDenied
        _require_experts_of(actor, stored_agency)
        save_versioned(
            instance=expert,
            expected_version=expected_version,
            fields=[*_EXPERT_FIELDS, "agency_id"],
        )
        action = Action.EXPERT_UPDATED
    expert.home_groups.set(homes)
    expert.extra_groups.set(extras)
    audit.record(
        action=action,
        actor=actor,
        subject_type="expert",
        subject_id=expert.pk,
        subject_organisation_id=expert.agency_id,
        detail={"home_groups": [g.pk for g in homes], "extra_groups": [g.pk for g in extras]},
    )
    return expert


@transaction.atomic(durable=True)
def leave_record(
    *, actor: User, expert: Expert, kind: str, starts_at: dt.datetime, ends_at: dt.datetime
) -> ExpertLeave:
    """Record vacation, sick leave or training. Sick leave is what re-planning repairs."""
    _require_experts_of(actor, expert.agency_id)
    leave = ExpertLeave(
        expert=expert, kind=kind, starts_at=starts_at, ends_at=ends_at, created_by=actor
    )
    leave.full_clean()
    leave.save()
    audit.record(
        action=Action.EXPERT_LEAVE_RECORDED,
        actor=actor,
        subject_type="expert",
        subject_id=expert.pk,
        subject_organisation_id=expert.agency_id,
        detail={"leave": leave.pk, "kind": kind},
    )
    return leave


@transaction.atomic(durable=True)
def leave_remove(*, actor: User, leave: ExpertLeave) -> None:
    _require_experts_of(actor, leave.expert.agency_id)
    audit.record(
        action=Action.EXPERT_LEAVE_REMOVED,
        actor=actor,
        subject_type="expert",
        subject_id=leave.expert_id,
        subject_organisation_id=leave.expert.agency_id,
        detail={"leave": leave.pk},
    )
    leave.delete()

