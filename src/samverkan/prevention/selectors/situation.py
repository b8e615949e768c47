"""Reading the lägesbild (lag 2023:196 4 §): the documents a person sees, one document
with every section, the prioritised problems other documents build on, and the counts
the app's own statistic tables are made from.

Every read goes through the area scope (``LocalAccess.documents_q`` / ``may``): a
document outside it is answered with 404 here, so a caller cannot tell it from one that
does not exist. The lägesbild describes places and crime in aggregate, never persons.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Prefetch, Q, QuerySet, Sum
from django.http import Http404

from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.directory.models import Area, District, Organisation
from samverkan.picture.decision import LocalAccess, LocalAction
from samverkan.picture.models import Category, WeekCount
from samverkan.prevention.models import CitizenDialogue, DocumentStatus, Problem, SituationReport, StatisticTable

# Statuses a new version may be copied from (the latest of them, see ``copy_basis``).
BASIS_STATUSES = (DocumentStatus.DECIDED, DocumentStatus.AGREED, DocumentStatus.REPLACED)

_LIST_FIELDS = ("pk", "municipality", "district_id", "district__name", "title", "period_start", "period_end",
                "number", "status", "agreed_on", "decided_on", "decided_by_body", "decision_reference")


def visible_reports(access: LocalAccess) -> QuerySet[SituationReport]:
    """Every lägesbild ``access`` may read (none without the view permission)."""
    if not access.may(LocalAction.VIEW_DOCUMENTS):
        return SituationReport.objects.none()
    return SituationReport.objects.filter(access.documents_q())


@dataclass
class ScopeVersions:
    """The versions of one municipality's or one district's lägesbild, newest first."""

    municipality: str
    district: District | None
    versions: list[SituationReport] = field(default_factory=list)

    @property
    def current(self) -> SituationReport:
        return self.versions[0]

    @property
    def older(self) -> list[SituationReport]:
        return self.versions[1:]


def situation_list(access: LocalAccess) -> list[ScopeVersions]:
    """The list page: per municipality (its own document first) and district, every
    version newest first. One query."""
    rows = visible_reports(access).select_related("district").only(*_LIST_FIELDS).order_by(
        "municipality", "district__name", "-number", "-pk")
    groups: dict[tuple[str, int | None], ScopeVersions] = {}
    for report in rows:
        key = (report.municipality, report.district_id)
        if key not in groups:
            groups[key] = ScopeVersions(municipality=report.municipality, district=report.district)
        groups[key].versions.append(report)
    # Municipality-wide documents (district None) before the districts of that municipality.
    return sorted(groups.values(), key=lambda g: (g.municipality, g.district is not None,
                                                  g.district.name if g.district else ""))


def report_for(access: LocalAccess, report_id: int) -> SituationReport:
    """One lägesbild the person may read (404 otherwise), with its district."""
    report = visible_reports(access).select_related("district").filter(pk=report_id).first()
    if report is None:
        raise Http404
    return report


def report_page(access: LocalAccess, report_id: int) -> SituationReport:
    """One lägesbild with every section loaded in a fixed number of queries (the report,
    its tables, problems with their areas, dialogues, participants, previous and next
    version): the page's query count does not grow with the document."""
    report = report_for(access, report_id)
    area_only = Area.objects.only("pk", "name", "code").order_by("name")
    full = (
        SituationReport.objects.filter(pk=report.pk)
        .select_related("district", "previous", "next_version")
        .prefetch_related(
            Prefetch("tables", queryset=StatisticTable.objects.order_by("order", "pk")),
            Prefetch("problems", queryset=Problem.objects.order_by("priority", "pk").prefetch_related(
                Prefetch("areas", queryset=area_only))),
            Prefetch("dialogues", queryset=CitizenDialogue.objects.order_by("held_on", "pk")),
            Prefetch("participants", queryset=Organisation.objects.only("pk", "name").order_by("name")),
        )
        .first()
    )
    if full is None:  # removed between the two reads
        raise Http404
    return full


def report_read(actor: Any, access: LocalAccess, report_id: int, *, export: bool = False) -> SituationReport:
    """``report_page`` for showing, printing or exporting it; the read is audited (who
    read which version; a PDF leaves the system, so it is recorded as an export)."""
    report = report_page(access, report_id)
    audit.record(
        action=Action.PREVENTION_SITUATION_EXPORTED if export else Action.PREVENTION_SITUATION_VIEWED,
        actor=actor, subject_type="prevention.situationreport", subject_id=report.pk,
        subject_organisation_id=actor.organisation_id, detail={"number": report.number, "status": report.status},
    )
    return report


def item_of(report: SituationReport, model: type[Any], item_id: int) -> Any:
    """A table, problem or dialogue of ``report`` (already scope-checked), or 404."""
    item = model.objects.filter(report=report, pk=item_id).first()
    if item is None:
        raise Http404
    item.report = report  # the scope-checked instance, so services bump its version
    return item


def scope_q(municipality: str, district_id: int | None) -> Q:
    """A municipality's own documents (no district), or one district's."""
    if district_id is None:
        return Q(municipality=municipality, district__isnull=True)
    return Q(municipality=municipality, district_id=district_id)


def draft_of_scope(municipality: str, district_id: int | None) -> SituationReport | None:
    """The open draft of a municipality's or district's lägesbild, if any (one at a time)."""
    drafts = SituationReport.objects.filter(scope_q(municipality, district_id), status=DocumentStatus.DRAFT)
    return drafts.only("pk", "title", "number").first()


def copy_basis(municipality: str, district_id: int | None) -> SituationReport | None:
    """The version a new one is copied from: the latest decided or agreed version of the
    scope (by version number)."""
    versions = SituationReport.objects.filter(scope_q(municipality, district_id), status__in=BASIS_STATUSES)
    return versions.order_by("-number", "-pk").first()


def replaced_by_deciding(report: SituationReport) -> QuerySet[SituationReport]:
    """The earlier agreed or decided versions of the same municipality or district that
    deciding ``report`` marks replaced."""
    return SituationReport.objects.filter(
        scope_q(report.municipality, report.district_id), number__lt=report.number,
        status__in=[DocumentStatus.DECIDED, DocumentStatus.AGREED],
    ).only("pk", "title", "number", "status").order_by("-number")


def next_number(municipality: str, district_id: int | None) -> int:
    last = SituationReport.objects.filter(scope_q(municipality, district_id)).order_by(
        "-number").values_list("number", flat=True).first()
    return (last or 0) + 1


@dataclass(frozen=True)
class ScopeChoice:
    """A municipality or district the person may start a lägesbild for."""

    key: str  # "m" for the municipality, "d<pk>" for a district
    label: str
    municipality: str
    district_id: int | None


def scope_choices(access: LocalAccess) -> list[ScopeChoice]:
    """Where the person may start a version: the city its municipality and every district of
    it; a district administration its district(s). Asked through ``may`` with a stand-in
    entry so the rule stays in decision.py."""
    if not access.may(LocalAction.MANAGE_DOCUMENT):
        return []
    choices: list[ScopeChoice] = []
    if access.municipality:
        probe = SituationReport(municipality=access.municipality, district=None)
        if access.may(LocalAction.MANAGE_DOCUMENT, probe):
            choices.append(ScopeChoice("m", access.municipality, access.municipality, None))
    districts = District.objects.filter(pk__in=sorted(access.editable_district_ids)).only(
        "pk", "name", "municipality").order_by("name")
    for district in districts:
        probe = SituationReport(municipality=district.municipality, district_id=district.pk)
        if access.may(LocalAction.MANAGE_DOCUMENT, probe):
            choices.append(ScopeChoice(f"d{district.pk}", district.name, district.municipality, district.pk))
    return choices


def document_areas(report: SituationReport) -> QuerySet[Area]:
    """The areas a document covers: its district's, or every area of its municipality."""
    if report.district_id is not None:
        scope = Q(district_id=report.district_id)
    else:
        scope = Q(district__municipality=report.municipality)
    return Area.objects.filter(scope).only("pk", "name", "code").order_by("name")


def organisation_choices() -> list[tuple[int, str]]:
    """Organisations that may be named as taking part (active ones, by name)."""
    return list(Organisation.objects.filter(active=True).order_by("name").values_list("pk", "name"))


@dataclass(frozen=True)
class CountRow:
    label: str
    value: int
    previous: int | None


def incident_counts(report: SituationReport, year: int) -> list[CountRow]:
    """Active incident reports per category in the document's areas for ``year`` (by the
    week's Monday, as the weekly picture counts them), with the year before; from
    picture.WeekCount, two grouped queries and the categories. Categories with no report
    in either year are left out. The labels are the categories' Swedish names: the
    lägesbild is the municipality's Swedish document."""
    area_ids = list(document_areas(report).values_list("pk", flat=True))

    def per_category(y: int) -> dict[int, int]:
        rows = WeekCount.objects.filter(
            area_id__in=area_ids, week_start__gte=date(y, 1, 1), week_start__lte=date(y, 12, 31)
        ).values("category_id").annotate(total=Sum("count")).values_list("category_id", "total")
        return {pk: int(total or 0) for pk, total in rows}

    now, before = per_category(year), per_category(year - 1)
    names = dict(Category.objects.filter(pk__in=set(now) | set(before)).order_by("order", "name_sv").values_list(
        "pk", "name_sv"))
    order = list(names)
    rows = [CountRow(names[pk], now.get(pk, 0), before.get(pk, 0)) for pk in order]
    return [r for r in rows if r.value or r.previous]


def problems_for(
    access: LocalAccess,
    *,
    municipality: str | None = None,
    district_id: int | bool | None = False,
    statuses: tuple[str, ...] = (DocumentStatus.AGREED, DocumentStatus.DECIDED),
) -> QuerySet[Problem]:
    """The prioritised problems of the lägesbilder ``access`` may read, for the åtgärdsplan's
    measures and the agreement's priorities to name.

    - ``municipality``: only documents of that municipality (both its own and its districts').
    - ``district_id``: ``None`` for the municipality-wide documents only, a pk for that
      district's only; ``False`` (the default) for no restriction.
    - ``statuses``: the document statuses to offer; by default agreed and decided versions
      (a measure should build on a picture the parties stand behind). Pass
      ``(DocumentStatus.DRAFT, …)`` explicitly to offer problems of drafts too.

    Ordered by document (municipality, district, newest version) then priority; each
    problem has ``report`` (with its district) loaded, so a label such as
    "<title> (<document title>, version <n>)" costs no further query."""
    if not access.may(LocalAction.VIEW_DOCUMENTS):
        return Problem.objects.none()
    reports = SituationReport.objects.filter(access.documents_q(), status__in=list(statuses))
    if municipality is not None:
        reports = reports.filter(municipality=municipality)
    if district_id is None:
        reports = reports.filter(district__isnull=True)
    elif district_id is not False:
        reports = reports.filter(district_id=district_id)
    return (
        Problem.objects.filter(report__in=reports)
        .select_related("report", "report__district")
        .order_by("report__municipality", "report__district__name", "-report__number", "priority", "pk")
    )

