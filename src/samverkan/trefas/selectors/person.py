"""One listed person's joint picture, as one member may see it.

Everything is read through the forum decision: shares only as ``TrefasAccess.shares_q``
allows (the viewer's own organisation's in any state, others' only approved or under a
basis without review, and only to their recipients), groups only as ``groups_q``
allows, an exit's SIG case linked only when the viewer may open that case (the case
decision's team rule, asked without raising). A fixed number of queries whatever the
person's history: one per section.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils import timezone

from samverkan.caseaccess.selectors import cases_visible_to
from samverkan.trefas.decision import TrefasAccess
from samverkan.trefas.models import (
    ActionItem,
    ActionStatus,
    ExitLink,
    Group,
    GroupMembership,
    IncidentLink,
    Listing,
    Rating,
    RatingChange,
    Release,
    Share,
)
from samverkan.trefas.selectors.listing import name_for, review_reason_text

if TYPE_CHECKING:
    from samverkan.accounts.models import User


@dataclass(frozen=True)
class ShareRow:
    topic: str
    text: str
    basis: str
    date: datetime
    state: str
    own: bool  # the viewer's organisation's share (shown in every state, with it)


@dataclass(frozen=True)
class TopicGroup:
    topic: str
    shares: list[ShareRow]


@dataclass(frozen=True)
class OrganisationShares:
    organisation: str
    topics: list[TopicGroup]


@dataclass(frozen=True)
class ExitRow:
    kind: str
    programme_name: str
    created_at: datetime
    case_url: str  # empty unless the viewer may open the SIG case


@dataclass
class PersonPicture:
    listing: Listing
    name: str
    name_shown: bool
    age: int
    area: str
    rating: str
    rating_label: str
    review_reason: str
    source_reference: str
    history: list[RatingChange] = field(default_factory=list)
    shares: list[OrganisationShares] = field(default_factory=list)
    share_count: int = 0
    groups: list[GroupMembership] = field(default_factory=list)
    incidents: list[IncidentLink] = field(default_factory=list)
    releases: list[Release] = field(default_factory=list)
    exits: list[ExitRow] = field(default_factory=list)
    actions: list[ActionItem] = field(default_factory=list)

    @property
    def is_red(self) -> bool:
        return self.rating == Rating.RED


def _shares(listing: Listing, access: TrefasAccess) -> tuple[list[OrganisationShares], int]:
    rows = (
        Share.objects.filter(pk__in=Share.objects.filter(listing_id=listing.pk).filter(access.shares_q()).values("pk"))
        .select_related("from_organisation", "basis")
        .only("id", "topic", "text", "state", "proposed_at", "decided_at", "from_organisation_id",
              "from_organisation__name", "basis__reference", "basis__title")
        .order_by("from_organisation__name", "from_organisation_id", "topic", "-proposed_at", "-pk")
    )
    grouped: dict[tuple[int, str], dict[str, list[ShareRow]]] = {}
    count = 0
    for share in rows:
        key = (share.from_organisation_id, share.from_organisation.name)
        grouped.setdefault(key, {}).setdefault(share.get_topic_display(), []).append(
            ShareRow(
                topic=share.get_topic_display(),
                text=share.text,
                basis=f"{share.basis.reference} ({share.basis.title})",
                date=share.decided_at or share.proposed_at,
                state=share.get_state_display(),
                own=share.from_organisation_id == access.viewer_org_id,
            )
        )
        count += 1
    result = [
        OrganisationShares(organisation=name, topics=[TopicGroup(topic=t, shares=s) for t, s in topics.items()])
        for (_org_id, name), topics in grouped.items()
    ]
    return result, count


def _exits(listing: Listing, actor: User) -> list[ExitRow]:
    exits = list(
        ExitLink.objects.filter(listing_id=listing.pk)
        .select_related("case")
        .only("id", "kind", "programme_name", "created_at", "case_id", "case__public_id")
        .order_by("-created_at", "-pk")
    )
    case_ids = {e.case_id for e in exits if e.case_id is not None}
    # The case decision's first rule (team member or emergency access, and the case
    # permission): outside it the case does not exist for the viewer, so no link.
    visible: set[int] = (
        set(cases_visible_to(actor=actor).filter(pk__in=case_ids).values_list("pk", flat=True)) if case_ids else set()
    )
    return [
        ExitRow(
            kind=e.get_kind_display(),
            programme_name=e.programme_name,
            created_at=e.created_at,
            case_url=reverse("cases:detail", kwargs={"public_id": e.case.public_id})
            if e.case_id in visible and e.case is not None else "",
        )
        for e in exits
    ]


def person_picture(
    *, actor: User, access: TrefasAccess, listing: Listing, today: date | None = None
) -> PersonPicture:
    """The person page: header, rating history, and the joint picture (shares, groups,
    incidents, releases and leaves, exits, open actions) as ``access`` allows."""
    today = today or timezone.localdate()
    person = listing.person
    shares, share_count = _shares(listing, access)
    history = list(
        RatingChange.objects.filter(listing_id=listing.pk).select_related("set_by_organisation")
        .only("id", "rating", "previous_rating", "reason", "set_at", "set_by_organisation__name")
        .order_by("-set_at", "-pk")
    )
    groups = list(
        GroupMembership.objects.filter(
            listing_id=listing.pk,
            group_id__in=Group.objects.filter(forum_id=listing.forum_id).filter(access.groups_q()).values("pk"),
        )
        .select_related("group")
        .only("id", "since", "until", "group__id", "group__name")
        .order_by("group__name", "pk")
    )
    incidents = list(
        IncidentLink.objects.filter(listing_id=listing.pk, incident__forum_id=listing.forum_id)
        .select_related("incident")
        .only("id", "role", "incident__id", "incident__kind", "incident__occurred_at", "incident__place")
        .order_by("-incident__occurred_at", "-pk")
    )
    releases = list(
        Release.objects.filter(listing_id=listing.pk, cancelled_at__isnull=True)
        .only("id", "kind", "date").order_by("date", "pk")
    )
    actions = list(
        ActionItem.objects.filter(listing_id=listing.pk, status=ActionStatus.OPEN)
        .select_related("organisation")
        .only("id", "title", "due_at", "status", "organisation__name", "organisation_id")
        .order_by("due_at", "pk")
    )
    shown = access.sees_identity(listing, person)
    return PersonPicture(
        listing=listing,
        name=name_for(access, listing),
        name_shown=shown,
        age=person.age_on(today),
        area=listing.area.name if listing.area is not None else "",
        rating=listing.rating,
        rating_label=str(Rating(listing.rating).label),
        review_reason=review_reason_text(listing.review_request_reason) if listing.review_requested_at else "",
        source_reference=listing.source_reference if access.sees_source_reference(listing) else "",
        history=history,
        shares=shares,
        share_count=share_count,
        groups=groups,
        incidents=incidents,
        releases=releases,
        exits=_exits(listing, actor),
        actions=actions,
    )


def picture_counts(picture: PersonPicture) -> dict[str, Any]:
    """Counts for the audit row (ids and counts only)."""
    return {
        "shares": picture.share_count,
        "groups": len(picture.groups),
        "incidents": len(picture.incidents),
        "releases": len(picture.releases),
        "exits": len(picture.exits),
        "actions": len(picture.actions),
    }
