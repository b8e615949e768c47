"""Which Trefas records the retention purge will delete: per record type, each record's
owner and the date its retention period is counted from; the owner's own rule, else the
default (trefas.retention). Ids and counts only: nothing here names a person.

A record is *due* when its period has passed. A due record is *kept* when something
that still has to be kept points at it (e.g. a listing with a share that is not yet due:
each record keeps its owner and its own period, so one organisation's rule never
deletes another's records early) or when the listed person's SIG case is on legal hold.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied
from django.db.models import Max, Q
from django.utils import timezone

from samverkan.access import policy
from samverkan.access.permissions import Permission
from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.trefas.models import (
    ActionItem,
    Conflict,
    ExitLink,
    ForumMeeting,
    Group,
    Incident,
    Listing,
    RecordType,
    Release,
    RetentionRule,
    Share,
    ShareState,
)
from samverkan.trefas.retention import DEFAULT_YEARS, DEFAULTS

if TYPE_CHECKING:
    from samverkan.accounts.models import User

# The order the purge goes in: what points at others first, so that a run clears the way
# for the records it points at (actions before meetings and incidents, shares before
# listings and groups, ...).
PURGE_ORDER: tuple[str, ...] = (
    "action", RecordType.MEETING, RecordType.SHARE, RecordType.RELEASE, RecordType.INCIDENT,
    RecordType.GROUP, RecordType.LISTING,
)


class Rules:
    """Years per (organisation, record type): the organisation's rule, else the default."""

    def __init__(self) -> None:
        self.defaults = dict(DEFAULT_YEARS)
        self.own: dict[tuple[int, str], int] = {}
        for org_id, record_type, years in RetentionRule.objects.values_list("organisation_id", "record_type", "years"):
            if org_id is None:
                self.defaults[record_type] = years
            else:
                self.own[(org_id, record_type)] = years

    def years(self, organisation_id: int | None, record_type: str) -> int:
        if organisation_id is not None and (organisation_id, record_type) in self.own:
            return self.own[(organisation_id, record_type)]
        return self.defaults[record_type]


def _day(value: date | datetime | None) -> date | None:
    if value is None:
        return None
    return timezone.localdate(value) if isinstance(value, datetime) else value


@dataclass
class DueRecords:
    """Per kind: ids of due records (and of those kept), by kind (a record type, and
    "action" for the actions that go with meetings)."""

    due: dict[str, list[int]] = field(default_factory=dict)
    held: dict[str, int] = field(default_factory=dict)  # kept for a legal hold

    def counts(self) -> dict[str, int]:
        return {kind: len(ids) for kind, ids in self.due.items()}


Row = tuple[int, int | None, date | None]


def _rows(kind: str, organisation_id: int | None) -> list[Row]:
    """(id, owner, date counted from) of every record of ``kind`` that has ended."""
    own: Q = Q()
    if kind == RecordType.LISTING:
        own = Q(nominated_by_organisation_id=organisation_id) if organisation_id else Q()
        listings: list[Row] = [(pk, org, _day(d)) for pk, org, d in Listing.objects.filter(
            own, removed_at__isnull=False).values_list("pk", "nominated_by_organisation_id", "removed_at")]
        return listings
    if kind == RecordType.SHARE:
        own = Q(from_organisation_id=organisation_id) if organisation_id else Q()
        rows: list[Row] = []
        for pk, org, decided, withdrawn, state in Share.objects.filter(own).exclude(
                state=ShareState.PROPOSED).values_list(
                "pk", "from_organisation_id", "decided_at", "withdrawn_at", "state"):
            rows.append((pk, org, _day(withdrawn if state == ShareState.WITHDRAWN else decided) or _day(withdrawn)))
        return rows
    if kind == RecordType.INCIDENT:
        own = Q(registered_by_organisation_id=organisation_id) if organisation_id else Q()
        return [(pk, org, _day(d)) for pk, org, d in Incident.objects.filter(own)
                .values_list("pk", "registered_by_organisation_id", "occurred_at")]
    if kind == RecordType.MEETING:
        own = Q(created_by__organisation_id=organisation_id) if organisation_id else Q()
        return [(pk, org, _day(d)) for pk, org, d in ForumMeeting.objects.filter(own)
                .values_list("pk", "created_by__organisation_id", "scheduled_for")]
    if kind == "action":
        own = Q(organisation_id=organisation_id) if organisation_id else Q()
        return [(pk, org, max(_day(due) or date.min, _day(done) or date.min))
                for pk, org, due, done in ActionItem.objects.filter(own)
                .values_list("pk", "organisation_id", "due_at", "done_at")]
    if kind == RecordType.RELEASE:
        own = Q(registered_by_organisation_id=organisation_id) if organisation_id else Q()
        releases: list[Row] = list(
            Release.objects.filter(own).values_list("pk", "registered_by_organisation_id", "date"))
        return releases
    if kind == RecordType.GROUP:
        own = Q(owner_organisation_id=organisation_id) if organisation_id else Q()
        groups = Group.objects.filter(own).annotate(
            last_member=Max("memberships__since"), last_until=Max("memberships__until"))
        last_conflict: dict[int, Any] = {}
        for a, b, changed in Conflict.objects.values_list("group_a_id", "group_b_id", "updated_at"):
            for g in (a, b):
                if last_conflict.get(g) is None or changed > last_conflict[g]:
                    last_conflict[g] = changed
        group_rows: list[Row] = []
        for pk, org, created, member, until in groups.values_list(
                "pk", "owner_organisation_id", "created_at", "last_member", "last_until"):
            dates = [d for d in (_day(created), member, until, _day(last_conflict.get(pk))) if d]
            group_rows.append((pk, org, max(dates)))
        return group_rows
    raise ValueError(kind)


def _held_listings() -> set[int]:
    """Listings whose exit leads to a SIG case on legal hold."""
    return set(ExitLink.objects.filter(case__legal_hold=True).values_list("listing_id", flat=True))


def due_records(*, today: date, organisation_id: int | None = None) -> DueRecords:
    """Every due Trefas record (of ``organisation_id``'s records, or all). Not audited:
    for the purge and for ``retention_overview``."""
    rules = Rules()
    result = DueRecords()
    held_listings = _held_listings()
    for kind in PURGE_ORDER:
        rule_type = RecordType.MEETING if kind == "action" else kind
        ids = []
        held = 0
        for pk, org, start in _rows(kind, organisation_id):
            if start is None or start + relativedelta(years=rules.years(org, rule_type)) > today:
                continue
            if kind == RecordType.LISTING and pk in held_listings:
                held += 1
                continue
            ids.append(pk)
        result.due[kind] = sorted(ids)
        result.held[kind] = held
    return result


@dataclass(frozen=True)
class RuleRow:
    record_type: str
    label: str
    counted_from: str
    default_years: int
    own_years: int | None


def rules_for(*, actor: User) -> list[RuleRow]:
    """The actor's organisation's rules beside the defaults (RETENTION_MANAGE)."""
    if not policy.has_permission(actor, Permission.RETENTION_MANAGE) or actor.organisation_id is None:
        raise PermissionDenied
    rules = Rules()
    labels = dict(RecordType.choices)
    return [
        RuleRow(d.record_type, str(labels[d.record_type]), d.counted_from, rules.defaults[d.record_type],
                rules.own.get((actor.organisation_id, d.record_type)))
        for d in DEFAULTS
    ]


def retention_overview(*, actor: User, today: date | None = None) -> DueRecords:
    """The dry run for a data-protection officer: counts of the own organisation's due
    Trefas records (no ids, no names reach the page). Audited with the counts."""
    if not policy.has_permission(actor, Permission.RETENTION_MANAGE) or actor.organisation_id is None:
        raise PermissionDenied
    result = due_records(today=today or timezone.localdate(), organisation_id=actor.organisation_id)
    audit.record(
        action=Action.RETENTION_LIST_VIEWED,
        actor=actor,
        subject_type="trefas_retention",
        subject_id=actor.organisation_id,
        subject_organisation_id=actor.organisation_id,
        detail={**result.counts(), "held": sum(result.held.values())},
    )
    return result
