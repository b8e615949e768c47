"""Changing action groups, premises and the outreach to agencies.

Only the municipal side with area:action_group:manage may call these (policy
``can_manage_action_groups``); every change is audited in the same transaction, and
edits use optimistic locking (``expected_version``) so that two coordinators never
silently overwrite each other.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from samverkan.access import policy
from samverkan.actiongroups.models import (
    DEFAULT_POSITIONS_PER_AGENCY,
    GROUP_TRANSITIONS,
    MOTION_AGENCY_CODES,
    ActionGroup,
    ContactLogEntry,
    Outreach,
    OutreachDocument,
    OutreachStatus,
    PositionRequirement,
    Premises,
)
from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.directory.models import Area, Organisation
from samverkan.directory.services import StaleEdit
from samverkan.lib.concurrency import save_versioned

if TYPE_CHECKING:
    from samverkan.accounts.models import User

__all__ = ["StaleEdit", "UploadRefused"]


class UploadRefused(Exception):
    """The uploaded file is too large or not an accepted type; ``str()`` says which."""


def _require_manage(actor: User) -> None:
    if not policy.can_manage_action_groups(actor=actor):
        raise PermissionDenied


def motion_agencies() -> list[Organisation]:
    """The eleven agencies of the motion that exist in the directory, by name."""
    return list(
        Organisation.objects.filter(short_code__in=MOTION_AGENCY_CODES, kind="agency").order_by(
            "name"
        )
    )


@transaction.atomic
def group_create(
    *,
    actor: User,
    name: str,
    code: str,
    areas: Iterable[Area],
    around_the_clock: bool = True,
    opens_at: dt.time | None = None,
    closes_at: dt.time | None = None,
    contact_phone: str = "",
    contact_email: str = "",
    contact_web: str = "",
    contact_notes: str = "",
    positions_per_agency: int = DEFAULT_POSITIONS_PER_AGENCY,
) -> ActionGroup:
    """Create a proposed group with ``positions_per_agency`` positions for each of the
    eleven agencies and an outreach row (not contacted) per agency."""
    _require_manage(actor)
    group = ActionGroup(
        name=name,
        code=code,
        around_the_clock=around_the_clock,
        opens_at=opens_at,
        closes_at=closes_at,
        contact_phone=contact_phone,
        contact_email=contact_email,
        contact_web=contact_web,
        contact_notes=contact_notes,
    )
    group.full_clean()
    group.save()
    area_list = list(areas)
    if not area_list:
        raise ValidationError({"areas": _("Choose at least one area.")})
    group.areas.set(area_list)
    agencies = motion_agencies()
    PositionRequirement.objects.bulk_create(
        [
            PositionRequirement(group=group, agency=a, positions=positions_per_agency)
            for a in agencies
        ]
    )
    Outreach.objects.bulk_create([Outreach(group=group, agency=a) for a in agencies])
    audit.record(
        action=Action.ACTION_GROUP_CREATED,
        actor=actor,
        subject_type="action_group",
        subject_id=group.pk,
        detail={"areas": [a.pk for a in area_list], "agencies": len(agencies)},
    )
    return group


_GROUP_FIELDS = (
    "name",
    "around_the_clock",
    "opens_at",
    "closes_at",
    "contact_phone",
    "contact_email",
    "contact_web",
    "contact_notes",
)


@transaction.atomic
def group_update(
    *,
    actor: User,
    group: ActionGroup,
    expected_version: int | None,
    areas: Iterable[Area] | None = None,
) -> ActionGroup:
    """Save the edited fields of ``group`` (name, hours, contact channels) and areas."""
    _require_manage(actor)
    group.full_clean(exclude=["code"])
    save_versioned(instance=group, expected_version=expected_version, fields=_GROUP_FIELDS)
    if areas is not None:
        area_list = list(areas)
        if not area_list:
            raise ValidationError({"areas": _("Choose at least one area.")})
        group.areas.set(area_list)
    audit.record(
        action=Action.ACTION_GROUP_UPDATED,
        actor=actor,
        subject_type="action_group",
        subject_id=group.pk,
    )
    return group


@transaction.atomic
def group_set_status(
    *, actor: User, group: ActionGroup, status: str, expected_version: int | None
) -> ActionGroup:
    """Move the group along proposed → forming → operating ⇄ paused → closed."""
    _require_manage(actor)
    old = group.status
    if status not in GROUP_TRANSITIONS.get(old, frozenset()):
        raise ValidationError(
            _("A group cannot go from %(old)s to %(new)s.") % {"old": old, "new": status}
        )
    group.status = status
    save_versioned(instance=group, expected_version=expected_version, fields=["status"])
    audit.record(
        action=Action.ACTION_GROUP_STATUS_CHANGED,
        actor=actor,
        subject_type="action_group",
        subject_id=group.pk,
        detail={"from": old, "to": status},
    )
    return group


@transaction.atomic
def positions_set(
    *, actor: User, group: ActionGroup, positions: Mapping[int, int], expected_version: int | None
) -> ActionGroup:
    """Set the required positions per agency (agency id → count; 0 allowed)."""
    _require_manage(actor)
    if any(n < 0 or n > 50 for n in positions.values()):
        raise ValidationError(_("Positions must be between 0 and 50."))
    # Bump the group's version first: a concurrent edit of the positions fails here.
    save_versioned(instance=group, expected_version=expected_version, fields=[])
    known = set(
        Organisation.objects.filter(pk__in=positions, kind="agency").values_list("pk", flat=True)
    )
    for agency_id, count in positions.items():
        if agency_id not in known:
            raise ValidationError(_("Unknown agency."))
        PositionRequirement.objects.update_or_create(
            group=group, agency_id=agency_id, defaults={"positions": count}
        )
        Outreach.objects.get_or_create(group=group, agency_id=agency_id)
    audit.record(
        action=Action.POSITIONS_CHANGED,
        actor=actor,
        subject_type="action_group",
        subject_id=group.pk,
        detail={"total": sum(positions.values())},
    )
    return group


_PREMISES_FIELDS = ("address", "description", "kind", "valid_from", "valid_to", "capacity")


@transaction.atomic
def premises_save(
    *, actor: User, group: ActionGroup, premises: Premises, expected_version: int | None = None
) -> Premises:
    """Add (``premises.pk`` None) or change premises of ``group``."""
    _require_manage(actor)
    premises.group = group
    premises.full_clean()
    if premises.valid_to and premises.valid_to < premises.valid_from:
        raise ValidationError({"valid_to": _("The end date must not be before the start date.")})
    if premises.pk is None:
        premises.save()
    else:
        if (
            Premises.objects.filter(pk=premises.pk).values_list("group_id", flat=True).first()
            != group.pk
        ):
            raise PermissionDenied
        save_versioned(
            instance=premises, expected_version=expected_version, fields=_PREMISES_FIELDS
        )
    audit.record(
        action=Action.PREMISES_SAVED,
        actor=actor,
        subject_type="premises",
        subject_id=premises.pk,
        detail={"group": group.pk, "kind": premises.kind},
    )
    return premises


@transaction.atomic
def outreach_update(
    *,
    actor: User,
    outreach: Outreach,
    status: str,
    expected_version: int | None,
    declined_reason: str = "",
    agreed_experts: int | None = None,
) -> Outreach:
    """Record where the contact with an agency stands. Declining needs a reason."""
    _require_manage(actor)
    if status not in OutreachStatus.values:
        raise ValidationError(_("Unknown status."))
    if status == OutreachStatus.DECLINED and not declined_reason.strip():
        raise ValidationError({"declined_reason": _("Say why the agency declined.")})
    old = outreach.status
    outreach.status = status
    outreach.declined_reason = declined_reason.strip() if status == OutreachStatus.DECLINED else ""
    outreach.agreed_experts = agreed_experts
    save_versioned(
        instance=outreach,
        expected_version=expected_version,
        fields=["status", "declined_reason", "agreed_experts"],
    )
    audit.record(
        action=Action.OUTREACH_UPDATED,
        actor=actor,
        subject_type="outreach",
        subject_id=outreach.pk,
        subject_organisation_id=outreach.agency_id,
        detail={"from": old, "to": status, "agreed": agreed_experts},
    )
    return outreach


@transaction.atomic
def contact_log(
    *, actor: User, outreach: Outreach, contacted_on: dt.date, who: str, channel: str, summary: str
) -> ContactLogEntry:
    """Add an entry to the contact log; a first contact moves "not contacted" on."""
    _require_manage(actor)
    entry = ContactLogEntry(
        outreach=outreach,
        contacted_on=contacted_on,
        who=who,
        channel=channel,
        summary=summary,
        created_by=actor,
    )
    entry.full_clean()
    entry.save()
    if outreach.status == OutreachStatus.NOT_CONTACTED:
        Outreach.objects.filter(pk=outreach.pk).update(
            status=OutreachStatus.CONTACTED, version=F("version") + 1
        )
        outreach.refresh_from_db()
    audit.record(
        action=Action.OUTREACH_CONTACT_LOGGED,
        actor=actor,
        subject_type="outreach",
        subject_id=outreach.pk,
        subject_organisation_id=outreach.agency_id,
        detail={"entry": entry.pk, "channel": channel},
    )
    return entry


# Accepted uploads: extension → (content type, leading bytes). The content decides, not
# the name or the browser's claim.
ACCEPTED_UPLOADS: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
}


def upload_max_bytes() -> int:
    return int(getattr(settings, "SAMVERKAN_UPLOAD_MAX_BYTES", 10 * 1024 * 1024))


def check_upload(*, name: str, size: int, head: bytes) -> str:
    """Return the content type of an acceptable upload; raise UploadRefused otherwise."""
    limit = upload_max_bytes()
    if size > limit:
        raise UploadRefused(
            _("The file is too large: at most %(mb).1f MB.") % {"mb": limit / 1024 / 1024}
        )
    if size == 0:
        raise UploadRefused(_("The file is empty."))
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    accepted = ACCEPTED_UPLOADS.get(ext)
    if accepted is None or not any(head.startswith(magic) for magic in accepted[1]):
        raise UploadRefused(_("Only PDF, PNG and JPEG files are accepted."))
    return accepted[0]


@transaction.atomic
def document_upload(
    *, actor: User, outreach: Outreach, kind: str, uploaded: Any
) -> OutreachDocument:
    """Store an uploaded PDF or image for the outreach (size and type checked first)."""
    _require_manage(actor)
    size = int(uploaded.size)
    limit = upload_max_bytes()
    head = b""
    if size <= limit:
        uploaded.seek(0)
        head = uploaded.read(16)
    content_type = check_upload(name=str(uploaded.name), size=size, head=head)
    uploaded.seek(0)
    content = uploaded.read(limit + 1)
    if len(content) > limit:  # the declared size lied
        raise UploadRefused(
            _("The file is too large: at most %(mb).1f MB.") % {"mb": limit / 1024 / 1024}
        )
    safe_name = "".join(
        ch for ch in str(uploaded.name).rsplit("/", 1)[-1] if ch.isalnum() or ch in "._- "
    )[:150]
    doc = OutreachDocument.objects.create(
        outreach=outreach,
        kind=kind,
        filename=safe_name or "document",
        content_type=content_type,
        size=len(content),
        content=content,
        uploaded_by=actor,
    )
    audit.record(
        action=Action.OUTREACH_DOCUMENT_UPLOADED,
        actor=actor,
        subject_type="outreach_document",
        subject_id=doc.pk,
        subject_organisation_id=outreach.agency_id,
        detail={"outreach": outreach.pk, "kind": kind, "bytes": len(content)},
    )
    return doc


@transaction.atomic
def document_opened(*, actor: User, document: OutreachDocument) -> None:
    """Record that ``actor`` downloaded the document (the selector already checked access)."""
    audit.record(
        action=Action.OUTREACH_DOCUMENT_DOWNLOADED,
        actor=actor,
        subject_type="outreach_document",
        subject_id=document.pk,
    )
