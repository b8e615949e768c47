"""Writing the list: nominate a person, rate (set or confirm), remove, ask for a review,
and the automatic review of anyone not discussed for two meeting cycles.

Every service asks the forum decision (``TrefasAccess.require``) itself, writes and
audits in one transaction; the outermost ones are durable. Audit rows carry ids and
counts only (``red`` marks anything about a red-rated person for log review).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.lib.concurrency import StaleEdit, update_versioned
from samverkan.lib.identity_numbers import IdentityNumber
from samverkan.people.services import person_get_or_create
from samverkan.trefas.decision import TrefasAccess, TrefasAction
from samverkan.trefas.models import Forum, Listing, Rating, RatingChange
from samverkan.trefas.selectors.listing import REVIEW_REASONS
from samverkan.trefas.services.notices import notify_red_rating, notify_review_due

if TYPE_CHECKING:
    from samverkan.accounts.models import User
    from samverkan.directory.models import Area

__all__ = ["StaleEdit", "listing_nominate", "listing_rate", "listing_remove", "request_review", "review_due"]

# The automatic review: anyone not discussed at a meeting for this many cycles.
REVIEW_AFTER_CYCLES = 2


def _audit_listing(action: Action, *, actor: User | None, listing: Listing, detail: dict[str, Any]) -> None:
    if listing.rating == Rating.RED:
        detail = {**detail, "red": True}
    audit.record(
        action=action,
        actor=actor,
        subject_type="trefas_listing",
        subject_id=listing.pk,
        subject_organisation_id=listing.nominated_by_organisation_id,
        detail={"forum": listing.forum_id, **detail},
    )


def _notify_red(*, actor: User, forum: Forum, listing: Listing) -> None:
    counts = notify_red_rating(forum=forum, listing=listing)
    _audit_listing(Action.TREFAS_NOTIFIED, actor=actor, listing=listing, detail={"kind": "red_rating", **counts})


@transaction.atomic(durable=True)
def listing_nominate(
    *,
    actor: User,
    forum: Forum,
    access: TrefasAccess,
    identity: IdentityNumber,
    first_name: str,
    last_name: str,
    protected_identity: bool,
    area: Area | None,
    nomination_reason: str,
    source_reference: str,
    rating: str,
    rating_reason: str,
) -> Listing:
    """Put a person on the forum's list. The person is the nominating organisation's own
    record (people: one per organisation and identity number; an existing one is reused,
    never overwritten); a person is listed once per forum (ValidationError otherwise)."""
    access.require(TrefasAction.NOMINATE)
    if access.forum_id != forum.pk or access.viewer_org_id != actor.organisation_id:
        raise ValidationError(_("You do not take part in this forum."))
    if rating not in Rating.values:
        raise ValidationError({"rating": _("Choose green, yellow or red.")})
    allowed_areas = set(forum.areas.values_list("pk", flat=True))
    if area is not None and area.pk not in allowed_areas:
        raise ValidationError({"area": _("Choose one of the forum's areas.")})
    if area is None and allowed_areas:
        raise ValidationError({"area": _("Choose the area the person belongs to.")})
    person, created = person_get_or_create(
        actor=actor, identity=identity, first_name=first_name, last_name=last_name,
        protected_identity=protected_identity, organisation_id=actor.organisation_id,
    )
    already = _("This person is already on the forum's list. Open them from the list to change the rating.")
    if Listing.objects.filter(forum_id=forum.pk, person_id=person.pk, removed_at__isnull=True).exists():
        raise ValidationError({"identity": already})
    now = timezone.now()
    try:
        with transaction.atomic():  # (a savepoint: two nominations at once meet the constraint)
            listing = Listing.objects.create(
                forum=forum, person=person, nominated_by_organisation_id=actor.organisation_id,
                nominated_by=actor, nomination_reason=nomination_reason, source_reference=source_reference,
                area=area, rating=rating, rating_reason=rating_reason, rating_set_by=actor,
                rating_set_at=now, rating_reviewed_at=now,
            )
    except IntegrityError:
        raise ValidationError({"identity": already}) from None
    assert actor.organisation_id is not None
    RatingChange.objects.create(
        listing=listing, rating=rating, previous_rating="", reason=rating_reason, set_by=actor,
        set_by_organisation_id=actor.organisation_id, set_at=now,
    )
    _audit_listing(Action.TREFAS_LISTED, actor=actor, listing=listing,
                   detail={"rating": rating, "person_record_created": created})
    if rating == Rating.RED:
        _notify_red(actor=actor, forum=forum, listing=listing)
    return listing


@transaction.atomic(durable=True)
def listing_rate(
    *,
    actor: User,
    forum: Forum,
    access: TrefasAccess,
    listing: Listing,
    rating: str,
    reason: str,
    expected_version: int | None,
) -> Listing:
    """Set or confirm the rating with a reason: a RatingChange row every time, the review
    stamp renewed and any review request cleared. Optimistic locking: StaleEdit (nothing
    written) when someone else rated or removed the person since the form was loaded.
    A change to red notifies every member at once (in the app and by an e-mail without
    personal data)."""
    access.require(TrefasAction.RATE, listing)
    if listing.forum_id != forum.pk:
        raise ValidationError(_("The person is not on this forum's list."))
    if rating not in Rating.values:
        raise ValidationError({"rating": _("Choose green, yellow or red.")})
    assert actor.organisation_id is not None
    current = Listing.objects.filter(pk=listing.pk).values("rating", "removed_at").first()
    if current is None or current["removed_at"] is not None:
        raise StaleEdit
    previous = current["rating"]
    now = timezone.now()
    changes: dict[str, Any] = {
        "rating": rating, "rating_reason": reason, "rating_reviewed_at": now,
        "review_requested_at": None, "review_request_reason": "",
    }
    if rating != previous:
        changes.update(rating_set_by=actor, rating_set_at=now)
    update_versioned(
        Listing.objects.filter(forum_id=forum.pk, removed_at__isnull=True, rating=previous),
        pk=listing.pk, version=expected_version, **changes,
    )
    RatingChange.objects.create(
        listing=listing, rating=rating, previous_rating=previous, reason=reason, set_by=actor,
        set_by_organisation_id=actor.organisation_id, set_at=now,
    )
    listing.refresh_from_db()
    _audit_listing(Action.TREFAS_RATED, actor=actor, listing=listing,
                   detail={"rating": rating, "previous": previous, "changed": rating != previous})
    if rating == Rating.RED and previous != Rating.RED:
        _notify_red(actor=actor, forum=forum, listing=listing)
    return listing


@transaction.atomic(durable=True)
def listing_remove(
    *,
    actor: User,
    forum: Forum,
    access: TrefasAccess,
    listing: Listing,
    reason: str,
    expected_version: int | None,
) -> Listing:
    """Take the person off the list with a reason (the nominating organisation or a
    coordinator). Irreversible here: a new nomination starts a new listing."""
    access.require(TrefasAction.REMOVE, listing)
    if listing.forum_id != forum.pk:
        raise ValidationError(_("The person is not on this forum's list."))
    update_versioned(
        Listing.objects.filter(forum_id=forum.pk, removed_at__isnull=True),
        pk=listing.pk, version=expected_version,
        removed_at=timezone.now(), removed_by=actor, removal_reason=reason,
    )
    listing.refresh_from_db()
    _audit_listing(Action.TREFAS_REMOVED, actor=actor, listing=listing, detail={})
    return listing


@transaction.atomic
def request_review(*, listing: Listing, reason: str, actor: User | None = None, notify: bool = True) -> bool:
    """Ask the forum to review the person's rating (an incident, a coming release, a
    member's request). The flag stays until the next rating clears it; asking again
    while it is set changes nothing. ``reason`` is a code of REVIEW_REASONS. Not durable:
    other services (incidents, releases) call it inside their own transaction. Returns
    True when the review was newly requested. Notifies the forum's coordinators."""
    if reason not in REVIEW_REASONS:
        raise ValueError(f"unknown review reason {reason!r}")
    marked = Listing.objects.filter(pk=listing.pk, removed_at__isnull=True, review_requested_at__isnull=True).update(
        review_requested_at=timezone.now(), review_request_reason=reason
    )
    if not marked:
        return False
    listing.refresh_from_db()
    notices = notify_review_due(forum=listing.forum, listings=[listing]) if notify else 0
    _audit_listing(Action.TREFAS_REVIEW_REQUESTED, actor=actor, listing=listing,
                   detail={"reason": reason, "notices": notices})
    return True


def _not_discussed_since(forum: Forum, *, now: datetime) -> Q:
    """Listings whose last discussion (or their listing, if never discussed) lies more
    than two cycles back."""
    cutoff = timezone.localdate(now) - timedelta(days=REVIEW_AFTER_CYCLES * forum.cadence_days)
    return Q(last_discussed_on__lt=cutoff) | Q(last_discussed_on__isnull=True, listed_on__lt=cutoff)


@transaction.atomic(durable=True)
def review_due(*, now: datetime | None = None) -> dict[str, int]:
    """The automatic review (job ``trefas.review_due``, daily): in every active forum,
    flag everyone on the list not discussed for two cycles (``not_discussed``) and tell
    the forum's coordinators. Idempotent: someone already flagged is left as is."""
    now = now or timezone.now()
    totals = {"forums": 0, "listings": 0, "notices": 0}
    for forum in Forum.objects.filter(active=True).order_by("pk"):
        due = list(
            Listing.objects.filter(forum_id=forum.pk, removed_at__isnull=True, review_requested_at__isnull=True)
            .annotate(listed_on=TruncDate("listed_at"))
            .filter(_not_discussed_since(forum, now=now))
            .only("id", "forum_id")
            .order_by("pk")
        )
        if not due:
            continue
        Listing.objects.filter(pk__in=[listing.pk for listing in due], review_requested_at__isnull=True).update(
            review_requested_at=now, review_request_reason="not_discussed"
        )
        notices = notify_review_due(forum=forum, listings=due)
        audit.record(
            action=Action.TREFAS_REVIEW_REQUESTED,
            subject_type="trefas_forum",
            subject_id=forum.pk,
            detail={"reason": "not_discussed", "listings": len(due), "notices": notices},
        )
        totals["forums"] += 1
        totals["listings"] += len(due)
        totals["notices"] += notices
    return totals


# --- Reads, audited ------------------------------------------------------------------


def list_record_view(*, actor: User, forum: Forum, shown: int, red: int, protected: int,
                     filters: dict[str, str]) -> None:
    """The list was read: counts and the filters (codes) only."""
    detail: dict[str, Any] = {"shown": shown, "red_count": red, **{k: v for k, v in filters.items() if v}}
    if red:
        detail["red"] = True
    if protected:
        detail["protected"] = True
    audit.record(
        action=Action.TREFAS_LIST_VIEWED, actor=actor, subject_type="trefas_forum", subject_id=forum.pk,
        detail=detail,
    )


def person_record_view(*, actor: User, listing: Listing, counts: dict[str, Any]) -> None:
    """A person's page was read (red and protected identities flagged for log review)."""
    detail = dict(counts)
    if listing.person.protected_identity:
        detail["protected"] = True
    _audit_listing(Action.TREFAS_PERSON_VIEWED, actor=actor, listing=listing, detail=detail)
