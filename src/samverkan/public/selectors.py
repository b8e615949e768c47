"""What the public pages show. Everything here is public by design: places, opening
hours, contact channels, agency names and head counts from the published roster. Never
people's names, never internal ids (areas are found by their code, groups shown by
their code), never drafts.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
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
from samverkan.agreement.models import CitizenPromise
from samverkan.directory.models import Area
from samverkan.public.agencies import help_text
from samverkan.rostering.models import RosterAssignment, RosterVersion, VersionStatus

# Groups residents should see: being set up, working, or paused for now.
PUBLIC_GROUP_STATUSES = (GroupStatus.FORMING, GroupStatus.OPERATING, GroupStatus.PAUSED)
OPEN_STATUSES = (GroupStatus.OPERATING,)


@dataclass(frozen=True)
class PlaceInfo:
    address: str
    description: str


@dataclass(frozen=True)
class AgencyCount:
    name: str
    count: int


@dataclass(frozen=True)
class AgencyHelp:
    name: str
    help: str


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
class PromiseInfo:
    title: str
    text: str
    period: str


@dataclass(frozen=True)
class AreaPage:
    code: str
    name: str
    district: str
    groups: list[GroupInfo]
    promises: list[PromiseInfo]


def _status_label(status: str) -> str:
    labels: dict[str, str] = {
        GroupStatus.FORMING: _("Being set up"),
        GroupStatus.OPERATING: _("Open"),
        GroupStatus.PAUSED: _("Closed for now"),
    }
    return str(labels.get(status, status))


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
    duty = on_duty_now(group_ids=[g.pk for g in groups]) if detail else {}
    today = timezone.localdate()
    infos = []
    for g in groups:
        premises = (
            [
                PlaceInfo(address=p.address, description=p.description or _place_description(p.kind))
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
    promises = [
        PromiseInfo(title=p.title, text=p.text, period=p.period)
        for p in CitizenPromise.objects.filter(area=area, published=True).order_by(
            "-period", "title"
        )
    ]
    return AreaPage(
        code=area.code,
        name=area.name,
        district=area.district.name,
        groups=_group_infos(groups, area=area, detail=True),
        promises=promises,
    )


def promises_for_staff() -> QuerySet[CitizenPromise]:
    """All citizen promises (public content once published; drafts are staff-only)."""
    return CitizenPromise.objects.select_related("area").order_by("area__name", "-period", "title")


def get_promise(*, pk: int) -> CitizenPromise:
    promise = CitizenPromise.objects.select_related("area").filter(pk=pk).first()
    if promise is None:
        raise Http404
    return promise


def area_choices() -> list[tuple[str, str]]:
    return list(Area.objects.order_by("name").values_list("code", "name"))
