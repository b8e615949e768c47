"""Reads for groups and conflicts: the relation view of one forum. Visibility strictly
through the forum decision (``TrefasAccess.groups_q``): the owning organisation sees all its
groups; another organisation a group only while an approved (or no-review) share about it
went to it; a conflict only when both its groups are visible. A fixed number of queries,
however many groups the viewer cannot see."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from samverkan.access import policy
from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.trefas.decision import TrefasAccess, TrefasAction
from samverkan.trefas.models import Conflict, ConflictStatus, Forum, Group, GroupMembership, Listing, Rating
from samverkan.trefas.selectors.shares import person_label

if TYPE_CHECKING:
    from samverkan.accounts.models import User


@dataclass(frozen=True)
class MemberRow:
    membership: GroupMembership
    name: str
    rating: str
    current: bool


@dataclass(frozen=True)
class ConflictRow:
    conflict: Conflict
    other: Group
    active: bool


@dataclass
class GroupRow:
    group: Group
    owned: bool
    members: list[MemberRow] = field(default_factory=list)
    conflicts: list[ConflictRow] = field(default_factory=list)
    member_form: Any = None  # set by the view for the owner: adding a member


@dataclass
class GroupsPage:
    groups: list[GroupRow]
    conflicts: list[Conflict]  # each once, between two visible groups
    listings: list[tuple[int, str]]  # the list, for adding members (the owner only)
    may_manage: bool


def visible_groups(*, access: TrefasAccess) -> QuerySet[Group]:
    """The forum's groups this member may see (a key subquery: one row per group)."""
    keys = Group.objects.filter(forum_id=access.forum_id).filter(access.groups_q()).values("pk")
    return Group.objects.filter(pk__in=keys).order_by("name", "pk")


def groups_page(*, actor: User, access: TrefasAccess, forum: Forum, today: date | None = None) -> GroupsPage:
    """Each visible group with its listed members and its conflicts with other visible
    groups (active ones first). Audited TREFAS_GROUPS_VIEWED with counts (``red`` when a
    red-rated person is shown)."""
    today = today or timezone.localdate()
    groups = list(visible_groups(access=access))
    ids = [g.pk for g in groups]
    by_id = {g.pk: GroupRow(group=g, owned=access.owns(g)) for g in groups}
    memberships = (
        GroupMembership.objects.filter(group_id__in=ids, listing__removed_at__isnull=True)
        .select_related("listing__person")
        .order_by("since", "pk")
    ) if ids else GroupMembership.objects.none()
    red = False
    for m in memberships:
        current = m.until is None or m.until >= today
        by_id[m.group_id].members.append(
            MemberRow(membership=m, name=person_label(access, m.listing), rating=m.listing.rating, current=current)
        )
        red = red or m.listing.rating == Rating.RED
    conflicts = list(
        Conflict.objects.filter(forum_id=access.forum_id, group_a_id__in=ids, group_b_id__in=ids)
        .order_by("status", "-since", "pk")  # "active" before "dormant"
    ) if ids else []
    for c in conflicts:
        active = c.status == ConflictStatus.ACTIVE
        by_id[c.group_a_id].conflicts.append(ConflictRow(c, by_id[c.group_b_id].group, active))
        by_id[c.group_b_id].conflicts.append(ConflictRow(c, by_id[c.group_a_id].group, active))
    may_manage = access.may(TrefasAction.MANAGE_GROUPS)
    listings = listing_choices(access=access) if may_manage else []
    detail: dict[str, object] = {"forum": forum.pk, "groups": len(groups), "conflicts": len(conflicts)}
    if red:
        detail["red"] = True
    audit.record(
        action=Action.TREFAS_GROUPS_VIEWED, actor=actor, subject_type="trefas_forum", subject_id=forum.pk,
        subject_organisation_id=access.viewer_org_id, detail=detail,
    )
    return GroupsPage(groups=list(by_id.values()), conflicts=conflicts, listings=listings, may_manage=may_manage)


def own_group(*, access: TrefasAccess, group_id: int) -> Group:
    """A group of the forum the member may see; 404 otherwise (the services then require
    that it is the member's own organisation's)."""
    return policy.get_or_404(visible_groups(access=access), pk=group_id)


def group_membership(*, access: TrefasAccess, membership_id: int) -> GroupMembership:
    keys = visible_groups(access=access).values("pk")
    return policy.get_or_404(
        GroupMembership.objects.select_related("group", "listing__person").filter(group_id__in=keys),
        pk=membership_id,
    )


def member_shown(*, actor: User, access: TrefasAccess, membership: GroupMembership) -> str:
    """The member's name (or the label a protected identity gets) for a page about one
    membership — the confirmation before ending it. Showing it is a read of the person:
    audited TREFAS_PERSON_VIEWED on the listing (``red`` when a red-rated person is shown)."""
    listing = membership.listing
    audit.record(
        action=Action.TREFAS_PERSON_VIEWED, actor=actor, subject_type="trefas_listing", subject_id=listing.pk,
        subject_organisation_id=listing.nominated_by_organisation_id,
        detail={"forum": listing.forum_id, "membership": membership.pk,
                **({"red": True} if listing.rating == Rating.RED else {})},
    )
    return person_label(access, listing)


def group_conflict(*, access: TrefasAccess, conflict_id: int) -> Conflict:
    keys = visible_groups(access=access).values("pk")
    return policy.get_or_404(
        Conflict.objects.select_related("group_a", "group_b").filter(
            Q(group_a_id__in=keys) & Q(group_b_id__in=keys), forum_id=access.forum_id
        ),
        pk=conflict_id,
    )


def listing_in_forum(*, access: TrefasAccess, listing_id: int) -> Listing:
    return policy.get_or_404(Listing.objects.filter(forum_id=access.forum_id, removed_at__isnull=True), pk=listing_id)


def listing_choices(*, access: TrefasAccess) -> list[tuple[int, str]]:
    """The forum's list (its common picture) as choices for a membership, names as this
    member may see them."""
    listings = Listing.objects.filter(forum_id=access.forum_id, removed_at__isnull=True).select_related("person")
    return [
        (listing.pk, person_label(access, listing))
        for listing in listings.order_by("person__last_name", "person__first_name", "pk")
    ]


def own_group_choices(*, access: TrefasAccess) -> list[tuple[int, str]]:
    """The member's own organisation's groups in the forum, as choices for a conflict."""
    own = Group.objects.filter(forum_id=access.forum_id, owner_organisation_id=access.viewer_org_id)
    return list(own.order_by("name", "pk").values_list("pk", "name"))
