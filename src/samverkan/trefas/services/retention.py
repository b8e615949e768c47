"""The Trefas retention purge (gallring) and the data-protection officer's own
organisation's retention rules.

``purge_run`` deletes every due record (trefas.selectors.retention) in one transaction,
each record in its own savepoint: a record that something still kept points at (the
database refuses: PROTECT) stays, and is counted as kept; so does a listing whose SIG
case is on legal hold. A listed person's record (people.Person, the nominating
organisation's own) goes with the last thing that used it. The disclosure register's
rows about shares are not deleted here: they follow the register's own rules
(consent). Audited TREFAS_PURGED with counts only, in the same transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.access import policy
from samverkan.access.permissions import Permission
from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.journal.guard import retention_purge_permit
from samverkan.people.models import Person
from samverkan.trefas.models import (
    ActionItem,
    ExitLink,
    ForumMeeting,
    Group,
    Incident,
    IncidentLink,
    Listing,
    RecordType,
    Release,
    RetentionRule,
    Share,
)
from samverkan.trefas.selectors.retention import PURGE_ORDER, due_records

if TYPE_CHECKING:
    from samverkan.accounts.models import User

MAX_YEARS = 50

_MODELS: dict[str, type[models.Model]] = {
    "action": ActionItem,
    RecordType.MEETING: ForumMeeting,
    RecordType.SHARE: Share,
    RecordType.RELEASE: Release,
    RecordType.INCIDENT: Incident,
    RecordType.GROUP: Group,
    RecordType.LISTING: Listing,
}


@dataclass
class TrefasPurgeResult:
    dry_run: bool
    due: dict[str, int]
    deleted: dict[str, int] = field(default_factory=dict)
    kept: dict[str, int] = field(default_factory=dict)  # due, but something kept points at it
    held: int = 0  # kept for a legal hold
    persons: int = 0  # person records deleted with their last use

    def as_dict(self) -> dict[str, Any]:
        return {"dry_run": self.dry_run, "due": dict(self.due), "deleted": dict(self.deleted),
                "kept": dict(self.kept), "held": self.held, "persons": self.persons}


def _unused(person_id: int) -> bool:
    """Nothing at all refers to the person record any more (no case, no guardianship, no
    listing, no incident link, no disclosure...), found from the model graph."""
    for rel in Person._meta.related_objects:
        if not (rel.one_to_many or rel.one_to_one):
            continue
        related = cast(type[models.Model], rel.related_model)
        if related._default_manager.filter(**{rel.field.name: person_id}).exists():
            return False
    return True


def _delete_persons(person_ids: set[int]) -> int:
    deleted = 0
    for person_id in sorted(person_ids):
        if _unused(person_id):
            deleted += Person.objects.filter(pk=person_id).delete()[1].get(Person._meta.label, 0)
    return deleted


def _delete(kind: str, pk: int) -> set[int]:
    """Delete one record (and what is its own). Returns the person records it used."""
    persons: set[int] = set()
    if kind == RecordType.LISTING:
        persons |= set(Listing.objects.filter(pk=pk).values_list("person_id", flat=True))
        ExitLink.objects.filter(listing_id=pk).delete()  # the way out is part of the listing
    if kind == RecordType.INCIDENT:
        persons |= set(IncidentLink.objects.filter(incident_id=pk, person__isnull=False)
                       .values_list("person_id", flat=True))
    _MODELS[kind]._default_manager.filter(pk=pk).delete()
    return persons


def purge_run(
    *, today: date | None = None, dry_run: bool = False, organisation_id: int | None = None,
    actor: User | None = None, progress: Callable[[int, int], None] | None = None,
) -> TrefasPurgeResult:
    """Delete every due Trefas record (of ``organisation_id``'s records, or all);
    ``dry_run`` only counts them. Audited TREFAS_PURGED with counts."""
    today = today or timezone.localdate()
    with transaction.atomic():
        due = due_records(today=today, organisation_id=organisation_id)
        result = TrefasPurgeResult(dry_run=dry_run, due=due.counts(), held=sum(due.held.values()))
        if not dry_run:
            # Signed minutes are deleted only under the purge's permit (trefas.guard).
            with retention_purge_permit():
                total = sum(result.due.values())
                done = 0
                persons: set[int] = set()
                for kind in PURGE_ORDER:
                    for pk in due.due.get(kind, []):
                        if progress:
                            progress(done, total)
                        done += 1
                        try:
                            with transaction.atomic():
                                persons |= _delete(kind, pk)
                        except (ProtectedError, RestrictedError):
                            result.kept[kind] = result.kept.get(kind, 0) + 1
                            continue
                        result.deleted[kind] = result.deleted.get(kind, 0) + 1
                result.persons = _delete_persons(persons)
        audit.record(
            action=Action.TREFAS_PURGED,
            actor=actor,
            subject_type="trefas_retention",
            subject_id=organisation_id or "",
            subject_organisation_id=organisation_id,
            detail={
                "dry_run": dry_run,
                "due": sum(result.due.values()),
                "deleted": sum(result.deleted.values()),
                "kept": sum(result.kept.values()),
                "held": result.held,
                "persons": result.persons,
                **{f"deleted_{k}": n for k, n in result.deleted.items()},
            },
        )
    return result


@transaction.atomic(durable=True)
def rule_set(*, actor: User, record_type: str, years: int | None) -> RetentionRule | None:
    """Set the actor's own organisation's retention for one record type (RETENTION_MANAGE),
    or, with ``years`` None, go back to the default. Audited with the numbers."""
    if not policy.has_permission(actor, Permission.RETENTION_MANAGE) or actor.organisation_id is None:
        raise PermissionDenied
    if record_type not in RecordType.values:
        raise ValidationError({"record_type": _("Choose a kind of record.")})
    if years is not None and not 1 <= years <= MAX_YEARS:
        raise ValidationError({"years": _("Keep records from 1 to %(max)d years.") % {"max": MAX_YEARS}})
    existing = RetentionRule.objects.filter(organisation_id=actor.organisation_id, record_type=record_type)
    rule = None
    if years is None:
        existing.delete()
    else:
        rule, _created = RetentionRule.objects.update_or_create(
            organisation_id=actor.organisation_id, record_type=record_type, defaults={"years": years})
    audit.record(
        action=Action.TREFAS_RETENTION_RULE_CHANGED,
        actor=actor,
        subject_type="trefas_retention",
        subject_id=actor.organisation_id,
        subject_organisation_id=actor.organisation_id,
        detail={"record_type": record_type, "years": years or 0, "default": years is None},
    )
    return rule
