"""Reading the list: the forum's listed people as one member may see them.

The list is the forum's common picture (trefas.decision): every member sees who is
listed, the rating and its reason. What differs per viewer is decided by the forum
decision (``TrefasAccess``) and applied here, once, for every page: a protected
identity's name only to the organisation whose record it is, the reference to the
nominating organisation's own files only to that organisation.

The list page costs a fixed number of queries whatever the list's length: one query
reads the listings with their person, area and nominating organisation (only the
columns shown).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from samverkan.directory.models import Area
from samverkan.trefas.decision import TrefasAccess
from samverkan.trefas.models import RATING_ORDER, Forum, Listing, Rating

PROTECTED_NAME = _("Protected identity")

# Why a review was requested (Listing.review_request_reason), in words.
REVIEW_REASONS: dict[str, Promise] = {
    "not_discussed": _("Not discussed at a meeting for two cycles"),
    "incident": _("Linked to an incident"),
    "release": _("A release or leave is coming up"),
    "manual": _("A member asked for a review"),
}

# The list's filters (?flag=).
FLAG_NOT_REVIEWED = "not_reviewed"
FLAG_REVIEW_REQUESTED = "review_requested"
FLAGS: list[tuple[str, Promise]] = [
    (FLAG_NOT_REVIEWED, _("Rating not reviewed for one cycle")),
    (FLAG_REVIEW_REQUESTED, _("Review requested")),
]

_RATING_RANK = Case(
    *(When(rating=rating, then=Value(rank)) for rating, rank in RATING_ORDER.items()),
    default=Value(9),
    output_field=IntegerField(),
)

_LIST_COLUMNS = (
    "id", "forum_id", "version", "rating", "rating_reason", "rating_set_at", "rating_reviewed_at",
    "review_requested_at", "review_request_reason", "source_reference", "nominated_by_organisation_id",
    "listed_at", "last_discussed_on", "removed_at",
    "person__id", "person__first_name", "person__last_name", "person__birth_date", "person__protected_identity",
    "area__id", "area__name", "nominated_by_organisation__id", "nominated_by_organisation__name",
)


def review_reason_text(code: str) -> str:
    """The reason a review was requested, in words (an unknown code is shown as asked)."""
    if not code:
        return ""
    return str(REVIEW_REASONS.get(code, _("Review requested")))


def name_for(access: TrefasAccess, listing: Listing) -> str:
    """The person's name as this member may see it."""
    person = listing.person
    if access.sees_identity(listing, person):
        return person.full_name
    return str(PROTECTED_NAME)


def review_overdue_since(forum: Forum, *, now: datetime | None = None) -> datetime:
    """A rating reviewed before this moment has not been reviewed for one cycle."""
    return (now or timezone.now()) - timedelta(days=forum.cadence_days)


@dataclass(frozen=True)
class ListRow:
    """One listed person as one member sees them (nothing more than the page shows)."""

    listing_id: int
    version: int
    name: str
    name_shown: bool
    protected: bool
    age: int
    area: str
    rating: str
    rating_label: str
    rating_reason: str
    rating_reviewed_at: datetime
    not_reviewed: bool
    review_requested: bool
    review_reason: str
    nominated_by: str
    source_reference: str  # empty unless the viewer's organisation nominated
    own: bool  # the viewer's organisation nominated the person
    listing: Listing  # for {% trefas_may %} in templates (never shown as a whole)

    @property
    def is_red(self) -> bool:
        return self.rating == Rating.RED


def _row(access: TrefasAccess, listing: Listing, *, today: date, overdue_since: datetime) -> ListRow:
    person = listing.person
    shown = access.sees_identity(listing, person)
    own = access.sees_source_reference(listing)
    return ListRow(
        listing_id=listing.pk,
        version=listing.version,
        name=person.full_name if shown else str(PROTECTED_NAME),
        name_shown=shown,
        protected=person.protected_identity,
        age=person.age_on(today),
        area=listing.area.name if listing.area is not None else "",
        rating=listing.rating,
        rating_label=str(Rating(listing.rating).label),
        rating_reason=listing.rating_reason,
        rating_reviewed_at=listing.rating_reviewed_at,
        not_reviewed=listing.rating_reviewed_at < overdue_since,
        review_requested=listing.review_requested_at is not None,
        review_reason=review_reason_text(listing.review_request_reason),
        nominated_by=listing.nominated_by_organisation.name,
        source_reference=listing.source_reference if own else "",
        own=own,
        listing=listing,
    )


def listed(forum: Forum) -> QuerySet[Listing]:
    """The forum's current list (not removed), red first."""
    return (
        Listing.objects.filter(forum_id=forum.pk, removed_at__isnull=True)
        .select_related("person", "area", "nominated_by_organisation")
        .only(*_LIST_COLUMNS)
        .annotate(rating_rank=_RATING_RANK)
        .order_by("rating_rank", "-rating_set_at", "pk")
    )


def forum_list(
    *, forum: Forum, access: TrefasAccess, rating: str = "", flag: str = "", now: datetime | None = None
) -> list[ListRow]:
    """The list as ``access``'s member sees it, filtered by rating and flag (both
    validated by the caller's form; an unknown value is no filter). One query."""
    now = now or timezone.now()
    overdue_since = review_overdue_since(forum, now=now)
    qs = listed(forum)
    if rating in Rating.values:
        qs = qs.filter(rating=rating)
    if flag == FLAG_NOT_REVIEWED:
        qs = qs.filter(rating_reviewed_at__lt=overdue_since)
    elif flag == FLAG_REVIEW_REQUESTED:
        qs = qs.filter(review_requested_at__isnull=False)
    today = timezone.localdate(now)
    return [_row(access, listing, today=today, overdue_since=overdue_since) for listing in qs]


def listing_for_actor(*, forum: Forum, access: TrefasAccess, listing_id: int) -> Listing:
    """One listing of the forum; 404 when it is not in this forum, or removed from the
    list (a removed listing stays readable only to the nominating organisation)."""
    listing = (
        Listing.objects.filter(forum_id=forum.pk, pk=listing_id)
        .select_related("person", "area", "nominated_by_organisation")
        .first()
    )
    if listing is None:
        raise Http404
    if listing.removed_at is not None and listing.nominated_by_organisation_id != access.viewer_org_id:
        raise Http404
    return listing


def forum_areas(forum: Forum) -> QuerySet[Area]:
    """The areas a person on this forum's list may be placed in."""
    return Area.objects.filter(pk__in=forum.areas.values("pk")).order_by("name")
