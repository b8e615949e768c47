"""Groups (criminal networks as the police record them), their listed members and the
conflicts between them (issue 10 §3). Only the owning organisation (a police member
organisation: TrefasAction.MANAGE_GROUPS, entry "own") writes them; others see a group
only through an approved share about it (trefas.selectors.groups). Every change is audited
TREFAS_GROUP_CHANGED with ids only; edits of a group or a conflict are optimistic
(``version``: lib.concurrency)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.lib.concurrency import update_versioned
from samverkan.trefas.decision import TrefasAccess, TrefasAction
from samverkan.trefas.models import Conflict, ConflictStatus, Forum, Group, GroupMembership, Listing

if TYPE_CHECKING:
    from samverkan.accounts.models import User


def _audit(actor: User, group: Group, change: str, **detail: Any) -> None:
    audit.record(
        action=Action.TREFAS_GROUP_CHANGED, actor=actor, subject_type="trefas_group", subject_id=group.pk,
        subject_organisation_id=group.owner_organisation_id,
        detail={"forum": group.forum_id, "change": change, **detail},
    )


def _require_own(access: TrefasAccess, group: Group) -> None:
    access.require(TrefasAction.MANAGE_GROUPS, group)
    if group.forum_id != access.forum_id:
        raise ValidationError(_("The group belongs to another forum."))


def _texts(name: str, description: str) -> tuple[str, str]:
    name, description = name.strip(), description.strip()
    if not name:
        raise ValidationError({"name": _("Give the group a name.")})
    return name[:120], description[:500]


@transaction.atomic(durable=True)
def group_create(*, actor: User, access: TrefasAccess, forum: Forum, name: str, description: str = "") -> Group:
    """A new group owned by the actor's organisation (the police)."""
    access.require(TrefasAction.MANAGE_GROUPS)
    if forum.pk != access.forum_id:
        raise ValidationError(_("The group belongs to another forum."))
    name, description = _texts(name, description)
    group = Group.objects.create(
        forum=forum, owner_organisation_id=access.viewer_org_id, name=name, description=description,
        created_by=actor,
    )
    _audit(actor, group, "created")
    return group


@transaction.atomic(durable=True)
def membership_add(
    *, actor: User, access: TrefasAccess, group: Group, listing: Listing, since: date, until: date | None = None
) -> GroupMembership:
    """A person on the forum's list belongs to the group from ``since`` (until ``until``)."""
    _require_own(access, group)
    if listing.forum_id != group.forum_id or listing.removed_at is not None:
        raise ValidationError({"listing": _("Choose a person on this forum's list.")})
    if until is not None and until < since:
        raise ValidationError({"until": _("The end date is before the start date.")})
    if GroupMembership.objects.filter(group_id=group.pk, listing_id=listing.pk, until__isnull=True).exists():
        raise ValidationError({"listing": _("The person is already a member of the group.")})
    membership = GroupMembership.objects.create(
        group=group, listing=listing, since=since, until=until, recorded_by=actor
    )
    _audit(actor, group, "member_added", listing=listing.pk, membership=membership.pk)
    return membership


@transaction.atomic(durable=True)
def membership_end(
    *, actor: User, access: TrefasAccess, membership: GroupMembership, until: date
) -> None:
    """End a membership on ``until`` (a membership already ended is left as it is)."""
    group = membership.group
    _require_own(access, group)
    if until < membership.since:
        raise ValidationError({"until": _("The end date is before the start date.")})
    ended = GroupMembership.objects.filter(pk=membership.pk, until__isnull=True).update(until=until)
    if ended:
        _audit(actor, group, "member_ended", listing=membership.listing_id, membership=membership.pk)


@transaction.atomic(durable=True)
def conflict_record(
    *, actor: User, access: TrefasAccess, group_a: Group, group_b: Group, status: str, since: date, note: str = ""
) -> Conflict:
    """A conflict between two of the organisation's groups in the forum."""
    _require_own(access, group_a)
    _require_own(access, group_b)
    errors: dict[str, Any] = {}
    if group_a.pk == group_b.pk:
        errors["group_b"] = _("Choose two different groups.")
    if status not in ConflictStatus.values:
        errors["status"] = _("Choose whether the conflict is active or dormant.")
    if errors:
        raise ValidationError(errors)
    conflict = Conflict.objects.create(
        forum_id=group_a.forum_id, group_a=group_a, group_b=group_b, status=status, since=since,
        note=note.strip()[:300], recorded_by=actor,
    )
    _audit(actor, group_a, "conflict_recorded", conflict=conflict.pk, other=group_b.pk, status=status)
    return conflict


@transaction.atomic(durable=True)
def conflict_set_status(
    *, actor: User, access: TrefasAccess, conflict: Conflict, status: str, since: date, note: str,
    version: int | None,
) -> None:
    """Mark a conflict active or dormant (from ``since``); StaleEdit when someone changed it
    first, and nothing is written."""
    _require_own(access, conflict.group_a)
    _require_own(access, conflict.group_b)
    if status not in ConflictStatus.values:
        raise ValidationError({"status": _("Choose whether the conflict is active or dormant.")})
    update_versioned(
        Conflict, pk=conflict.pk, version=version, status=status, since=since, note=note.strip()[:300],
        recorded_by=actor, updated_at=timezone.now(),
    )
    _audit(actor, conflict.group_a, "conflict_status", conflict=conflict.pk, status=status)
