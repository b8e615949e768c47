"""Counting the organisation's cases (live and the anonymous rows of purged ones) at the
grain every case table is summed from, and the rows and years the tables list."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractYear

from samverkan.access import policy
from samverkan.cases.models import Case, CaseStatus, ClosureOutcome, Programme
from samverkan.directory.models import District
from samverkan.followup.family import CaseCounts, RowKey
from samverkan.followup.selectors.common import NO_OUTCOME, STATUS_COLUMNS

if TYPE_CHECKING:
    from samverkan.accounts.models import User

PURGED_FIELDS = ("programme_code", "district_code", "final_status", "outcome_code", "year_opened", "year_closed")


def _purged_model() -> Any:
    try:
        return apps.get_model("dataprotection", "PurgedCaseStat")
    except LookupError:
        return None


def purged_rows(actor: User) -> QuerySet[Any] | None:
    model = _purged_model()
    if model is None:
        return None
    return policy.scope_statistics_purged(actor=actor, queryset=model.objects.all())


def programme_row_labels(keys: list[RowKey]) -> list[str]:
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


def count_cases(actor: User, cases: QuerySet[Case], purged: QuerySet[Any] | None) -> CaseCounts:
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
