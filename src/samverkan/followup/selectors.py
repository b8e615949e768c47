"""Follow-up statistics for managers: counts only, of the cases their organisation
leads (access.policy.scope_statistics_cases), per programme and district, with
small-number suppression (followup.suppression) applied before anything leaves here.

Every number a view or export gets is a ``Cell`` display string (or a median of at
least five cases); raw counts never leave this module. Counting is done with GROUP BY
in SQL; only the durations of closed cases are read to compute medians.
"""

from __future__ import annotations

import statistics as pystats
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.access import policy
from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.cases.models import Case, CaseStatus, ClosureOutcome, Programme
from samverkan.directory.models import District, Organisation
from samverkan.followup.charts import Bar, bar_chart
from samverkan.followup.suppression import THRESHOLD, SuppressedTable, suppress, suppress_linked

DAYS_PER_MONTH = 30.44
NO_OUTCOME = "no_outcome"
STATUS_COLUMNS = (CaseStatus.INTAKE, CaseStatus.ACTIVE, CaseStatus.DECLINED, CaseStatus.CLOSED)

RowKey = tuple[str, str]  # (programme code, district code)


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


def _purged(actor: Any) -> QuerySet[Any] | None:
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


def _row_keys(actor: Any, cases: QuerySet[Case], purged: QuerySet[Any] | None) -> list[RowKey]:
    """Programme-and-district rows: every programme the organisation may lead in its
    district (so empty rows show as 0), plus any combination that has cases."""
    keys: set[RowKey] = set()
    district = District.objects.filter(administration_id=actor.organisation_id).first()
    if district is not None:
        for code in Programme.objects.filter(
            districts=district, lead_organisation_kind=actor.organisation.kind
        ).values_list("code", flat=True):
            keys.add((code, district.code))
    keys.update((p, d) for p, d in cases.values_list("programme__code", "district__code").distinct().order_by())
    if purged is not None:
        keys.update((p, d) for p, d in purged.values_list("programme_code", "district_code").distinct().order_by())
    return sorted(keys)


def _matrix(keys: list[RowKey], columns: list[str], counts: dict[tuple[RowKey, str], int]) -> list[list[int]]:
    return [[counts.get((key, col), 0) for col in columns] for key in keys]


def statistics_for(*, actor: Any, year: int | None = None, export_format: str = "") -> Statistics:
    """Suppressed statistics of the cases the actor's organisation leads. Audited as a
    view (or, with ``export_format``, as an export), counts only."""
    cases = policy.scope_statistics_cases(actor=actor, queryset=Case.objects.all())
    purged = _purged(actor)
    years = sorted(
        {d.year for d in cases.dates("received_on", "year")}
        | (set(purged.values_list("year_opened", flat=True).distinct().order_by()) if purged is not None else set()),
        reverse=True,
    )
    keys = _row_keys(actor, cases, purged)
    labels = _labels(keys)
    row_header = _("Programme")
    tables: list[StatTable] = []
    notes: list[str] = []

    # 1. Intakes in the period by where they stand now.
    received = cases.filter(received_on__year=year) if year else cases
    counts: dict[tuple[RowKey, str], int] = defaultdict(int)
    for prog, dist, status, n in (
        received.values("programme__code", "district__code", "status")
        .annotate(n=Count("pk"))
        .values_list("programme__code", "district__code", "status", "n")
        .order_by()
    ):
        counts[((prog, dist), status)] += n
    purged_in = purged.filter(year_opened=year) if (purged is not None and year) else purged
    if purged_in is not None:
        for prog, dist, status, n in (
            purged_in.values("programme_code", "district_code", "final_status")
            .annotate(n=Count("pk"))
            .values_list("programme_code", "district_code", "final_status", "n")
            .order_by()
        ):
            counts[((prog, dist), status)] += n
    status_labels = dict(CaseStatus.choices)
    intake_matrix = _matrix(keys, list(STATUS_COLUMNS), counts)

    # 2. Closed cases by outcome (closure outcome codes), closed in the period.
    closed = cases.filter(status=CaseStatus.CLOSED)
    if year:
        closed = closed.filter(closed_at__year=year)
    outcome_counts: dict[tuple[RowKey, str], int] = defaultdict(int)
    for prog, dist, outcome, n in (
        closed.values("programme__code", "district__code", "closure__outcome")
        .annotate(n=Count("pk"))
        .values_list("programme__code", "district__code", "closure__outcome", "n")
        .order_by()
    ):
        outcome_counts[((prog, dist), outcome or NO_OUTCOME)] += n
    purged_closed = None
    if purged is not None:
        purged_closed = purged.filter(final_status=CaseStatus.CLOSED)
        if year:
            purged_closed = purged_closed.filter(year_closed=year)
        for prog, dist, outcome, n in (
            purged_closed.values("programme_code", "district_code", "outcome_code")
            .annotate(n=Count("pk"))
            .values_list("programme_code", "district_code", "outcome_code", "n")
            .order_by()
        ):
            outcome_counts[((prog, dist), outcome or NO_OUTCOME)] += n
    outcomes = list(ClosureOutcome.values)
    outcome_labels = [str(label) for _v, label in ClosureOutcome.choices]
    if any(o == NO_OUTCOME for _k, o in outcome_counts):
        outcomes.append(NO_OUTCOME)
        outcome_labels.append(_("Outcome not recorded"))
    outcome_matrix = _matrix(keys, outcomes, outcome_counts)
    if year or not keys:
        intake_table, outcome_table = suppress(intake_matrix), suppress(outcome_matrix)
    else:
        # Over all years, "closed" in the first table is the same number as the row
        # totals of the second: hide it in both or in neither.
        closed_col, rows = STATUS_COLUMNS.index(CaseStatus.CLOSED), len(keys)
        links = [((i, closed_col), (i, len(outcomes))) for i in range(rows + 1)]
        intake_table, outcome_table = suppress_linked(intake_matrix, outcome_matrix, links)
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
        years=years,
        tables=tables,
        charts=charts,
        notes=notes,
    )


def _commitments_table(*, cases: QuerySet[Case], year: int | None) -> StatTable:
    from samverkan.plans.models import Commitment, CommitmentStatus

    today = timezone.localdate()
    due = (
        Commitment.objects.filter(case__in=cases)
        .exclude(status=CommitmentStatus.CANCELLED)
        .filter(Q(due_on__lt=today) | Q(status__in=[CommitmentStatus.DONE, CommitmentStatus.NOT_DONE]))
    )
    if year:
        due = due.filter(due_on__year=year)
    rows = list(
        due.values("organisation_id")
        .annotate(
            total=Count("pk"),
            on_time=Count("pk", filter=Q(status=CommitmentStatus.DONE, completed_on__lte=F("due_on"))),
        )
        .order_by()
    )
    names = dict(Organisation.objects.filter(pk__in=[r["organisation_id"] for r in rows]).values_list("pk", "name"))
    rows.sort(key=lambda r: names.get(r["organisation_id"], ""))
    matrix = [[r["on_time"], r["total"] - r["on_time"]] for r in rows]
    table = suppress(matrix)
    percent = []
    for i, r in enumerate(rows):
        shown = [c for c in table.cells[i]] + ([table.row_totals[i]] if table.row_totals else [])
        percent.append(
            f"{round(100 * r['on_time'] / r['total'])} %" if r["total"] and not any(c.hidden for c in shown) else "–"
        )
    return StatTable(
        key="commitments",
        caption=_("Commitments met on time, per organisation"),
        row_header=_("Organisation"),
        row_labels=[names.get(r["organisation_id"], "") for r in rows],
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
