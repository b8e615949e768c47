"""Follow-up statistics for managers: counts only, of the cases their organisation
leads (access.policy.scope_statistics_cases), per programme and district, with
small-number suppression (followup.suppression) applied before anything leaves here.

Every number a view or export gets is a ``Cell`` display string (or a median of at
least five cases); raw counts never leave this module. Counting is done with GROUP BY
in SQL; only the durations of closed cases are read to compute medians.

A manager can ask for every year and for all years, and can combine what those pages
and exports show. Suppression is therefore decided once per data snapshot for every
table that any filter can show, as one linked family (followup.family, followup.linked),
so that no combination gives a hidden count away; which cells are hidden is cached under
a keyed hash of the counts (``_protected``), and a request only counts in SQL, reads the
cache and cuts out the tables of its filter.
"""

from __future__ import annotations

import json
import statistics as pystats
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.core.cache import cache
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from samverkan.access import policy
from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.cases.models import Case, CaseStatus, ClosureOutcome, Programme
from samverkan.directory.models import District, Organisation
from samverkan.followup.charts import Bar, bar_chart
from samverkan.followup.family import CaseCounts, CaseTables, CommitmentCounts, CommitmentTables, RowKey
from samverkan.followup.linked import LinkedFamily, Ref, protect
from samverkan.followup.suppression import THRESHOLD, SuppressedTable
from samverkan.plans.models import Commitment, CommitmentStatus

if TYPE_CHECKING:
    from samverkan.accounts.models import User

DAYS_PER_MONTH = 30.44
NO_OUTCOME = "no_outcome"
STATUS_COLUMNS = (CaseStatus.INTAKE, CaseStatus.ACTIVE, CaseStatus.DECLINED, CaseStatus.CLOSED)
# Bump when the suppression rules change: no publication cached under the old rules is used.
PROTECTION_VERSION = 2
CACHE_SECONDS = 7 * 24 * 3600
PURGED_FIELDS = ("programme_code", "district_code", "final_status", "outcome_code", "year_opened", "year_closed")


@dataclass(frozen=True)
class StatTable:
    key: str
    caption: str
    row_header: str
    row_labels: list[str]
    col_labels: list[str]
    total_label: str
    table: SuppressedTable
    extra_label: str = ""
    extra: list[str] = field(default_factory=list)  # one display value per row
    note: str = ""

    @property
    def wide(self) -> bool:
        """Too many columns to sit beside its chart: the table goes below it."""
        return len(self.col_labels) > 3

    def rows(self) -> list[tuple[str, list[str], str, str]]:
        """(label, cell displays, row-total display, extra display) per row."""
        totals = self.table.row_totals or tuple(None for _ in self.row_labels)  # type: ignore[misc]
        return [
            (
                label,
                [c.display for c in cells],
                total.display if total else "",
                self.extra[i] if self.extra else "",
            )
            for i, (label, cells, total) in enumerate(zip(self.row_labels, self.table.cells, totals, strict=True))
        ]

    def total_row(self) -> tuple[list[str], str]:
        cols = [c.display for c in self.table.col_totals] if self.table.col_totals else []
        grand = self.table.grand_total.display if self.table.grand_total else ""
        return cols, grand


@dataclass
class Statistics:
    organisation: str
    year: int | None
    years: list[int]
    tables: list[StatTable]
    charts: dict[str, Any]
    notes: list[str]


def _purged_model() -> Any:
    try:
        return apps.get_model("dataprotection", "PurgedCaseStat")
    except LookupError:
        return None


def _purged(actor: User) -> QuerySet[Any] | None:
    model = _purged_model()
    if model is None:
        return None
    return policy.scope_statistics_purged(actor=actor, queryset=model.objects.all())


def _labels(keys: list[RowKey]) -> list[str]:
    programmes = dict(Programme.objects.filter(code__in={k[0] for k in keys}).values_list("code", "name"))
    districts = dict(District.objects.filter(code__in={k[1] for k in keys}).values_list("code", "name"))
    labels = []
    for prog, dist in keys:
        name, district = programmes.get(prog, prog), districts.get(dist, dist)
        labels.append(name if district in name else f"{name}, {district}")
    return labels


def _listed_keys(actor: User) -> frozenset[RowKey]:
    """The rows listed whatever the data: the programmes the organisation may lead in
    its own district."""
    district = District.objects.filter(administration_id=actor.organisation_id).first()
    if district is None:
        return frozenset()
    return frozenset(
        (code, district.code)
        for code in Programme.objects.filter(
            districts=district, lead_organisation_kind=actor.organisation.kind
        ).values_list("code", flat=True)
    )


def _row_keys(listed: frozenset[RowKey], cases: QuerySet[Case], purged: QuerySet[Any] | None) -> list[RowKey]:
    """Programme-and-district rows: every programme the organisation may lead in its
    district (``listed``, so empty rows show as 0), plus any combination that has cases."""
    keys: set[RowKey] = set(listed)
    keys.update((p, d) for p, d in cases.values_list("programme__code", "district__code").distinct().order_by())
    if purged is not None:
        keys.update((p, d) for p, d in purged.values_list("programme_code", "district_code").distinct().order_by())
    return sorted(keys)


def _year_choices(cases: QuerySet[Case], purged: QuerySet[Any] | None) -> list[int]:
    """The years offered in the year choice: those in which some case was received."""
    years = {d.year for d in cases.dates("received_on", "year")}
    if purged is not None:
        years |= set(purged.values_list("year_opened", flat=True).distinct().order_by())
    return sorted(years, reverse=True)


def _case_counts(actor: User, cases: QuerySet[Case], purged: QuerySet[Any] | None) -> CaseCounts:
    """The organisation's cases counted at the grain every table is summed from: open
    cases by (row, status, year received), closed cases by (row, year received, year
    closed, outcome); live cases and the anonymous rows of purged ones alike (a purged
    case's year opened stands for the year received, as the tables always counted it)."""
    listed = _listed_keys(actor)
    keys = _row_keys(listed, cases, purged)
    open_counts: dict[tuple[RowKey, str, int], int] = defaultdict(int)
    closed_counts: dict[tuple[RowKey, int, int | None, str], int] = defaultdict(int)
    for prog, dist, status, received, n in (
        cases.exclude(status=CaseStatus.CLOSED)
        .annotate(received=ExtractYear("received_on"))
        .values("programme__code", "district__code", "status", "received")
        .annotate(n=Count("pk"))
        .values_list("programme__code", "district__code", "status", "received", "n")
        .order_by()
    ):
        open_counts[((prog, dist), status, received)] += n
    for prog, dist, outcome, received, closed, n in (
        cases.filter(status=CaseStatus.CLOSED)
        .annotate(received=ExtractYear("received_on"), closed=ExtractYear("closed_at"))
        .values("programme__code", "district__code", "closure__outcome", "received", "closed")
        .annotate(n=Count("pk"))
        .values_list("programme__code", "district__code", "closure__outcome", "received", "closed", "n")
        .order_by()
    ):
        closed_counts[((prog, dist), received, closed, outcome or NO_OUTCOME)] += n
    if purged is not None:
        for prog, dist, status, outcome, opened, closed, n in (
            purged.values(*PURGED_FIELDS)
            .annotate(n=Count("pk"))
            .values_list(*PURGED_FIELDS, "n")
            .order_by()
        ):
            if status == CaseStatus.CLOSED:
                closed_counts[((prog, dist), opened, closed, outcome or NO_OUTCOME)] += n
            else:
                open_counts[((prog, dist), status, opened)] += n
    outcomes = [str(o) for o in ClosureOutcome.values]
    # An outcome code no longer offered (kept in a purged case's statistics) counts as
    # "other": every closed case must be in exactly one column of the outcome table.
    for (key, received, closed, outcome), n in list(closed_counts.items()):
        if outcome not in outcomes and outcome != NO_OUTCOME:
            del closed_counts[(key, received, closed, outcome)]
            closed_counts[(key, received, closed, str(ClosureOutcome.OTHER))] += n
    if any(o == NO_OUTCOME for (_k, _r, _c, o), n in closed_counts.items() if n):
        outcomes.append(NO_OUTCOME)  # for every year alike (see followup.family)
    return CaseCounts(
        keys=tuple(keys),
        listed_keys=listed,
        statuses=tuple(str(s) for s in STATUS_COLUMNS),
        closed_status=str(CaseStatus.CLOSED),
        outcomes=tuple(outcomes),
        open_counts=dict(open_counts),
        closed_counts=dict(closed_counts),
        listed_years=tuple(_year_choices(cases, purged)),
        optional_outcomes=frozenset({NO_OUTCOME}),
    )


def _protected(kind: str, canonical: Any, family: Callable[[], LinkedFamily]) -> Mapping[Ref, str]:
    """The hidden cells of a family of tables, decided once per data snapshot.

    The cache key is a keyed hash (HMAC with SECRET_KEY) of everything the decision
    depends on — the counts at the finest grain, the threshold and PROTECTION_VERSION —
    so any change in the data gives a new key (the old entry just expires: that is the
    invalidation) and nobody can recover counts from a key. The cache holds which cells
    are hidden, never a count. The solver is deterministic, so a snapshot decided twice
    (an evicted entry, two processes) hides the same cells."""
    payload = json.dumps([PROTECTION_VERSION, THRESHOLD, kind, canonical], separators=(",", ":"))
    digest = salted_hmac("samverkan.followup.protected", payload, algorithm="sha256").hexdigest()
    key = f"followup:protected:{kind}:{digest}"
    hidden: Mapping[Ref, str] | None = cache.get(key)
    if hidden is None:
        hidden = {ref: status for ref, status in protect(family()).items() if status}
        cache.set(key, hidden, CACHE_SECONDS)
    return hidden


def protected_case_tables(counts: CaseCounts) -> tuple[CaseTables, Mapping[Ref, str]]:
    """The intake and outcome tables of every filter, and which of their cells are hidden."""
    tables = CaseTables(counts)
    return tables, _protected("cases", counts.canonical(), tables.family)


def protected_commitment_tables(counts: CommitmentCounts) -> tuple[CommitmentTables, Mapping[Ref, str]]:
    """The commitment tables of every filter, and which of their cells are hidden."""
    tables = CommitmentTables(counts)
    return tables, _protected("commitments", counts.canonical(), tables.family)


def statistics_for(*, actor: User, year: int | None = None, export_format: str = "") -> Statistics:
    """Suppressed statistics of the cases the actor's organisation leads, for one year
    (or all years). Audited as a view (or, with ``export_format``, as an export),
    counts only. What is hidden is decided for all years and every year together, so
    pages and exports of different years cannot be combined to give a count away."""
    cases = policy.scope_statistics_cases(actor=actor, queryset=Case.objects.all())
    purged = _purged(actor)
    counts = _case_counts(actor, cases, purged)
    keys = list(counts.keys)
    labels = _labels(keys)
    row_header = _("Programme")
    tables: list[StatTable] = []
    notes: list[str] = []

    # 1. Intakes received in the period by where they stand now; 2. closed cases by
    # outcome, closed in the period: both cut from the protected family of all periods.
    case_tables, hidden = protected_case_tables(counts)
    intake_table = case_tables.intake_table(year, hidden)
    outcome_table = case_tables.outcome_table(year, hidden)
    status_labels = dict(CaseStatus.choices)
    outcome_labels = [
        _("Outcome not recorded") if o == NO_OUTCOME else str(ClosureOutcome(o).label) for o in counts.outcomes
    ]
    tables.append(
        StatTable(
            key="intakes",
            caption=_("Intakes by programme and where they stand now"),
            row_header=row_header,
            row_labels=labels,
            col_labels=[
                _("Awaiting decision") if s == CaseStatus.INTAKE else str(status_labels[s]) for s in STATUS_COLUMNS
            ],
            total_label=_("Intakes, total"),
            table=intake_table,
        )
    )
    tables.append(
        StatTable(
            key="outcomes",
            caption=_("Closed cases by outcome"),
            row_header=row_header,
            row_labels=labels,
            col_labels=outcome_labels,
            total_label=_("Closed"),
            table=outcome_table,
        )
    )

    # 3. Time in the programme (median days from the decision to closure).
    closed = cases.filter(status=CaseStatus.CLOSED)
    if year:
        closed = closed.filter(closed_at__year=year)
    purged_closed = None
    if purged is not None:
        purged_closed = purged.filter(final_status=CaseStatus.CLOSED)
        if year:
            purged_closed = purged_closed.filter(year_closed=year)
    durations: dict[RowKey, list[float]] = defaultdict(list)
    for prog, dist, decided, opened, closed_at in closed.values_list(
        "programme__code", "district__code", "decided_at", "opened_at", "closed_at"
    ).order_by():
        start = decided or opened
        if closed_at and start:
            durations[(prog, dist)].append(max(0.0, (closed_at - start).total_seconds() / 86400))
    if purged_closed is not None:
        for prog, dist, months in purged_closed.values_list(
            "programme_code", "district_code", "months_in_programme"
        ).order_by():
            durations[(prog, dist)].append(months * DAYS_PER_MONTH)
    medians = [str(round(pystats.median(durations[k]))) if len(durations[k]) >= THRESHOLD else "–" for k in keys]
    # The count column repeats the outcome table's row totals, hidden exactly as there.
    time_table = SuppressedTable(
        cells=tuple((c,) for c in (outcome_table.row_totals or ())),
        row_totals=None,
        col_totals=None,
        grand_total=None,
    )
    tables.append(
        StatTable(
            key="time",
            caption=_("Time in the programme, closed cases"),
            row_header=row_header,
            row_labels=labels,
            col_labels=[_("Closed cases")],
            total_label="",
            table=time_table,
            extra_label=_("Median days"),
            extra=medians,
            note=_("The median is shown only when at least five cases were closed."),
        )
    )

    # 4. Commitments met on time, per committing organisation.
    if apps.is_installed("samverkan.plans"):
        tables.append(_commitments_table(cases=cases, year=year))
    else:
        notes.append(_("Commitments are counted once action plans are in use."))

    if purged is not None and purged.exists():
        notes.append(_("Includes the anonymous statistics kept for cases purged after the retention period."))

    charts = _charts(tables)
    audit.record(
        action=Action.STATISTICS_EXPORTED if export_format else Action.STATISTICS_VIEWED,
        actor=actor,
        subject_type="statistics",
        subject_organisation_id=actor.organisation_id,
        detail={
            "year": year or 0,
            "rows": len(keys),
            **({"format": export_format} if export_format else {}),
        },
    )
    return Statistics(
        organisation=actor.organisation.name,
        year=year,
        years=list(counts.listed_years),
        tables=tables,
        charts=charts,
        notes=notes,
    )


def _commitment_counts(cases: QuerySet[Case]) -> tuple[CommitmentCounts, dict[int, str]]:
    """Commitments on the organisation's cases that are due (date passed) or finished,
    cancelled ones not counted, by (committing organisation, year due, done on time);
    and the committing organisations' names."""
    today = timezone.localdate()
    due = (
        Commitment.objects.filter(case__in=cases)
        .exclude(status=CommitmentStatus.CANCELLED)
        .filter(Q(due_on__lt=today) | Q(status__in=[CommitmentStatus.DONE, CommitmentStatus.NOT_DONE]))
    )
    counts: dict[tuple[int, int, bool], int] = defaultdict(int)
    for org, year, total, on_time in (
        due.annotate(year=ExtractYear("due_on"))
        .values("organisation_id", "year")
        .annotate(
            total=Count("pk"),
            on_time=Count("pk", filter=Q(status=CommitmentStatus.DONE, completed_on__lte=F("due_on"))),
        )
        .values_list("organisation_id", "year", "total", "on_time")
        .order_by()
    ):
        counts[(org, year, True)] += on_time
        counts[(org, year, False)] += total - on_time
    names = dict(Organisation.objects.filter(pk__in={o for o, _y, _t in counts}).values_list("pk", "name"))
    # Every organisation with commitments in any year is a row of every year's table
    # (0 where it has none), so that being listed says nothing about a year.
    organisations = tuple(sorted(names, key=lambda pk: (names[pk], pk)))
    return CommitmentCounts(organisations=organisations, counts=dict(counts)), names


def _commitments_table(*, cases: QuerySet[Case], year: int | None) -> StatTable:
    counts, names = _commitment_counts(cases)
    family, hidden = protected_commitment_tables(counts)
    table = family.table(year, hidden)
    percent = []
    for i, (on_time, total) in enumerate(family.raw(year)):
        shown = [*table.cells[i], *([table.row_totals[i]] if table.row_totals else [])]
        percent.append(f"{round(100 * on_time / total)} %" if total and not any(c.hidden for c in shown) else "–")
    return StatTable(
        key="commitments",
        caption=_("Commitments met on time, per organisation"),
        row_header=_("Organisation"),
        row_labels=[names.get(pk, "") for pk in counts.organisations],
        col_labels=[_("Done on time"), _("Late or not done")],
        total_label=_("Due"),
        table=table,
        extra_label=_("Share on time"),
        extra=percent,
        note=_("Commitments whose due date has passed or that are finished; cancelled ones are not counted."),
    )


def _charts(tables: list[StatTable]) -> dict[str, Any]:
    by_key = {t.key: t for t in tables}
    charts: dict[str, Any] = {}
    described = _("The same figures are in the table next to the chart. Numbers below five are not drawn.")
    t = by_key["intakes"]
    if t.table.row_totals:
        charts["intakes"] = bar_chart(
            title=_("Intakes per programme"),
            description=described,
            bars=[
                Bar(label, c.display, c.shown_value) for label, c in zip(t.row_labels, t.table.row_totals, strict=True)
            ],
        )
    t = by_key["outcomes"]
    if t.table.col_totals:
        charts["outcomes"] = bar_chart(
            title=_("Closed cases per outcome"),
            description=described,
            bars=[
                Bar(label, c.display, c.shown_value) for label, c in zip(t.col_labels, t.table.col_totals, strict=True)
            ],
        )
    t = by_key["time"]
    if not t.row_labels:
        return charts
    charts["time"] = bar_chart(
        title=_("Median days in the programme"),
        description=described,
        bars=[Bar(label, m, float(m) if m.isdigit() else None) for label, m in zip(t.row_labels, t.extra, strict=True)],
    )
    if "commitments" in by_key and by_key["commitments"].row_labels:
        t = by_key["commitments"]
        charts["commitments"] = bar_chart(
            title=_("Share of commitments done on time"),
            description=described,
            bars=[
                Bar(label, p, float(p.split()[0]) if p[:1].isdigit() else None)
                for label, p in zip(t.row_labels, t.extra, strict=True)
            ],
        )
    return charts
