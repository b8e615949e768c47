"""The retention purge (gallring): deletes every trace of cases whose last entry is
older than their programme's retention period, except cases on legal hold.

What is deleted per case: every row that hangs off the case (notes, consents and their
uploaded files, disclosures, plans, meetings, minutes, reminders, closure, follow-ups,
team, emergency accesses — found from the model graph, see collect.py), the case, and
the Person (with their guardianships and guardians) when no other case or child
references them. What remains: one anonymous PurgedCaseStat row per case, and audit
events carrying counts only.

Signed journal notes are protected by database triggers (journal.guard): the purge is
their only legitimate deleter and opens journal.guard.retention_purge_permit() inside
its own transaction for that.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from django.db import models, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.cases.models import Case, Closure
from samverkan.dataprotection import selectors
from samverkan.dataprotection.collect import case_graph, file_names
from samverkan.dataprotection.models import PurgedCaseStat
from samverkan.journal.guard import retention_purge_permit
from samverkan.people.models import Guardianship, Person

if TYPE_CHECKING:
    from samverkan.accounts.models import User


@dataclass
class PurgeResult:
    dry_run: bool
    due: list[selectors.DueCase]
    purged: int = 0
    skipped: int = 0
    rows: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "due": len(self.due),
            "purged": self.purged,
            "skipped": self.skipped,
            "rows": dict(self.rows),
        }


def _count_key(label: str) -> str:
    return label.lower().replace(".", "_")[:40]


def _months_between(start: date, end: date) -> int:
    return max(0, (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day))


def _stat_for(case: Case, today: date) -> PurgedCaseStat:
    outcome = (
        Closure.objects.filter(case_id=case.pk).values_list("outcome", flat=True).first() or ""
    )
    opened = timezone.localdate(case.opened_at)
    ended = timezone.localdate(case.closed_at or case.last_entry_at)
    return PurgedCaseStat(
        programme_code=case.programme.code,
        lead_organisation_code=case.lead_organisation.short_code,
        district_code=case.district.code,
        intake_source=case.intake_source,
        final_status=case.status,
        outcome_code=outcome,
        year_opened=opened.year,
        year_closed=ended.year if case.closed_at else None,
        months_in_programme=min(_months_between(opened, ended), 32767),
        year_purged=today.year,
    )


def _delete_leaf_first(model: type[models.Model], rows: list[models.Model]) -> int:
    """Delete rows of a model that references itself with PROTECT (e.g. a correction
    that protects the corrected row): the referencing rows go first."""
    self_fks = [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.ForeignKey) and f.remote_field.model is model
    ]
    remaining = {r.pk for r in rows}
    deleted = 0
    while remaining:
        referenced: set[Any] = set()
        for fk in self_fks:
            referenced |= set(
                model._default_manager.filter(pk__in=remaining)
                .exclude(**{f"{fk.name}__isnull": True})
                .values_list(fk.attname, flat=True)
            )
        leaves = remaining - referenced
        if not leaves:
            raise ProtectedError("circular self-reference", set())
        deleted += (
            model._default_manager.filter(pk__in=leaves).delete()[1].get(model._meta.label, 0)
        )
        remaining -= leaves
    return deleted


def _purge_person(person_id: int, counts: dict[str, int]) -> None:
    """Delete the person if nothing else references them, then their guardians who are
    left with nothing (no case of their own, no other child)."""
    if (
        Case.objects.filter(person_id=person_id).exists()
        or Guardianship.objects.filter(guardian_id=person_id).exists()
    ):
        return
    guardian_ids = list(
        Guardianship.objects.filter(child_id=person_id).values_list("guardian_id", flat=True)
    )
    for label, n in Person.objects.filter(pk=person_id).delete()[1].items():
        counts[_count_key(label)] = counts.get(_count_key(label), 0) + n
    for gid in guardian_ids:
        if (
            Case.objects.filter(person_id=gid).exists()
            or Guardianship.objects.filter(guardian_id=gid).exists()
            or Guardianship.objects.filter(child_id=gid).exists()
        ):
            continue
        for label, n in Person.objects.filter(pk=gid).delete()[1].items():
            counts[_count_key(label)] = counts.get(_count_key(label), 0) + n


def purge_case(*, case_id: int, today: date, actor: User | None = None) -> dict[str, int] | None:
    """Delete one case and everything it owns, if it is still due (re-checked under a
    row lock) and not on legal hold. Returns the row counts, or None when skipped."""
    with transaction.atomic():
        case = (
            Case.objects.select_for_update()
            .filter(pk=case_id)
            .select_related("programme", "district", "lead_organisation")
            .first()
        )
        if case is None or case.legal_hold or not selectors.is_due(case, today):
            return None
        public_id, lead_org_id, person_id = (
            case.public_id,
            case.lead_organisation_id,
            case.person_id,
        )
        _stat_for(case, today).save(force_insert=True)
        graph = case_graph(case)
        files = file_names(graph)
        counts: dict[str, int] = {}
        with retention_purge_permit():
            # Rows that protect others first: self-references (corrections), then
            # PROTECT relations to the case (e.g. disclosures); the rest cascades.
            for model, rows in graph.items():
                if any(
                    isinstance(f, models.ForeignKey)
                    and f.remote_field.model is model
                    and f.remote_field.on_delete is models.PROTECT
                    for f in model._meta.concrete_fields
                ):
                    counts[_count_key(model._meta.label)] = _delete_leaf_first(model, rows)
            for rel in Case._meta.related_objects:
                if getattr(rel, "on_delete", None) is models.PROTECT:
                    for label, n in (
                        cast(type[models.Model], rel.related_model)
                        ._default_manager.filter(**{rel.field.name: case})
                        .delete()[1]
                        .items()
                    ):
                        counts[_count_key(label)] = counts.get(_count_key(label), 0) + n
            for label, n in case.delete()[1].items():
                counts[_count_key(label)] = counts.get(_count_key(label), 0) + n
        _purge_person(person_id, counts)
        counts = {k: v for k, v in sorted(counts.items()) if v}
        audit.record(
            action=Action.RETENTION_CASE_PURGED,
            actor=actor,
            subject_type="case",
            subject_id=public_id,
            subject_organisation_id=lead_org_id,
            detail={**counts, "files": len(files)},
        )

        def remove_files() -> None:
            for storage, name in files:
                # A missing file is already gone, as is the row that named it.
                with contextlib.suppress(OSError):
                    storage.delete(name)

        transaction.on_commit(remove_files)
    return counts


def purge_run(
    *,
    today: date | None = None,
    dry_run: bool = False,
    organisation_id: int | None = None,
    actor: User | None = None,
    progress: Any = None,
) -> PurgeResult:
    """Purge every due case (of ``organisation_id``'s cases, or all). ``dry_run`` only
    lists them. Each case is purged in its own transaction; the run is audited with
    counts only."""
    today = today or timezone.localdate()
    due = selectors.due_cases(today=today, organisation_id=organisation_id)
    result = PurgeResult(dry_run=dry_run, due=[d for d in due if not d.legal_hold])
    if not dry_run:
        for i, item in enumerate(result.due):
            if progress:
                progress(i, len(result.due))
            counts = purge_case(case_id=item.case_id, today=today, actor=actor)
            if counts is None:
                result.skipped += 1
                continue
            result.purged += 1
            for key, n in counts.items():
                result.rows[key] = result.rows.get(key, 0) + n
    audit.record(
        action=Action.RETENTION_PURGE_RUN,
        actor=actor,
        subject_type="retention",
        subject_id=organisation_id or "",
        subject_organisation_id=organisation_id,
        detail={
            "dry_run": dry_run,
            "due": len(result.due),
            "purged": result.purged,
            "skipped": result.skipped,
            "held": len(due) - len(result.due),
        },
    )
    return result
