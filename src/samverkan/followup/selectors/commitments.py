"""Commitments met on time, per committing organisation."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.cases.models import Case
from samverkan.directory.models import Organisation
from samverkan.followup.family import CommitmentCounts
from samverkan.followup.selectors.common import StatTable
from samverkan.followup.selectors.protection import protected_commitment_tables
from samverkan.plans.models import Commitment, CommitmentStatus


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


def commitments_table(*, cases: QuerySet[Case], year: int | None) -> StatTable:
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
