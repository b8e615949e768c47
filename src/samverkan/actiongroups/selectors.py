"""Reading action groups and the outreach. Groups and their premises are public
facts for every holder of area:action_group:view; outreach rows (an agency's dealings
with the city) are scoped by access.policy.scope_outreach: agency staff see their own
agency's rows only, and anything else answers 404."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch, QuerySet

from samverkan.access import policy
from samverkan.actiongroups.models import (
    MOTION_AGENCY_CODES,
    ActionGroup,
    ContactLogEntry,
    Outreach,
    OutreachDocument,
    OutreachStatus,
    PositionRequirement,
)
from samverkan.directory.models import Organisation

if TYPE_CHECKING:
    from samverkan.accounts.models import User


def groups_visible_to(*, actor: User) -> QuerySet[ActionGroup]:
    """Every group for holders of area:action_group:view, none otherwise; areas
    prefetched and position totals annotated (a constant number of queries)."""
    return policy.scope_action_groups(
        actor=actor,
        queryset=ActionGroup.objects.prefetch_related("areas")
        .annotate(agency_count=Count("positions", distinct=True))
        .order_by("name"),
    )


def get_group(*, actor: User, pk: int) -> ActionGroup:
    """One group the actor may see (404 otherwise)."""
    return policy.get_or_404(groups_visible_to(actor=actor), pk=pk)


def get_group_by_code(*, actor: User, code: str) -> ActionGroup:
    return policy.get_or_404(groups_visible_to(actor=actor), code=code)


def group_positions(*, group: ActionGroup) -> list[PositionRequirement]:
    """The group's required positions per agency (agency names loaded)."""
    return list(group.positions.select_related("agency").order_by("agency__name"))


def agencies() -> QuerySet[Organisation]:
    """The eleven agencies of the motion (reference data; not personal data)."""
    return Organisation.objects.filter(short_code__in=MOTION_AGENCY_CODES, kind="agency").order_by(
        "name"
    )


def outreach_visible_to(*, actor: User) -> QuerySet[Outreach]:
    return policy.scope_outreach(
        actor=actor, queryset=Outreach.objects.select_related("agency", "group")
    )


def outreach_for_group(*, actor: User, group: ActionGroup) -> list[Outreach]:
    """The group's outreach rows the actor may see, with the number of log entries
    and documents annotated."""
    return list(
        outreach_visible_to(actor=actor)
        .filter(group=group)
        .annotate(
            contact_count=Count("contacts", distinct=True),
            document_count=Count("documents", distinct=True),
        )
        .order_by("agency__name")
    )


def get_outreach(*, actor: User, pk: int) -> Outreach:
    """One outreach row with its contact log and documents (without their contents);
    404 outside the actor's scope."""
    qs = outreach_visible_to(actor=actor).prefetch_related(
        Prefetch("contacts", queryset=ContactLogEntry.objects.order_by("-contacted_on", "-pk")),
        Prefetch(
            "documents", queryset=OutreachDocument.objects.defer("content").order_by("-uploaded_at")
        ),
    )
    return policy.get_or_404(qs, pk=pk)


def get_document(*, actor: User, outreach_pk: int, pk: int) -> OutreachDocument:
    """A document of an outreach row the actor may see; 404 otherwise."""
    outreach = policy.get_or_404(outreach_visible_to(actor=actor), pk=outreach_pk)
    return policy.get_or_404(OutreachDocument.objects.filter(outreach=outreach), pk=pk)


@dataclass
class Board:
    groups: list[ActionGroup]
    agencies: list[Organisation]
    cells: dict[tuple[int, int], Outreach] = field(default_factory=dict)
    totals: dict[int, dict[str, int]] = field(default_factory=dict)  # group id → status → count

    def rows(self) -> list[tuple[Organisation, list[tuple[ActionGroup, Outreach | None]]]]:
        return [
            (a, [(g, self.cells.get((g.pk, a.pk))) for g in self.groups]) for a in self.agencies
        ]


def outreach_board(*, actor: User) -> Board:
    """Agencies x groups with the outreach status of each cell the actor may see; the
    municipal side sees every agency, agency staff their own agency's row only.
    Three queries whatever the number of groups and agencies."""
    groups = list(groups_visible_to(actor=actor).exclude(status="closed"))
    rows = list(outreach_visible_to(actor=actor).filter(group__in=groups))
    agency_ids = {o.agency_id for o in rows}
    agency_list = sorted({o.agency_id: o.agency for o in rows}.values(), key=lambda a: a.name)
    board = Board(groups=groups, agencies=[a for a in agency_list if a.pk in agency_ids])
    for o in rows:
        board.cells[(o.group_id, o.agency_id)] = o
        counts = board.totals.setdefault(o.group_id, {})
        counts[o.status] = counts.get(o.status, 0) + 1
    return board


def outreach_needing_contact(*, actor: User) -> int:
    """How many visible outreach rows of open groups still wait for a first contact."""
    return (
        outreach_visible_to(actor=actor)
        .filter(status=OutreachStatus.NOT_CONTACTED)
        .exclude(group__status__in=["closed", "paused"])
        .count()
    )
