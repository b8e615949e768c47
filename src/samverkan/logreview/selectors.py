"""Reading log reviews, through access.policy: a log reviewer sees their own
organisation's reviews, and only items whose audit row scope_audit_events lets them see.
Rows show ids, the acting user and organisation — never the participant."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet

from samverkan.access import policy
from samverkan.accounts.models import User
from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.audit.models import AuditEvent
from samverkan.directory.models import Organisation
from samverkan.logreview.models import (
    REASON_FIELDS,
    AccessReview,
    AccessReviewItem,
    Outcome,
    Reason,
)

PAGE_SIZE = 50


def reviews_visible_to(*, actor: User) -> QuerySet[AccessReview]:
    """The actor's organisation's reviews (log reviewers only), newest month first."""
    if not policy.can_review_accesses(actor=actor):
        return AccessReview.objects.none()
    return AccessReview.objects.filter(organisation_id=actor.organisation_id).order_by("-month")


def review_for_actor(*, actor: User, month: date) -> AccessReview:
    """One month's review of the actor's organisation; 404 when absent or not theirs."""
    return policy.get_or_404(reviews_visible_to(actor=actor), month=month)


@dataclass(frozen=True)
class Progress:
    total: int
    reviewed: int
    follow_up: int
    by_reason: dict[str, int]

    @property
    def percent(self) -> int:
        return 100 * self.reviewed // self.total if self.total else 100


def review_progress(*, review: AccessReview) -> Progress:
    """Counts for the progress bar (one aggregate query)."""
    agg = AccessReviewItem.objects.filter(review=review).aggregate(
        total=Count("pk"),
        reviewed=Count("pk", filter=Q(reviewed_at__isnull=False)),
        follow_up=Count("pk", filter=Q(outcome=Outcome.FOLLOW_UP)),
        **{
            reason.value: Count("pk", filter=Q(**{field: True}))
            for reason, field in REASON_FIELDS.items()
        },
    )
    return Progress(
        total=agg["total"],
        reviewed=agg["reviewed"],
        follow_up=agg["follow_up"],
        by_reason={reason.value: agg[reason.value] for reason in REASON_FIELDS},
    )


def progress_for_reviews(*, reviews: list[AccessReview]) -> dict[int, Progress]:
    rows = (
        AccessReviewItem.objects.filter(review__in=reviews)
        .values("review_id")
        .annotate(
            total=Count("pk"),
            reviewed=Count("pk", filter=Q(reviewed_at__isnull=False)),
            follow_up=Count("pk", filter=Q(outcome=Outcome.FOLLOW_UP)),
        )
        .order_by()
    )
    found = {
        row["review_id"]: Progress(row["total"], row["reviewed"], row["follow_up"], {})
        for row in rows
    }
    return {r.pk: found.get(r.pk, Progress(0, 0, 0, {})) for r in reviews}


@dataclass(frozen=True)
class ItemRow:
    item: AccessReviewItem
    event: AuditEvent
    actor_name: str
    actor_organisation: str
    own: bool  # the reviewer's own access: someone else must review it


def review_items(
    *, actor: User, review: AccessReview, reason: str = "", state: str = "", page: int = 1
) -> tuple[Page[Any], list[ItemRow]]:
    """One page of the review's items, filtered by reason ("sampled", a flag kind) and
    state ("open", "reviewed", "follow_up"). Audited as one view event with the count.

    Query count is fixed per page: items + events (one join), the policy check of the
    page's events, and the actors' names and organisations."""
    qs = AccessReviewItem.objects.filter(review=review).select_related("event", "reviewed_by")
    if reason in Reason.values:
        qs = qs.filter(**{REASON_FIELDS[Reason(reason)]: True})
    if state == "open":
        qs = qs.filter(reviewed_at__isnull=True)
    elif state == "reviewed":
        qs = qs.filter(reviewed_at__isnull=False)
    elif state == "follow_up":
        qs = qs.filter(outcome=Outcome.FOLLOW_UP)
    page_obj = Paginator(qs.order_by("event_id"), PAGE_SIZE).get_page(page)
    items = list(page_obj.object_list)
    visible = set(
        policy.scope_audit_events(
            actor=actor, queryset=AuditEvent.objects.filter(seq__in=[i.event_id for i in items])
        ).values_list("seq", flat=True)
    )
    items = [i for i in items if i.event_id in visible]
    user_ids = {i.event.actor_id for i in items if i.event.actor_id}
    org_ids = {i.event.actor_organisation_id for i in items if i.event.actor_organisation_id}
    users = {u.pk: u.get_full_name() or u.username for u in User.objects.filter(pk__in=user_ids)}
    orgs = dict(Organisation.objects.filter(pk__in=org_ids).values_list("pk", "name"))
    rows = [
        ItemRow(
            item=i,
            event=i.event,
            actor_name=users.get(i.event.actor_id or 0, ""),
            actor_organisation=orgs.get(i.event.actor_organisation_id or 0, ""),
            own=i.event.actor_id == actor.pk,
        )
        for i in items
    ]
    audit.record(
        action=Action.ACCESS_REVIEW_VIEWED,
        actor=actor,
        subject_type="access_review",
        subject_id=review.pk,
        subject_organisation_id=review.organisation_id,
        detail={"rows": len(rows), "month": review.month.strftime("%Y-%m")},
    )
    return page_obj, rows


def item_for_actor(*, actor: User, review: AccessReview, pk: int) -> AccessReviewItem:
    qs = AccessReviewItem.objects.filter(review=review).select_related("review", "event")
    return policy.get_or_404(qs, pk=pk)


def open_items_count(*, actor: User) -> tuple[AccessReview | None, int]:
    """The newest review of the actor's organisation and how many of its items are not
    reviewed yet (for the home page)."""
    review = reviews_visible_to(actor=actor).first()
    if review is None:
        return None, 0
    return review, AccessReviewItem.objects.filter(review=review, reviewed_at__isnull=True).count()
