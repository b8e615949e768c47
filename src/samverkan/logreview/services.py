"""Writing log reviews: draw the month's sample with the flagged accesses, and mark
items reviewed. Everything is audited (ids and counts only, never the comment).

Scalability: every query is bounded by the month's sequence range (found through the
``ts`` index) and the organisation's compartment (the (organisation, seq) indexes), so
the cost follows the organisation's accesses in that month, never the size of the whole
audit table. The random sample is drawn in the database (ORDER BY random() LIMIT n over
that slice); the "many persons per day" flag is a GROUP BY in SQL; nothing loads all
rows into Python.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, Count, IntegerField, Max, Min, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.access import policy
from samverkan.access.permissions import Permission
from samverkan.accounts.models import Role, User
from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.audit.models import AuditEvent
from samverkan.logreview import rules as r
from samverkan.logreview.models import AccessReview, AccessReviewItem, Outcome

MAX_COMMENT = 2000


def _month_events(
    *, organisation_id: int, month: date, rules: r.ReviewRules
) -> QuerySet[AuditEvent]:
    """Access events of the month within the organisation's review compartment."""
    start, end = r.month_bounds(month, rules)
    in_month = AuditEvent.objects.filter(ts__gte=start, ts__lt=end)
    span = in_month.aggregate(lo=Min("seq"), hi=Max("seq"))
    if span["lo"] is None:
        return AuditEvent.objects.none()
    qs = in_month.filter(seq__gte=span["lo"], seq__lte=span["hi"], action__in=r.ACCESS_ACTIONS)
    return policy.scope_access_review_events(organisation_id=organisation_id, queryset=qs)


def detect_flags(
    *, events: QuerySet[AuditEvent], month: date, rules: r.ReviewRules
) -> dict[int, dict[str, Any]]:
    """seq -> the flag fields to set, for every flagged event among ``events``."""
    flags: dict[int, dict[str, Any]] = defaultdict(dict)
    glass = events.filter(
        Q(action=Action.EMERGENCY_ACCESS)
        | Q(action=Action.CASE_VIEWED, detail__contains=r.EMERGENCY_DETAIL)
    )
    for seq in glass.values_list("seq", flat=True):
        flags[seq]["flag_break_glass"] = True
    for seq in events.filter(detail__contains=r.PROTECTED_DETAIL).values_list("seq", flat=True):
        flags[seq]["flag_protected"] = True
    for seq in events.filter(detail__contains=r.RED_DETAIL).values_list("seq", flat=True):
        flags[seq]["flag_red"] = True
    # Many distinct persons/cases per user and local day: one GROUP BY in SQL; the day
    # is computed from ts by a CASE over the month's (DST-correct) day boundaries.
    day = Case(
        *[
            When(ts__gte=a, ts__lt=b, then=Value(i))
            for i, (a, b) in enumerate(r.day_bounds(month, rules))
        ],
        output_field=IntegerField(),
    )
    busy = (
        events.filter(actor_id__isnull=False, subject_type__in=r.PERSON_SUBJECT_TYPES)
        .exclude(subject_id="")
        .annotate(day=day)
        .values("actor_id", "day")
        .annotate(subjects=Count("subject_id", distinct=True), first=Min("seq"))
        .filter(subjects__gt=rules.many_subjects_per_day)
        .order_by()
    )
    for row in busy:
        flags[row["first"]]["flag_many_subjects"] = True
        flags[row["first"]]["subjects_that_day"] = row["subjects"]
    office = Q(pk__in=[])
    for a, b in r.office_intervals(month, rules):
        office |= Q(ts__gte=a, ts__lt=b)
    for seq in events.exclude(office).values_list("seq", flat=True):
        flags[seq]["flag_off_hours"] = True
    return flags


@transaction.atomic
def review_sample(
    *, organisation_id: int, month: date, actor: User | None = None, rules: r.ReviewRules | None = None
) -> AccessReview:
    """Create (or complete) the organisation's review of ``month``: a random sample of
    its accesses, drawn once, plus every flagged access. Running it again never redraws
    the sample and never touches what reviewers recorded; it adds newly flagged events."""
    rules = rules or r.ReviewRules.from_settings()
    month = month.replace(day=1)
    review, _created = AccessReview.objects.get_or_create(
        organisation_id=organisation_id, month=month
    )
    review = AccessReview.objects.select_for_update().get(pk=review.pk)
    events = _month_events(organisation_id=organisation_id, month=month, rules=rules)
    wanted: dict[int, dict[str, Any]] = detect_flags(events=events, month=month, rules=rules)
    drew = 0
    if review.sampled_at is None:
        for seq in events.order_by("?").values_list("seq", flat=True)[: rules.sample_size]:
            wanted.setdefault(seq, {})["sampled"] = True
            drew += 1
    existing = {
        item.event_id: item
        for item in AccessReviewItem.objects.filter(review=review, event_id__in=list(wanted))
    }
    new, changed = [], []
    for seq, fields in wanted.items():
        item = existing.get(seq)
        if item is None:
            new.append(AccessReviewItem(review=review, event_id=seq, **fields))
            continue
        if any(getattr(item, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(item, k, v)
            changed.append(item)
    AccessReviewItem.objects.bulk_create(new, batch_size=500)
    if changed:
        AccessReviewItem.objects.bulk_update(
            changed,
            [
                "sampled",
                "flag_break_glass",
                "flag_protected",
                "flag_red",
                "flag_many_subjects",
                "flag_off_hours",
                "subjects_that_day",
            ],
        )
    updates: dict[str, Any] = {"accesses_in_scope": events.count()}
    if review.sampled_at is None:
        updates.update(sampled_at=timezone.now(), sample_size=drew)
    AccessReview.objects.filter(pk=review.pk).update(**updates)
    review.refresh_from_db()
    audit.record(
        action=Action.ACCESS_REVIEW_SAMPLED,
        actor=actor,
        subject_type="access_review",
        subject_id=review.pk,
        subject_organisation_id=organisation_id,
        detail={
            "month": month.strftime("%Y-%m"),
            "sampled": drew,
            "added": len(new),
            "flagged": sum(1 for f in wanted.values() if set(f) - {"sampled"}),
        },
    )
    return review


def reviewing_organisations() -> list[int]:
    """Organisations with at least one active log reviewer (policy.can_review_accesses)."""
    role_ids = [
        role.pk for role in Role.objects.all() if Permission.ACCESS_REVIEW.value in role.permissions
    ]
    users = User.objects.filter(
        is_active=True, roles__in=role_ids, organisation__isnull=False
    ).distinct()
    return sorted(
        {
            u.organisation_id
            for u in users.prefetch_related("roles")
            if policy.can_review_accesses(actor=u)
        }
    )


def review_sample_all(*, month: date, actor: User | None = None) -> dict[str, int]:
    """Draw ``month``'s review for every organisation with a log reviewer."""
    reviews = items = 0
    for organisation_id in reviewing_organisations():
        review = review_sample(organisation_id=organisation_id, month=month, actor=actor)
        reviews += 1
        items += review.items.count()
    return {"reviews": reviews, "items": items}


@transaction.atomic
def item_mark_reviewed(
    *, actor: User, item: AccessReviewItem, outcome: str, comment: str
) -> AccessReviewItem:
    """Mark one access reviewed with an outcome and a comment (a log reviewer of the
    review's organisation; never one's own accesses). Marking again replaces the
    earlier mark; both are audited."""
    if (
        not policy.can_review_accesses(actor=actor)
        or item.review.organisation_id != actor.organisation_id
    ):
        raise PermissionDenied
    scoped = policy.scope_audit_events(
        actor=actor, queryset=AuditEvent.objects.filter(seq=item.event_id)
    )
    event = scoped.first()
    if event is None:
        raise PermissionDenied
    if event.actor_id == actor.pk:
        raise ValidationError(
            _("You cannot review your own accesses; another reviewer must do it.")
        )
    comment = comment.strip()
    errors: dict[str, str] = {}
    if outcome not in Outcome.values:
        errors["outcome"] = _("Choose an outcome.")
    if outcome == Outcome.FOLLOW_UP and not comment:
        errors["comment"] = _("Say what needs to be followed up.")
    if len(comment) > MAX_COMMENT:
        errors["comment"] = _("A comment has at most %(n)d characters.") % {"n": MAX_COMMENT}
    if errors:
        raise ValidationError(errors)
    again = item.reviewed_at is not None
    AccessReviewItem.objects.filter(pk=item.pk).update(
        outcome=outcome, comment=comment, reviewed_by=actor, reviewed_at=timezone.now()
    )
    audit.record(
        action=Action.ACCESS_REVIEW_ITEM_REVIEWED,
        actor=actor,
        subject_type="access_review",
        subject_id=item.review_id,
        subject_organisation_id=item.review.organisation_id,
        detail={"item": item.pk, "event": item.event_id, "outcome": outcome, "again": again},
    )
    item.refresh_from_db()
    return item
