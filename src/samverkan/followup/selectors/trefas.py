"""A Trefas forum's follow-up statistics (issue 10, item 9): the list's size by rating
month by month (from the rating history), rating changes per month, incidents per month,
the median time from an incident to each action done, per organisation, and actions done
on time per organisation. Counts only, for the forum's members and the managers of its
member organisations (trefas.decision.may_view_statistics, asked through
trefas.selectors.statistics.forum_for_statistics: 404 for anyone else).

Suppression is followup's own: every table is protected as a linked family
(``protection.protected_grid``; actions on time as the commitments are, every year due
and all years together, ``protection.protected_commitment_tables``), numbers from 1 to
4 shown as "<5", and a median only where at least five actions were done. The page has
no filter, so each table is one family; the tables count different things (the list's
size is a stock, the changes count moves between ratings only, not listings and
removals), so no equation joins them.
"""

from __future__ import annotations

import statistics as pystats
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, Q
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.directory.models import Organisation
from samverkan.followup.charts import Bar, bar_chart
from samverkan.followup.family import CommitmentCounts, GridCounts
from samverkan.followup.selectors.common import LazyCharts, Statistics, StatTable
from samverkan.followup.selectors.protection import protected_commitment_tables, protected_grid
from samverkan.followup.suppression import THRESHOLD, SuppressedTable
from samverkan.trefas.models import (
    ActionItem,
    ActionStatus,
    Incident,
    IncidentKind,
    Listing,
    Rating,
    RatingChange,
)
from samverkan.trefas.selectors.statistics import forum_for_statistics

if TYPE_CHECKING:
    from samverkan.accounts.models import User

#: the months shown: this one and the ones before it
MONTHS = 24
RATINGS = (Rating.GREEN, Rating.YELLOW, Rating.RED)


def _month_key(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _months(today: date) -> list[date]:
    """The first day of each of the last MONTHS months, oldest first."""
    out = []
    year, month = today.year, today.month
    for _i in range(MONTHS):
        out.append(date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return list(reversed(out))


def _next(first: date) -> date:
    return date(first.year + (first.month == 12), first.month % 12 + 1, 1)


def _local_month(moment: datetime) -> str:
    return _month_key(timezone.localtime(moment).date())


def _month_end(first: date) -> datetime:
    """The moment the month ends (the next month's first midnight, local time)."""
    nxt = _next(first)
    return timezone.make_aware(datetime(nxt.year, nxt.month, 1))


def _list_size(forum_id: int, months: list[date]) -> GridCounts:
    """Listed people by rating at the end of each month, from the rating history."""
    history: dict[int, list[tuple[datetime, str]]] = defaultdict(list)
    for listing_id, rating, set_at in (RatingChange.objects.filter(listing__forum_id=forum_id)
                                       .order_by("set_at", "pk").values_list("listing_id", "rating", "set_at")):
        history[listing_id].append((set_at, rating))
    removed = dict(Listing.objects.filter(forum_id=forum_id).values_list("pk", "removed_at"))
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for first in months:
        end = _month_end(first)
        for listing_id, changes in history.items():
            gone = removed.get(listing_id)
            if gone is not None and gone < end:
                continue
            current: str | None = None
            for set_at, value in changes:
                if set_at >= end:
                    break
                current = value
            if current is not None:
                counts[(_month_key(first), current)] += 1
    return GridCounts(rows=tuple(_month_key(m) for m in months), cols=tuple(str(r) for r in RATINGS),
                      counts=dict(counts), row_totals=True, col_totals=False)


def _rating_changes(forum_id: int, months: list[date]) -> GridCounts:
    """Changes of rating (not confirmations, not first ratings) per month, by new rating."""
    keys = {_month_key(m) for m in months}
    start = timezone.make_aware(datetime(months[0].year, months[0].month, 1))
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for rating, set_at in (RatingChange.objects.filter(listing__forum_id=forum_id, set_at__gte=start)
                           .exclude(previous_rating="").exclude(previous_rating=F("rating"))
                           .values_list("rating", "set_at")):
        key = _local_month(set_at)
        if key in keys:
            counts[(key, rating)] += 1
    return GridCounts(rows=tuple(_month_key(m) for m in months), cols=tuple(str(r) for r in RATINGS),
                      counts=dict(counts))


def _incidents(forum_id: int, months: list[date]) -> GridCounts:
    keys = {_month_key(m) for m in months}
    start = timezone.make_aware(datetime(months[0].year, months[0].month, 1))
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for kind, occurred in Incident.objects.filter(forum_id=forum_id, occurred_at__gte=start).values_list(
            "kind", "occurred_at"):
        key = _local_month(occurred)
        if key in keys:
            counts[(key, kind)] += 1
    return GridCounts(rows=tuple(_month_key(m) for m in months), cols=tuple(IncidentKind.values), counts=dict(counts))


def _hours_to_actions(forum_id: int) -> tuple[GridCounts, dict[int, list[float]], dict[int, str]]:
    """Actions done after an incident, per organisation, and the hours each took."""
    hours: dict[int, list[float]] = defaultdict(list)
    for org, done_at, occurred in (ActionItem.objects.filter(forum_id=forum_id, incident__isnull=False,
                                                             status=ActionStatus.DONE, done_at__isnull=False)
                                   .values_list("organisation_id", "done_at", "incident__occurred_at")):
        if done_at is None or occurred is None:
            continue
        hours[org].append(max(0.0, (done_at - occurred).total_seconds() / 3600))
    names = dict(Organisation.objects.filter(pk__in=list(hours)).values_list("pk", "name"))
    orgs = sorted(hours, key=lambda pk: (names.get(pk, ""), pk))
    counts = GridCounts(rows=tuple(str(o) for o in orgs), cols=("done",),
                        counts={(str(o), "done"): len(hours[o]) for o in orgs}, row_totals=False, col_totals=False)
    return counts, hours, names


def _actions_on_time(forum_id: int) -> tuple[CommitmentCounts, dict[int, str]]:
    """Actions due (time passed) or done, cancelled ones not counted, by (organisation,
    year due, done on time) — the shape of the commitments table, protected the same way."""
    now = timezone.now()
    due = ActionItem.objects.filter(forum_id=forum_id).exclude(status=ActionStatus.CANCELLED).filter(
        Q(due_at__lt=now) | Q(status=ActionStatus.DONE))
    counts: dict[tuple[int, int, bool], int] = defaultdict(int)
    for org, year, total, on_time in (
        due.annotate(year=ExtractYear("due_at")).values("organisation_id", "year")
        .annotate(total=Count("pk"), on_time=Count("pk", filter=Q(status=ActionStatus.DONE, done_at__lte=F("due_at"))))
        .values_list("organisation_id", "year", "total", "on_time").order_by()
    ):
        counts[(org, year, True)] += on_time
        counts[(org, year, False)] += total - on_time
    names = dict(Organisation.objects.filter(pk__in={o for o, _y, _t in counts}).values_list("pk", "name"))
    organisations = tuple(sorted(names, key=lambda pk: (names[pk], pk)))
    return CommitmentCounts(organisations=organisations, counts=dict(counts)), names


def _decimal(value: float) -> str:
    """One decimal, with the Swedish decimal comma (the CSV is for Swedish Excel)."""
    return f"{value:.1f}".replace(".", ",")


def trefas_statistics_for(*, actor: User, forum_id: int, export_format: str = "") -> Statistics:
    """The forum's statistics (see the module docstring); 404 for anyone the rule does not
    allow. Audited TREFAS_STATISTICS_VIEWED (or TREFAS_EXPORTED), counts only."""
    forum = forum_for_statistics(actor, forum_id)
    months = _months(timezone.localdate())
    month_labels = [_month_key(m) for m in months]
    rating_labels = [str(Rating(r).label).split(":")[0] for r in RATINGS]
    described = _("The same figures are in the table next to the chart. Numbers below five are not drawn.")
    tables: list[StatTable] = []
    # Drawn only when the page shows them (LazyCharts), never for an export.
    drawers: dict[str, Callable[[], Any]] = {}

    size_family, hidden = protected_grid("trefas_list_size", _list_size(forum.pk, months))
    size = size_family.table(hidden)
    tables.append(StatTable(
        key="list_size", caption=_("People on the list at the end of each month, by rating"),
        row_header=_("Month"), row_labels=month_labels, col_labels=rating_labels, total_label=_("On the list"),
        table=size, note=_("From the rating history: each person's rating at the end of the month."),
    ))
    drawers["list_size"] = lambda: bar_chart(title=_("People on the list per month"), description=described, bars=[
        Bar(label, c.display, c.shown_value) for label, c in zip(month_labels, size.row_totals or (), strict=True)])

    change_family, hidden = protected_grid("trefas_rating_changes", _rating_changes(forum.pk, months))
    changes = change_family.table(hidden)
    tables.append(StatTable(
        key="rating_changes", caption=_("Rating changes per month, by the new rating"), row_header=_("Month"),
        row_labels=month_labels, col_labels=rating_labels, total_label=_("Changes"), table=changes,
        note=_("A rating confirmed unchanged and a person's first rating are not counted as changes."),
    ))
    drawers["rating_changes"] = lambda: bar_chart(title=_("Rating changes per month"), description=described, bars=[
        Bar(label, c.display, c.shown_value) for label, c in zip(month_labels, changes.row_totals or (), strict=True)])

    incident_family, hidden = protected_grid("trefas_incidents", _incidents(forum.pk, months))
    incidents = incident_family.table(hidden)
    tables.append(StatTable(
        key="incidents", caption=_("Incidents per month"), row_header=_("Month"), row_labels=month_labels,
        col_labels=[str(label) for label in IncidentKind.labels], total_label=_("Incidents"), table=incidents,
    ))
    drawers["incidents"] = lambda: bar_chart(title=_("Incidents per month"), description=described, bars=[
        Bar(label, c.display, c.shown_value)
        for label, c in zip(month_labels, incidents.row_totals or (), strict=True)])

    counts, hours, names = _hours_to_actions(forum.pk)
    time_family, hidden = protected_grid("trefas_action_hours", counts)
    done = time_family.table(hidden)
    org_ids = [int(o) for o in counts.rows]
    medians = [_decimal(pystats.median(hours[o])) if len(hours[o]) >= THRESHOLD else "–" for o in org_ids]
    tables.append(StatTable(
        key="time_to_action", caption=_("Time from an incident to each action done, per organisation"),
        row_header=_("Organisation"), row_labels=[names.get(o, "") for o in org_ids],
        col_labels=[_("Actions done")], total_label="", table=done, extra_label=_("Median hours"), extra=medians,
        note=_("The median is shown only when the organisation did at least five actions after incidents."),
    ))
    if org_ids:
        drawers["time_to_action"] = lambda: bar_chart(
            title=_("Median hours from incident to action"), description=described,
            bars=[Bar(names.get(o, ""), m, None if m == "–" else float(m.replace(",", ".")))
                  for o, m in zip(org_ids, medians, strict=True)])

    on_time_counts, org_names = _actions_on_time(forum.pk)
    on_time_family, hidden = protected_commitment_tables(on_time_counts)
    on_time: SuppressedTable = on_time_family.table(None, hidden)
    percent = []
    for i, (done_on_time, total) in enumerate(on_time_family.raw(None)):
        shown = [*on_time.cells[i], *([on_time.row_totals[i]] if on_time.row_totals else [])]
        percent.append(f"{round(100 * done_on_time / total)} %" if total and not any(c.hidden for c in shown)
                       else "–")
    tables.append(StatTable(
        key="actions_on_time", caption=_("Actions done on time, per organisation"), row_header=_("Organisation"),
        row_labels=[org_names.get(pk, "") for pk in on_time_counts.organisations],
        col_labels=[_("Done on time"), _("Late or not done")], total_label=_("Due"), table=on_time,
        extra_label=_("Share on time"), extra=percent,
        note=_("Actions whose due time has passed or that are done; cancelled ones are not counted."),
    ))
    if on_time_counts.organisations:
        on_time_labels = tables[-1].row_labels
        drawers["actions_on_time"] = lambda: bar_chart(
            title=_("Share of actions done on time"), description=described, bars=[
                Bar(label, p, float(p.split()[0]) if p[:1].isdigit() else None)
                for label, p in zip(on_time_labels, percent, strict=True)])

    audit.record(
        action=Action.TREFAS_EXPORTED if export_format else Action.TREFAS_STATISTICS_VIEWED,
        actor=actor,
        subject_type="trefas_forum",
        subject_id=forum.pk,
        subject_organisation_id=actor.organisation_id,
        detail={"months": len(months), **({"format": export_format} if export_format else {})},
    )
    return Statistics(
        organisation=forum.name, year=None, years=[], tables=tables,
        charts=LazyCharts(lambda: {key: draw() for key, draw in drawers.items()}), notes=[],
        period=f"{month_labels[0]} – {month_labels[-1]}",
    )
