"""The statistics page and its exports: every table of one year (or all years), the
time in the programme, the charts; audited, counts only."""

from __future__ import annotations

import statistics as pystats
from collections import defaultdict
from typing import TYPE_CHECKING

from django.apps import apps
from django.utils.translation import gettext as _

from samverkan.access import policy
from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.cases.models import Case, CaseStatus, ClosureOutcome
from samverkan.followup.family import RowKey
from samverkan.followup.selectors.case_counts import count_cases, programme_row_labels, purged_rows
from samverkan.followup.selectors.chart_data import charts_for
from samverkan.followup.selectors.commitments import commitments_table
from samverkan.followup.selectors.common import NO_OUTCOME, STATUS_COLUMNS, LazyCharts, Statistics, StatTable
from samverkan.followup.selectors.protection import protected_case_tables
from samverkan.followup.suppression import THRESHOLD, SuppressedTable

if TYPE_CHECKING:
    from samverkan.accounts.models import User

DAYS_PER_MONTH = 30.44


def statistics_for(*, actor: User, year: int | None = None, export_format: str = "") -> Statistics:
    """Suppressed statistics of the cases the actor's organisation leads, for one year
    (or all years). Audited as a view (or, with ``export_format``, as an export),
    counts only. What is hidden is decided for all years and every year together, so
    pages and exports of different years cannot be combined to give a count away."""
    cases = policy.scope_statistics_cases(actor=actor, queryset=Case.objects.all())
    purged = purged_rows(actor)
    counts = count_cases(actor, cases, purged)
    keys = list(counts.keys)
    labels = programme_row_labels(keys)
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
        tables.append(commitments_table(cases=cases, year=year))
    else:
        notes.append(_("Commitments are counted once action plans are in use."))

    if purged is not None and purged.exists():
        notes.append(_("Includes the anonymous statistics kept for cases purged after the retention period."))

    # Drawn when the page shows them; an export never does. The tables are final here.
    charts = LazyCharts(lambda: charts_for(tables))
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
