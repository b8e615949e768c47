"""Data-protection reads: which cases the retention purge will delete, and the subject
access export (registerutdrag).

``subject_access_export`` is the ONE place in Samverkan that reads across the
organisations' compartments. It is allowed because the data subject has a right of
access to everything held about them (GDPR art. 15; the controller must answer, and
secrecy towards the person themself is the exception, OSL 12 kap.), and the export is
made by the data-protection officer, who holds SUBJECT_ACCESS_EXPORT, for that purpose
only: it requires the permission, an exact identity number and a stated purpose, and
it is audited (the look-up with its purpose, the export with counts only). The DPO
reviews the export for third-party secrecy before handing it over. Nothing else may
call it or copy its approach.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from uuid import UUID

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.access import policy
from samverkan.access.permissions import Permission
from samverkan.accounts.models import User
from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.cases.models import Case, Programme
from samverkan.dataprotection.collect import TREFAS_SECTIONS, case_graph, trefas_records
from samverkan.directory.models import Organisation
from samverkan.lib.identity_numbers import parse
from samverkan.people.models import Guardianship, Person

# --- Retention ----------------------------------------------------------------------


@dataclass(frozen=True)
class DueCase:
    """A case the purge will delete: by public id, programme and dates — no names."""

    case_id: int
    public_id: UUID
    programme_name: str
    programme_code: str
    status: str
    last_entry_on: date
    purge_on: date
    legal_hold: bool


def _purge_date(last_entry_at: datetime, years: int) -> date:
    return timezone.localdate(last_entry_at) + relativedelta(years=years)


def is_due(case: Case, today: date) -> bool:
    """The case's last entry is older than its programme's retention period."""
    return _purge_date(case.last_entry_at, case.programme.retention_years) <= today


def due_cases(
    *, today: date, organisation_id: int | None = None, cases: QuerySet[Case] | None = None
) -> list[DueCase]:
    """Cases whose retention date has come (those on legal hold included, flagged),
    oldest first; all organisations' or one lead organisation's, or those of ``cases``
    (already scoped). Not audited: for the purge itself and for ``retention_list``."""
    q = Q()
    for programme_id, years in Programme.objects.values_list("pk", "retention_years"):
        # last entry on a date d is due when d + years <= today, i.e. d <= today - years
        q |= Q(
            programme_id=programme_id, last_entry_at__date__lte=today - relativedelta(years=years)
        )
    if not q:
        return []
    qs = (cases if cases is not None else Case.objects.all()).filter(q).select_related("programme")
    if organisation_id is not None:
        qs = qs.filter(lead_organisation_id=organisation_id)
    result = []
    for c in qs.order_by("last_entry_at", "pk"):
        if not is_due(c, today):
            continue
        result.append(
            DueCase(
                case_id=c.pk,
                public_id=c.public_id,
                programme_name=c.programme.name,
                programme_code=c.programme.code,
                status=c.get_status_display(),
                last_entry_on=timezone.localdate(c.last_entry_at),
                purge_on=_purge_date(c.last_entry_at, c.programme.retention_years),
                legal_hold=c.legal_hold,
            )
        )
    return result


def retention_list(*, actor: User, today: date | None = None) -> list[DueCase]:
    """The dry-run list for a retention manager: due cases led by the actor's own
    organisation. Requires RETENTION_MANAGE; audited with the count."""
    if not policy.has_permission(actor, Permission.RETENTION_MANAGE):
        raise PermissionDenied
    rows = due_cases(
        today=today or timezone.localdate(),
        cases=policy.scope_retention_cases(actor=actor, queryset=Case.objects.all()),
    )
    audit.record(
        action=Action.RETENTION_LIST_VIEWED,
        actor=actor,
        subject_type="retention",
        subject_id=actor.organisation_id,
        subject_organisation_id=actor.organisation_id,
        detail={
            "due": sum(1 for r in rows if not r.legal_hold),
            "held": sum(1 for r in rows if r.legal_hold),
        },
    )
    return rows


# --- Subject access export (registerutdrag) -------------------------------------------------


def _value(obj: models.Model, f: models.Field) -> Any:
    if isinstance(f, models.ForeignKey):
        related_id = getattr(obj, f.attname)
        if related_id is None:
            return None
        target = f.remote_field.model
        if target is Organisation:
            return getattr(obj, f.name).name
        if target is User:
            user = getattr(obj, f.name)
            return user.get_full_name() or _("Staff member")
        return related_id
    value = getattr(obj, f.attname)
    if isinstance(f, models.FileField):
        return value.name.rsplit("/", 1)[-1] if value else ""
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    if f.choices and value not in (None, ""):
        return str(dict(f.flatchoices).get(value, value))
    return value


_SKIP_FIELDS = {"version", "revision", "case"}


def _serialise(obj: models.Model) -> dict[str, Any]:
    """Every stored field of ``obj`` under its label (organisation and staff foreign
    keys as names; files by name only), plus its many-to-many organisations."""
    row: dict[str, Any] = {}
    for f in obj._meta.concrete_fields:
        if f.name in _SKIP_FIELDS:
            continue
        row[str(f.verbose_name)] = _value(obj, f)
    for m2m in obj._meta.many_to_many:
        row[str(m2m.verbose_name)] = [str(o) for o in getattr(obj, m2m.name).all()]
    return row


# Section headings of the extract, translatable (the models' own names are not all).
SECTION_TITLES = {
    "cases.teammember": gettext_lazy("Case team"),
    "cases.emergencyaccess": gettext_lazy("Emergency accesses"),
    "cases.closure": gettext_lazy("Closure"),
    "cases.followup": gettext_lazy("Follow-ups after closure"),
    "consent.consent": gettext_lazy("Consents"),
    "consent.disclosure": gettext_lazy("Disclosures"),
    "journal.journalnote": gettext_lazy("Journal notes"),
    "plans.actionplan": gettext_lazy("Action plan"),
    "plans.goal": gettext_lazy("Goals"),
    "plans.commitment": gettext_lazy("Commitments"),
    "plans.planversion": gettext_lazy("Established plan versions"),
    "meetings.meeting": gettext_lazy("Meetings"),
    "meetings.attendee": gettext_lazy("Meeting attendees"),
    "meetings.minutes": gettext_lazy("Minutes"),
    "meetings.decision": gettext_lazy("Decisions"),
    "meetings.decisioncommitment": gettext_lazy("Decisions made commitments"),
    "reminders.reminder": gettext_lazy("Reminders"),
}


# The Trefas sections of the extract (dataprotection.collect.trefas_records).
TREFAS_TITLES = {
    "listing": gettext_lazy("On a Trefas list"),
    "ratingchange": gettext_lazy("Rating history"),
    "share": gettext_lazy("Shares about the person: to whom, on what basis, the jurist's decision"),
    "disclosure": gettext_lazy("Disclosure register (Trefas): approved and refused shares"),
    "incidentlink": gettext_lazy("Linked to incidents"),
    "release": gettext_lazy("Releases and leaves"),
    "exitlink": gettext_lazy("Ways out (exit)"),
}


def _trefas_row(key: str, obj: Any) -> dict[str, Any]:
    """A Trefas row as the extract shows it: every stored field, plus what its ids stand
    for (the forum, the legal basis, the incident)."""
    row = _serialise(obj)
    if key == "listing":
        row[str(_("forum"))] = obj.forum.name
    if key in ("share", "disclosure"):
        row[str(_("legal basis"))] = f"{obj.basis.reference} – {obj.basis.title}"
    if key == "incidentlink":
        incident = obj.incident
        when = timezone.localtime(incident.occurred_at)
        row[str(_("incident"))] = f"{incident.get_kind_display()}, {when:%Y-%m-%d %H:%M}, {incident.place}"
    return row


def _trefas_sections(export: SubjectAccessExport, persons: list[Person]) -> int:
    """Add Trefas data, one block per owning organisation; returns the number of rows."""
    by_org = trefas_records([p.pk for p in persons])
    names = dict(Organisation.objects.filter(pk__in=list(by_org)).values_list("pk", "name"))
    rows_total = 0
    for org_id in sorted(by_org, key=lambda pk: (names.get(pk, ""), pk)):
        sections = []
        machine: dict[str, list[dict[str, Any]]] = {}
        for key in TREFAS_SECTIONS:
            rows = by_org[org_id].get(key, [])
            if not rows:
                continue
            sections.append((str(TREFAS_TITLES[key]), [_trefas_row(key, r) for r in rows]))
            machine[f"trefas.{key}"] = [_machine_row(r) for r in rows]
            rows_total += len(rows)
        export.trefas.append({"organisation": names.get(org_id, ""), "sections": sections})
        export.machine_sections[f"trefas:{org_id}"] = machine
    return rows_total


def section_title(model: type[models.Model]) -> str:
    return str(SECTION_TITLES.get(model._meta.label_lower, model._meta.verbose_name_plural)).capitalize()


def _machine_row(obj: models.Model) -> dict[str, Any]:
    """``obj``'s stored fields under their field names (language-independent)."""
    row: dict[str, Any] = {}
    for f in obj._meta.concrete_fields:
        if f.name in _SKIP_FIELDS:
            continue
        value = getattr(obj, f.attname)
        if isinstance(value, datetime):
            value = timezone.localtime(value).isoformat(timespec="seconds")
        elif isinstance(value, date | UUID):
            value = str(value)
        elif isinstance(value, models.fields.files.FieldFile):
            value = value.name or ""
        row[f.attname] = value
    return row


def _person(person: Any) -> dict[str, Any]:
    row = _serialise(person)
    row[str(_("identity number"))] = parse(
        person.identity_number, today=timezone.localdate()
    ).display(timezone.localdate())
    return row


@dataclass
class SubjectAccessExport:
    generated_at: datetime
    purpose: str
    found: bool
    person: dict[str, Any]
    guardians: list[dict[str, Any]]
    guardian_of: list[dict[str, Any]]
    cases: list[dict[str, Any]]  # {"title", "case": {...}, "sections": [(heading, [rows])]}
    counts: dict[str, int]
    records: list[dict[str, Any]] = field(default_factory=list)  # every organisation's record
    machine_sections: dict[str, dict[str, list[dict[str, Any]]]] = field(default_factory=dict)
    # Trefas, per owning organisation: {"organisation", "sections": [(heading, [rows])]}
    trefas: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "generated_at": timezone.localtime(self.generated_at).isoformat(timespec="seconds"),
            "purpose": self.purpose,
            "found": self.found,
            "person": self.person,
            "records": self.records,
            "guardians": self.guardians,
            "guardian_of": self.guardian_of,
            "cases": [
                {
                    "title": c["title"],
                    "case": c["case"],
                    "sections": {heading: rows for heading, rows in c["sections"]},
                }
                for c in self.cases
            ],
            "trefas": [
                {"organisation": t["organisation"], "sections": {heading: rows for heading, rows in t["sections"]}}
                for t in self.trefas
            ],
            # The same data under keys that do not depend on the language: model labels
            # and field names, for programs that read the extract.
            "data": self.machine_sections,
        }


def subject_access_export(
    *, actor: User, identity_text: str, purpose: str, export_format: str
) -> SubjectAccessExport:
    """Everything held about the person with this exact identity number, across ALL
    organisations and cases (see the module docstring for why this one read may cross
    the compartments). Requires SUBJECT_ACCESS_EXPORT and a purpose; audited: the
    look-up with its purpose, the export with counts only. Raises
    IdentityNumberError for a malformed number."""
    if not policy.has_permission(actor, Permission.SUBJECT_ACCESS_EXPORT):
        raise PermissionDenied
    if len(purpose.strip()) < 10:
        raise ValueError("a purpose is required")
    identity = parse(identity_text, today=timezone.localdate())
    # Every organisation keeps its own record of a person (people.models.Person); the
    # registerutdrag is the one read that gathers all of them.
    persons = list(
        Person.objects.filter(identity_number=identity.digits).select_related("organisation").order_by("pk")
    )
    person = persons[0] if persons else None
    audit.record(
        action=Action.SUBJECT_ACCESS_LOOKUP,
        actor=actor,
        subject_type="person",
        subject_id=person.pk if person else "",
        purpose=purpose.strip(),
        detail={"found": person is not None},
    )
    export = SubjectAccessExport(
        generated_at=timezone.now(),
        purpose=purpose.strip(),
        found=person is not None,
        person={},
        guardians=[],
        guardian_of=[],
        cases=[],
        counts={},
    )
    if person is None:
        audit.record(
            action=Action.SUBJECT_ACCESS_EXPORTED,
            actor=actor,
            subject_type="person",
            subject_id="",
            detail={"format": export_format, "cases": 0, "rows": 0},
        )
        return export
    export.person = _person(person)
    export.records = [
        {str(_("recorded by")): p.organisation.name if p.organisation else "", **_person(p)} for p in persons
    ]
    for g in Guardianship.objects.filter(child__in=persons).select_related("guardian").order_by("pk"):
        export.guardians.append({**_person(g.guardian), str(_("active")): g.active})
    for g in Guardianship.objects.filter(guardian__in=persons).select_related("child").order_by("pk"):
        export.guardian_of.append({str(_("name")): g.child.full_name, str(_("active")): g.active})
    total_rows = 0
    cases = (
        Case.objects.filter(person__in=persons)
        .select_related("programme", "lead_organisation", "district")
        .order_by("opened_at", "pk")
    )
    for case in cases:
        sections = []
        for model, rows in case_graph(case).items():
            sections.append((section_title(model), [_serialise(r) for r in rows]))
            export.machine_sections.setdefault(str(case.public_id), {})[model._meta.label_lower] = [
                _machine_row(r) for r in rows
            ]
            total_rows += len(rows)
        export.cases.append(
            {
                "title": f"{case.programme.name} – {case.lead_organisation.name}",
                "case": _serialise(case),
                "sections": sections,
            }
        )
    # Guardians' consents reference the person's cases (already above); consents the
    # person gave as a guardian for someone else are in that child's case, not here.
    trefas_rows = _trefas_sections(export, persons)
    export.counts = {
        "cases": len(export.cases),
        "rows": total_rows,
        "guardians": len(export.guardians),
        "trefas_rows": trefas_rows,
    }
    audit.record(
        action=Action.SUBJECT_ACCESS_EXPORTED,
        actor=actor,
        subject_type="person",
        subject_id=person.pk,
        detail={"format": export_format, **export.counts},
    )
    return export
