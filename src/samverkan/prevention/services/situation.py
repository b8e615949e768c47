"""Changing the lägesbild (lag 2023:196 4 §): starting a version, its text sections,
statistic tables, prioritised problems, citizen dialogues and participants, and its
status draft → agreed → decided.

Rules every function keeps, whatever page called it:

- **Who**: ``LocalAction.MANAGE_DOCUMENT`` on the document (decision.py), else 403.
- **Only a draft changes**: an agreed or decided version is the text the parties stood
  behind or the body decided; it is never edited, only followed by a new version.
- **One version number for the whole document**: every change sends the version the
  editor loaded and bumps it in the same ``UPDATE … WHERE status = 'draft' AND version =
  …`` (lib.concurrency), so two people editing the same lägesbild never overwrite each
  other silently, and a document decided meanwhile refuses the change.
- **Audited** in the same transaction (ids and counts only, never text).
- **No identity numbers** in the document's free text (it describes places and crime,
  never persons).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.directory.models import Organisation
from samverkan.lib.concurrency import update_versioned
from samverkan.lib.identity_numbers import find_in_text
from samverkan.picture.decision import LocalAccess, LocalAction
from samverkan.prevention.models import (
    CitizenDialogue,
    DocumentStatus,
    Problem,
    SituationReport,
    StatisticSource,
    StatisticTable,
)
from samverkan.prevention.selectors import situation as selectors
from samverkan.prevention.services import lifecycle

if TYPE_CHECKING:
    from samverkan.accounts.models import User

APP_SOURCE = "Samverkan, lokal lägesbild"  # the source printed under the app's own tables
TEXT_SECTIONS = ("summary", "consequences", "other_information", "analysis")
MAX_ROWS = 200
SUBJECT = "prevention.situationreport"


@dataclass(frozen=True)
class Row:
    """One row of a statistic table; ``previous`` is the value of the period before."""

    label: str
    value: int | float
    previous: int | float | None = None

    def as_json(self) -> dict[str, Any]:
        return {"label": self.label, "value": self.value, "previous": self.previous}


# --- guards -------------------------------------------------------------------------


def refuse_identity_numbers(**texts: str) -> None:
    """A valid personnummer or samordningsnummer in any of ``texts`` is refused (the
    field named by its keyword gets the message)."""
    errors = {}
    for name, text in texts.items():
        if find_in_text(text):
            errors[name] = _("Remove the identity number: the situation report describes places and crime, "
                             "never persons.")
    if errors:
        raise ValidationError(errors)


def _require_draft(access: LocalAccess, report: SituationReport) -> None:
    access.require(LocalAction.MANAGE_DOCUMENT, report)
    if report.status != DocumentStatus.DRAFT:
        raise ValidationError(_("Only a draft can be changed. Start a new version to change a situation report "
                                "that has been agreed or decided."), code="not_draft")


def _bump(report: SituationReport, version: int | None, **changes: Any) -> None:
    """Compare-and-bump the document's version while it is still a draft (StaleEdit
    otherwise, nothing written); ``changes`` are written in the same UPDATE."""
    update_versioned(SituationReport.objects.filter(status=DocumentStatus.DRAFT), pk=report.pk, version=version,
                     updated_at=timezone.now(), **changes)
    report.version = (report.version or 0) + 1
    for name, value in changes.items():
        setattr(report, name, value)


def _audit(action: Action, actor: User, report: SituationReport, **detail: Any) -> None:
    audit.record(action=action, actor=actor, subject_type=SUBJECT, subject_id=report.pk,
                 subject_organisation_id=actor.organisation_id, detail=detail)


def _changed(actor: User, report: SituationReport, part: str, **detail: Any) -> None:
    _audit(Action.PREVENTION_SITUATION_CHANGED, actor, report, part=part, **detail)


# --- versions -----------------------------------------------------------------------


@transaction.atomic
def create_version(*, actor: User, access: LocalAccess, scope: selectors.ScopeChoice, title: str,
                   period_start: date, period_end: date, copy: bool) -> SituationReport:
    """Start a new draft for ``scope``: empty, or (``copy``) a copy of the latest agreed
    or decided version with its sections, tables, problems (and their areas), dialogues
    and participants. ``previous`` is the scope's latest version either way, so the
    versions form one chain. One draft per scope at a time."""
    probe = SituationReport(municipality=scope.municipality, district_id=scope.district_id)
    access.require(LocalAction.MANAGE_DOCUMENT, probe)
    if period_end < period_start:
        raise ValidationError({"period_end": _("The period must end after it starts.")})
    refuse_identity_numbers(title=title)
    # Lock the scope's versions, so two people starting a version at once are served one
    # after the other (the second then finds the first one's draft). The very first
    # version of a scope has nothing to lock: two first drafts started at the same moment
    # for the same period meet the unique (scope, period, number) constraint.
    list(SituationReport.objects.filter(selectors.scope_q(scope.municipality, scope.district_id))
         .order_by("pk").select_for_update().values_list("pk", flat=True))  # (no join to order by)
    if selectors.draft_of_scope(scope.municipality, scope.district_id) is not None:
        raise ValidationError(_("A draft of this situation report is already open. Continue it, or decide it first."),
                              code="draft_exists")
    basis = selectors.copy_basis(scope.municipality, scope.district_id)
    if copy and basis is None:
        raise ValidationError({"start": _("There is no agreed or decided version to copy yet. Start an empty one.")})
    report = SituationReport(
        municipality=scope.municipality, district_id=scope.district_id, title=title,
        period_start=period_start, period_end=period_end, previous=basis,
        number=selectors.next_number(scope.municipality, scope.district_id), created_by=actor,
    )
    if copy and basis is not None:
        for name in TEXT_SECTIONS:
            setattr(report, name, getattr(basis, name))
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as exc:  # someone started a version of the same scope at the same moment
        raise ValidationError(_("Someone else started a version at the same time. Open the list and try "
                                "again."), code="race") from exc
    if copy and basis is not None:
        _copy_parts(basis, report)
    _audit(Action.PREVENTION_SITUATION_CREATED, actor, report, number=report.number,
           copied_from=basis.pk if copy and basis else None, district=scope.district_id)
    return report


def _copy_parts(basis: SituationReport, report: SituationReport) -> None:
    StatisticTable.objects.bulk_create([
        StatisticTable(report=report, title=t.title, source_kind=t.source_kind, source=t.source, year=t.year,
                       unit=t.unit, rows=list(t.rows), note=t.note, order=t.order)
        for t in basis.tables.all()
    ])
    CitizenDialogue.objects.bulk_create([
        CitizenDialogue(report=report, held_on=d.held_on, place=d.place, participants=d.participants, notes=d.notes)
        for d in basis.dialogues.all()
    ])
    for problem in basis.problems.prefetch_related("areas"):
        copy = Problem.objects.create(report=report, priority=problem.priority, title=problem.title,
                                      description=problem.description, causes=problem.causes)
        copy.areas.set([a.pk for a in problem.areas.all()])
    report.participants.set(list(basis.participants.values_list("pk", flat=True)))


# --- sections -------------------------------------------------------------------------


@transaction.atomic
def update_section(*, actor: User, access: LocalAccess, report: SituationReport, section: str, text: str,
                   version: int | None) -> SituationReport:
    if section not in TEXT_SECTIONS:
        raise ValueError(section)
    _require_draft(access, report)
    refuse_identity_numbers(text=text)
    _bump(report, version, **{section: text})
    _changed(actor, report, section)
    return report


@transaction.atomic
def update_details(*, actor: User, access: LocalAccess, report: SituationReport, title: str, period_start: date,
                   period_end: date, version: int | None) -> SituationReport:
    _require_draft(access, report)
    if period_end < period_start:
        raise ValidationError({"period_end": _("The period must end after it starts.")})
    refuse_identity_numbers(title=title)
    _bump(report, version, title=title, period_start=period_start, period_end=period_end)
    _changed(actor, report, "details")
    return report


@transaction.atomic
def set_participants(*, actor: User, access: LocalAccess, report: SituationReport, organisation_ids: Iterable[int],
                     version: int | None) -> SituationReport:
    _require_draft(access, report)
    wanted = sorted(set(organisation_ids))
    found = list(Organisation.objects.filter(pk__in=wanted, active=True).values_list("pk", flat=True))
    if len(found) != len(wanted):
        raise ValidationError({"organisations": _("Choose organisations from the list.")})
    _bump(report, version)
    report.participants.set(found)
    _changed(actor, report, "participants", count=len(found))
    return report


# --- statistic tables -------------------------------------------------------------------


def _rows_json(rows: Sequence[Row]) -> list[dict[str, Any]]:
    if not rows:
        raise ValidationError({"rows": _("Enter at least one row.")})
    if len(rows) > MAX_ROWS:
        raise ValidationError({"rows": _("A table has at most %(n)d rows.") % {"n": MAX_ROWS}})
    refuse_identity_numbers(rows=" ".join(r.label for r in rows))
    return [r.as_json() for r in rows]


@transaction.atomic
def table_add_imported(*, actor: User, access: LocalAccess, report: SituationReport, version: int | None,
                       title: str, source: str, year: int, unit: str, note: str,
                       rows: Sequence[Row]) -> StatisticTable:
    """A table entered from another source (e.g. the police's reported crime, a survey)."""
    _require_draft(access, report)
    data = _rows_json(rows)
    refuse_identity_numbers(title=title, note=note)
    _bump(report, version)
    table = StatisticTable.objects.create(report=report, title=title, source_kind=StatisticSource.IMPORTED,
                                          source=source, year=year, unit=unit, note=note, rows=data,
                                          order=_next_order(report))
    _changed(actor, report, "table_added", table=table.pk, rows=len(data))
    return table


@transaction.atomic
def table_add_app(*, actor: User, access: LocalAccess, report: SituationReport, version: int | None, title: str,
                  year: int, note: str = "") -> StatisticTable:
    """Active incident reports per category in the document's areas for ``year`` (with the
    year before), counted now and frozen into the table: a decided lägesbild keeps the
    figures it was decided on, whatever is reported later."""
    _require_draft(access, report)
    refuse_identity_numbers(title=title, note=note)
    counts = selectors.incident_counts(report, year)
    if not counts:
        raise ValidationError({"year": _("No incident was reported in this document's areas in %(year)d.")
                               % {"year": year}})
    _bump(report, version)
    rows = [Row(c.label, c.value, c.previous).as_json() for c in counts]
    table = StatisticTable.objects.create(
        report=report, title=title, source_kind=StatisticSource.APP, source=APP_SOURCE, year=year,
        unit=_("reports"), note=note, rows=rows, order=_next_order(report))
    _changed(actor, report, "table_added", table=table.pk, rows=len(rows), app=True)
    return table


def _next_order(report: SituationReport) -> int:
    last = StatisticTable.objects.filter(report=report).order_by("-order").values_list("order", flat=True).first()
    return (last or 0) + 10


@transaction.atomic
def table_update(*, actor: User, access: LocalAccess, table: StatisticTable, version: int | None, title: str,
                 note: str, source: str = "", year: int | None = None, unit: str = "",
                 rows: Sequence[Row] | None = None) -> StatisticTable:
    """An entered table may change wholly; a table from the app's own data keeps its
    counted rows, source and year (only its title and note change)."""
    report = table.report
    _require_draft(access, report)
    refuse_identity_numbers(title=title, note=note)
    table.title, table.note = title, note
    if table.source_kind == StatisticSource.IMPORTED:
        if rows is None or year is None:
            raise ValidationError({"rows": _("Enter at least one row.")})
        table.rows, table.source, table.year, table.unit = _rows_json(rows), source, year, unit
    _bump(report, version)
    table.save()
    _changed(actor, report, "table_changed", table=table.pk, rows=len(table.rows))
    return table


@transaction.atomic
def table_remove(*, actor: User, access: LocalAccess, table: StatisticTable, version: int | None) -> None:
    report = table.report
    _require_draft(access, report)
    _bump(report, version)
    table_id = table.pk
    table.delete()
    _changed(actor, report, "table_removed", table=table_id)


# --- problems ---------------------------------------------------------------------------


def _area_ids(report: SituationReport, area_ids: Iterable[int]) -> list[int]:
    wanted = set(area_ids)
    allowed = set(selectors.document_areas(report).values_list("pk", flat=True))
    if not wanted <= allowed:
        raise ValidationError({"areas": _("Choose areas of this situation report.")})
    return sorted(wanted)


@transaction.atomic
def problem_save(*, actor: User, access: LocalAccess, report: SituationReport, version: int | None,
                 problem: Problem | None, title: str, priority: int, description: str, causes: str,
                 area_ids: Iterable[int]) -> Problem:
    """Add (``problem`` None) or change a prioritised problem with its causes."""
    _require_draft(access, report)
    if problem is not None and problem.report_id != report.pk:
        raise ValueError("problem of another document")
    refuse_identity_numbers(title=title, description=description, causes=causes)
    areas = _area_ids(report, area_ids)
    _bump(report, version)
    if problem is None:
        problem = Problem(report=report)
    problem.title, problem.priority, problem.description, problem.causes = title, priority, description, causes
    problem.save()
    problem.areas.set(areas)
    _changed(actor, report, "problem_saved", problem=problem.pk, areas=len(areas))
    return problem


@transaction.atomic
def problem_remove(*, actor: User, access: LocalAccess, problem: Problem, version: int | None) -> None:
    report = problem.report
    _require_draft(access, report)
    _bump(report, version)
    problem_id = problem.pk
    try:
        with transaction.atomic():
            problem.delete()
    except ProtectedError as exc:
        raise ValidationError(_("A measure of an åtgärdsplan addresses this problem, so it cannot be removed."),
                              code="protected") from exc
    _changed(actor, report, "problem_removed", problem=problem_id)


# --- citizen dialogues ------------------------------------------------------------------


@transaction.atomic
def dialogue_save(*, actor: User, access: LocalAccess, report: SituationReport, version: int | None,
                  dialogue: CitizenDialogue | None, held_on: date, place: str, participants: str,
                  notes: str) -> CitizenDialogue:
    _require_draft(access, report)
    if dialogue is not None and dialogue.report_id != report.pk:
        raise ValueError("dialogue of another document")
    refuse_identity_numbers(place=place, participants=participants, notes=notes)
    _bump(report, version)
    if dialogue is None:
        dialogue = CitizenDialogue(report=report)
    dialogue.held_on, dialogue.place, dialogue.participants, dialogue.notes = held_on, place, participants, notes
    dialogue.save()
    _changed(actor, report, "dialogue_saved", dialogue=dialogue.pk)
    return dialogue


@transaction.atomic
def dialogue_remove(*, actor: User, access: LocalAccess, dialogue: CitizenDialogue, version: int | None) -> None:
    report = dialogue.report
    _require_draft(access, report)
    _bump(report, version)
    dialogue_id = dialogue.pk
    dialogue.delete()
    _changed(actor, report, "dialogue_removed", dialogue=dialogue_id)


# --- status -----------------------------------------------------------------------------


def mark_agreed(*, actor: User, access: LocalAccess, report: SituationReport, agreed_on: date,
                version: int | None) -> SituationReport:
    """The parties agree on the draft: it is no longer edited (the next change is a new
    version), and it may be decided (services.lifecycle)."""
    _require_draft(access, report)
    return lifecycle.transition(report, DocumentStatus.AGREED, actor=actor, expected_version=version,
                                audit_action=Action.PREVENTION_SITUATION_AGREED, subject_type=SUBJECT,
                                date=agreed_on, date_field="agreed_on")


def decide(*, actor: User, access: LocalAccess, report: SituationReport, body: str, decided_on: date,
           reference: str, version: int | None) -> SituationReport:
    """Record the decision (deciding body, date, reference) of a draft or agreed version
    (services.lifecycle): it is never changed again, and every earlier agreed or decided
    version of the same municipality or district is marked replaced."""
    access.require(LocalAction.MANAGE_DOCUMENT, report)
    return lifecycle.transition(report, DocumentStatus.DECIDED, actor=actor, expected_version=version,
                                audit_action=Action.PREVENTION_SITUATION_DECIDED, subject_type=SUBJECT,
                                body=body, date=decided_on, reference=reference, date_field="decided_on",
                                replaced_action=Action.PREVENTION_SITUATION_REPLACED)
