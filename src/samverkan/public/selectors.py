"""What the public pages show. Everything here is public by design: places, opening
hours, contact channels, agency names and head counts from the published roster. Never
people's names, never internal ids (areas are found by their code, groups shown by
their code), never drafts.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Avg, Count, Prefetch, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.actiongroups.models import (
    ActionGroup,
    GroupStatus,
    PositionRequirement,
    Premises,
    PremisesKind,
)
from samverkan.agreement.models import CitizenPromise, PromiseProgress, PromiseState
from samverkan.directory.models import Area
from samverkan.prevention.models import MeasureStatus
from samverkan.prevention.selectors import plans as plan_selectors
from samverkan.public.agencies import help_text
from samverkan.public.models import SafetyPollAnswer
from samverkan.public.services import week_start
from samverkan.rostering.models import RosterAssignment, RosterVersion, VersionStatus

# Groups residents should see: being set up, working, or paused for now.
PUBLIC_GROUP_STATUSES = (GroupStatus.FORMING, GroupStatus.OPERATING, GroupStatus.PAUSED)
OPEN_STATUSES = (GroupStatus.OPERATING,)


@dataclass(frozen=True)
class PlaceInfo:
    address: str
    description: str
    own_description: bool = False  # written by staff (in Swedish), not our standard text


@dataclass(frozen=True)
class AgencyCount:
    name: str
    count: int


@dataclass(frozen=True)
class AgencyHelp:
    name: str
    help: str


@dataclass(frozen=True)
class StatusLine:
    """The one thing a resident needs to know first about a group, in one sentence.
    ``state`` names which case it is (see ``group_status``)."""

    state: str
    sentence: str


@dataclass(frozen=True)
class GroupInfo:
    code: str
    name: str
    status: str
    status_label: str
    around_the_clock: bool
    opens_at: time | None
    closes_at: time | None
    phone: str
    email: str
    contact_notes: str
    premises: list[PlaceInfo] = field(default_factory=list)
    on_duty: list[AgencyCount] = field(default_factory=list)
    agencies: list[AgencyHelp] = field(default_factory=list)
    map_tile: str = ""
    status_line: StatusLine | None = None

    @property
    def is_open_status(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def phone_link(self) -> str:
        return "".join(c for c in self.phone if c.isdigit() or c == "+")


@dataclass(frozen=True)
class AreaSummary:
    code: str
    name: str
    district: str
    groups: list[GroupInfo]


@dataclass(frozen=True)
class ProgressInfo:
    """The newest progress of a promise, as residents see it: never the internal note."""

    state: str
    state_label: str
    text: str
    recorded_on: date


@dataclass(frozen=True)
class PromiseInfo:
    title: str
    text: str
    period: str
    progress: ProgressInfo | None = None


@dataclass(frozen=True)
class MeasureInfo:
    """A measure of a decided åtgärdsplan marked public, in plain words."""

    summary: str
    status: str
    status_label: str


@dataclass(frozen=True)
class PollRow:
    label: str
    average: float
    safe_percent: int  # share answering 4 or 5


@dataclass(frozen=True)
class PollResults:
    """The poll of the last POLL_WEEKS weeks. With fewer than POLL_MIN_ANSWERS answers
    nothing is shown but that there are too few (``shown`` False, no numbers)."""

    shown: bool
    since: date
    threshold: int
    answers: int = 0
    rows: tuple[PollRow, ...] = ()


@dataclass(frozen=True)
class AreaPage:
    code: str
    name: str
    district: str
    groups: list[GroupInfo]
    promises: list[PromiseInfo]
    measures: list[MeasureInfo] = field(default_factory=list)
    poll: PollResults | None = None


# The language staff write in: promises, addresses, notes and names are in Swedish only.
CONTENT_LANGUAGE = "sv"


def content_language_attrs(language: str | None) -> str:
    """The attributes that mark staff-written (Swedish-only) text on a page in another
    language: ``lang`` for screen readers and ``dir="ltr"`` so an Arabic page keeps its
    full stops and numbers in place. Empty on the Swedish pages (Easy Swedish included)."""
    if (language or "").split("-")[0] == CONTENT_LANGUAGE:
        return ""
    return f' lang="{CONTENT_LANGUAGE}" dir="ltr"'


def _status_label(status: str) -> str:
    labels: dict[str, str] = {
        GroupStatus.FORMING: _("Being set up"),
        GroupStatus.OPERATING: _("Open"),
        GroupStatus.PAUSED: _("Closed for now"),
    }
    return str(labels.get(status, status))


def _in_hours(now: time, opens: time, closes: time) -> bool:
    if opens <= closes:
        return opens <= now < closes
    return now >= opens or now < closes  # open over midnight


def group_status(
    *,
    status: str,
    has_premises: bool,
    around_the_clock: bool,
    opens_at: time | None,
    closes_at: time | None,
    on_duty: int,
    now: time,
) -> StatusLine:
    """ONE status sentence for a group, derived from its real state in this order:
    not open yet (being set up), closed for now (paused), open but nowhere to visit (no
    premises), no opening hours, outside the opening hours, inside them with someone on
    duty by the published schedule, inside them with no one on duty. The rest of the
    page (address, hours, who is here) shows facts and never a second status."""
    hours = ""
    if opens_at and closes_at:
        hours = _("every day %(opens)s–%(closes)s") % {
            "opens": opens_at.strftime("%H:%M"),
            "closes": closes_at.strftime("%H:%M"),
        }
    if status == GroupStatus.FORMING:
        return StatusLine("forming", _("The group is being set up and is not open yet."))
    if status != GroupStatus.OPERATING:
        return StatusLine("paused", _("The group is closed for now."))
    if not has_premises:
        return StatusLine(
            "no_premises",
            _("The group has no premises to visit yet. You can call or e-mail instead."),
        )
    if not around_the_clock and not hours:
        return StatusLine("no_hours", _("The group's opening hours are not set yet."))
    if (
        not around_the_clock
        and opens_at is not None
        and closes_at is not None
        and not _in_hours(now, opens_at, closes_at)
    ):
        return StatusLine("closed_now", _("Closed right now. Open %(hours)s.") % {"hours": hours})
    if on_duty:
        return StatusLine("open_staffed", _("Open now, and the agencies have staff here."))
    return StatusLine(
        "open_unstaffed",
        _("Open now, but no one from the agencies is on duty according to the schedule."),
    )


def _place_description(kind: str) -> str:
    if kind == PremisesKind.OFFICE_MODULE:
        return _("An office module (a temporary building) marked with the group's sign.")
    return _("An office with a sign at the entrance.")


def _tile_url(lat: object, lon: object, zoom: int = 15) -> str:
    """One map tile around the point, only when an administrator configured a tile
    server (PUBLIC_MAP_TILE_URL); otherwise no map and no outside request."""
    template = settings.PUBLIC_MAP_TILE_URL
    if not template or lat is None or lon is None:
        return ""
    lat_f, lon_f = float(lat), float(lon)  # type: ignore[arg-type]
    n = 2**zoom
    x = int((lon_f + 180.0) / 360.0 * n)
    y = int((1.0 - math.asinh(math.tan(math.radians(lat_f))) / math.pi) / 2.0 * n)
    return str(template.format(z=zoom, x=x, y=y))


def on_duty_now(
    *, group_ids: list[int], now: datetime | None = None
) -> dict[int, list[AgencyCount]]:
    """Per group: agency names with how many of their experts the newest published
    roster version of each current plan has on duty at ``now``. Counts only, no names."""
    now = now or timezone.now()
    if not group_ids:
        return {}
    today = timezone.localdate(now)
    # Plans are at most 8 weeks long; the newest published version of each plan rules.
    versions = (
        RosterVersion.objects.filter(
            plan__group_id__in=group_ids,
            status=VersionStatus.PUBLISHED,
            plan__period_start__lte=today,
            plan__period_start__gt=today - timedelta(weeks=9),
        )
        .order_by("plan_id", "-number")
        .values_list("plan_id", "id")
    )
    newest: dict[int, int] = {}
    for plan_id, version_id in versions:
        newest.setdefault(plan_id, version_id)
    if not newest:
        return {}
    rows = (
        RosterAssignment.objects.filter(
            version_id__in=newest.values(), starts_at__lte=now, ends_at__gt=now
        )
        .values("version__plan__group_id", "agency__name")
        .annotate(n=Count("expert_id", distinct=True))
        .order_by("version__plan__group_id", "agency__name")
    )
    result: dict[int, list[AgencyCount]] = defaultdict(list)
    for row in rows:
        result[row["version__plan__group_id"]].append(
            AgencyCount(name=row["agency__name"], count=row["n"])
        )
    return dict(result)


def _group_infos(groups: list[ActionGroup], *, area: Area | None, detail: bool) -> list[GroupInfo]:
    now = timezone.now()
    duty = on_duty_now(group_ids=[g.pk for g in groups], now=now) if detail else {}
    today = timezone.localdate(now)
    local_time = timezone.localtime(now).time()
    infos = []
    for g in groups:
        premises = (
            [
                PlaceInfo(
                    address=p.address,
                    description=p.description or _place_description(p.kind),
                    own_description=bool(p.description),
                )
                for p in g.premises.all()
                if p.valid_from <= today and (p.valid_to is None or p.valid_to >= today)
            ]
            if detail
            else []
        )
        agencies = (
            [
                AgencyHelp(
                    name=r.agency.name,
                    help=help_text(short_code=r.agency.short_code, kind=r.agency.kind),
                )
                for r in g.positions.all()
                if r.positions > 0
            ]
            if detail
            else []
        )
        infos.append(
            GroupInfo(
                code=g.code,
                name=g.name,
                status=g.status,
                status_label=_status_label(g.status),
                around_the_clock=g.around_the_clock,
                opens_at=g.opens_at,
                closes_at=g.closes_at,
                phone=g.contact_phone,
                email=g.contact_email,
                contact_notes=g.contact_notes,
                premises=premises,
                on_duty=duty.get(g.pk, []),
                agencies=agencies,
                map_tile=_tile_url(area.centre_lat, area.centre_lon)
                if (detail and area is not None)
                else "",
                status_line=group_status(
                    status=g.status,
                    has_premises=bool(premises),
                    around_the_clock=g.around_the_clock,
                    opens_at=g.opens_at,
                    closes_at=g.closes_at,
                    on_duty=sum(a.count for a in duty.get(g.pk, [])),
                    now=local_time,
                )
                if detail
                else None,
            )
        )
    return infos


def area_overview() -> list[AreaSummary]:
    """Every area with its public action groups (three queries whatever the count)."""
    areas = list(
        Area.objects.select_related("district")
        .prefetch_related(
            Prefetch(
                "action_groups",
                queryset=ActionGroup.objects.filter(status__in=PUBLIC_GROUP_STATUSES).order_by(
                    "name"
                ),
                to_attr="public_groups",
            )
        )
        .order_by("name")
    )
    return [
        AreaSummary(
            code=a.code,
            name=a.name,
            district=a.district.name,
            groups=_group_infos(a.public_groups, area=a, detail=False),
        )
        for a in areas
    ]


def area_page(*, code: str) -> AreaPage:
    """The public page of one area by its code; 404 for an unknown code."""
    area = Area.objects.select_related("district").filter(code=code).first()
    if area is None:
        raise Http404
    today = timezone.localdate()
    groups = list(
        ActionGroup.objects.filter(areas=area, status__in=PUBLIC_GROUP_STATUSES)
        .prefetch_related(
            Prefetch(
                "premises",
                queryset=Premises.objects.filter(
                    Q(valid_to__isnull=True) | Q(valid_to__gte=today), valid_from__lte=today
                ).order_by("-valid_from"),
            ),
            Prefetch(
                "positions",
                queryset=PositionRequirement.objects.select_related("agency").order_by(
                    "agency__name"
                ),
            ),
        )
        .order_by("name")
    )
    promises = published_promises(area)
    return AreaPage(
        code=area.code,
        name=area.name,
        district=area.district.name,
        groups=_group_infos(groups, area=area, detail=True),
        promises=promises,
        measures=public_measures_for_area(area, limit=3),
        poll=poll_results(area),
    )


# --- Citizen promises, measures and the safety poll -----------------------------------


def _progress_label(state: str) -> str:
    labels: dict[str, str] = {
        PromiseState.NOT_STARTED: _("We have not started yet"),
        PromiseState.ON_TRACK: _("It is going as planned"),
        PromiseState.BEHIND: _("It is going slower than planned"),
        PromiseState.KEPT: _("We have kept the promise"),
        PromiseState.NOT_KEPT: _("We did not keep the promise"),
    }
    return str(labels.get(state, ""))


def published_promises(area: Area) -> list[PromiseInfo]:
    """The area's published promises, each with its newest progress (state in plain
    words, the text written for residents, the date). Unpublished promises and the
    internal notes never leave this function (the note is not even read). Two queries."""
    newest = Prefetch(
        "progress",
        queryset=PromiseProgress.objects.only(
            "promise_id", "recorded_on", "state", "public_text"
        ).order_by("-recorded_on", "-pk"),
        to_attr="public_progress",
    )
    infos = []
    for p in (
        CitizenPromise.objects.filter(area=area, published=True)
        .only("title", "text", "period")
        .prefetch_related(newest)
        .order_by("-period", "title")
    ):
        latest = p.public_progress[0] if p.public_progress else None
        infos.append(
            PromiseInfo(
                title=p.title,
                text=p.text,
                period=p.period,
                progress=ProgressInfo(
                    state=latest.state,
                    state_label=_progress_label(latest.state),
                    text=latest.public_text,
                    recorded_on=latest.recorded_on,
                )
                if latest is not None
                else None,
            )
        )
    return infos


def _measure_label(status: str) -> str:
    labels: dict[str, str] = {
        MeasureStatus.PLANNED: _("Planned, not started yet"),
        MeasureStatus.ONGOING: _("Under way"),
        MeasureStatus.DONE: _("Done"),
        MeasureStatus.DELAYED: _("Delayed"),
        MeasureStatus.STOPPED: _("Stopped"),
    }
    return str(labels.get(status, ""))


def public_measures_for_area(area: Area, limit: int = 3) -> list[MeasureInfo]:
    """The top measures residents of ``area`` see (prevention's rule: marked public, in a
    decided åtgärdsplan covering the area), with how each is going in the residents'
    words. One query."""
    return [
        MeasureInfo(summary=m.summary, status=m.status, status_label=_measure_label(m.status))
        for m in plan_selectors.public_measures_for_area(area, limit=limit)
    ]


# The poll's results are shown only from this many answers (the project's small-number
# threshold, samverkan.followup.suppression.THRESHOLD; the public app sits below
# followup, so it is restated here and a test keeps the two equal).
POLL_MIN_ANSWERS = 5
POLL_WEEKS = 4


def poll_results(area: Area, *, today: date | None = None) -> PollResults:
    """Answers of this ISO week and the three before it. One query."""
    since = week_start(today or timezone.localdate()) - timedelta(weeks=POLL_WEEKS - 1)
    row = SafetyPollAnswer.objects.filter(area=area, week_start__gte=since).aggregate(
        n=Count("pk"),
        day=Avg("day_score"),
        evening=Avg("evening_score"),
        day_safe=Count("pk", filter=Q(day_score__gte=4)),
        evening_safe=Count("pk", filter=Q(evening_score__gte=4)),
    )
    answers = int(row["n"] or 0)
    if answers < POLL_MIN_ANSWERS:
        return PollResults(shown=False, since=since, threshold=POLL_MIN_ANSWERS)
    return PollResults(
        shown=True,
        since=since,
        threshold=POLL_MIN_ANSWERS,
        answers=answers,
        rows=(
            PollRow(
                label=_("During the day"),
                average=float(row["day"]),
                safe_percent=round(100 * row["day_safe"] / answers),
            ),
            PollRow(
                label=_("In the evening"),
                average=float(row["evening"]),
                safe_percent=round(100 * row["evening_safe"] / answers),
            ),
        ),
    )


def area_for_poll(*, code: str) -> Area:
    """The area residents answer the poll about; 404 for an unknown code."""
    area = Area.objects.filter(code=code).only("code", "name").first()
    if area is None:
        raise Http404
    return area
