"""Follow-up meetings of a signed agreement: each records every commitment's status and
evidence at that meeting (CommitmentReview, the history the follow-up report prints),
its notes and which of the agreement's parties were present. Recording also moves each commitment's current
status, unless a later meeting has already recorded that commitment. Closing the record
(after a confirmation) makes it read only. Optimistic locking on FollowUpMeeting.version;
audited."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.agreement.models import (
    Agreement,
    Commitment,
    CommitmentReview,
    CommitmentStatus,
    FollowUpMeeting,
)
from samverkan.agreement.services.common import record, require_signed
from samverkan.audit.actions import Action
from samverkan.directory.models import Organisation
from samverkan.lib.concurrency import update_versioned
from samverkan.picture.decision import LocalAccess, LocalAction

if TYPE_CHECKING:
    from samverkan.accounts.models import User


@dataclass(frozen=True)
class ReviewInput:
    status: str
    evidence: str


def _open(meeting: FollowUpMeeting) -> None:
    if meeting.closed:
        raise ValidationError(_("The record of this meeting is closed and can no longer be changed."))


@transaction.atomic(durable=True)
def meeting_create(*, actor: User, access: LocalAccess, agreement: Agreement, held_on: date) -> FollowUpMeeting:
    access.require(LocalAction.MANAGE_AGREEMENT, agreement)
    require_signed(agreement)
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("Record a meeting on the day it is held or later.")})
    meeting = FollowUpMeeting.objects.create(agreement=agreement, held_on=held_on, created_by=actor)
    record(Action.AGREEMENT_FOLLOW_UP_RECORDED, actor=actor, agreement=agreement, meeting=meeting.pk,
           change="created")
    return meeting


@transaction.atomic(durable=True)
def meeting_record(*, actor: User, access: LocalAccess, agreement: Agreement, meeting: FollowUpMeeting,
                   reviews: Mapping[int, ReviewInput], notes: str, participants: list[Organisation],
                   expected_version: int | None) -> None:
    """Save the meeting's record: ``reviews`` maps a commitment id of this agreement to
    its status and evidence at the meeting."""
    access.require(LocalAction.MANAGE_AGREEMENT, agreement)
    require_signed(agreement)
    if meeting.agreement_id != agreement.pk:
        raise ValidationError(_("The meeting belongs to another agreement."))
    _open(meeting)
    # Locked: the current status written below must not overwrite a concurrent edit unseen.
    commitments = {
        c.pk: c for c in Commitment.objects.select_for_update().filter(agreement=agreement).order_by("pk")
    }
    if set(reviews) - set(commitments):
        raise ValidationError(_("A commitment is no longer part of the agreement."))
    if any(r.status not in CommitmentStatus.values for r in reviews.values()):
        raise ValidationError(_("Choose a status for each commitment."))
    parties = {agreement.police_id, *agreement.parties.values_list("organisation_id", flat=True)}
    if any(o.pk not in parties for o in participants):
        raise ValidationError({"participants": _("Choose among the agreement's parties.")})
    update_versioned(FollowUpMeeting.objects.filter(closed=False), pk=meeting.pk, version=expected_version,
                     notes=notes.strip())
    meeting.participants.set(participants)
    existing = {r.commitment_id: r for r in CommitmentReview.objects.filter(meeting=meeting)}
    new, changed = [], []
    for commitment_id, review in reviews.items():
        row = existing.get(commitment_id)
        if row is None:
            new.append(CommitmentReview(meeting=meeting, commitment_id=commitment_id, status=review.status,
                                        evidence=review.evidence.strip()))
        elif (row.status, row.evidence) != (review.status, review.evidence.strip()):
            row.status, row.evidence = review.status, review.evidence.strip()
            changed.append(row)
    CommitmentReview.objects.bulk_create(new)
    CommitmentReview.objects.bulk_update(changed, ["status", "evidence"])
    # The current status follows the latest meeting that recorded the commitment.
    later = set(CommitmentReview.objects.filter(
        meeting__agreement=agreement, meeting__held_on__gt=meeting.held_on, commitment_id__in=list(reviews),
    ).values_list("commitment_id", flat=True))
    now = timezone.now()
    current = []
    for commitment_id, review in reviews.items():
        if commitment_id in later:
            continue
        c = commitments[commitment_id]
        if (c.status, c.evidence) != (review.status, review.evidence.strip()):
            c.status, c.evidence, c.updated_at, c.version = review.status, review.evidence.strip(), now, c.version + 1
            current.append(c)
    Commitment.objects.bulk_update(current, ["status", "evidence", "updated_at", "version"])
    record(Action.AGREEMENT_FOLLOW_UP_RECORDED, actor=actor, agreement=agreement, meeting=meeting.pk,
           change="recorded", reviews=len(reviews))


@transaction.atomic(durable=True)
def meeting_close(*, actor: User, access: LocalAccess, agreement: Agreement, meeting: FollowUpMeeting,
                  expected_version: int | None) -> None:
    access.require(LocalAction.MANAGE_AGREEMENT, agreement)
    if meeting.agreement_id != agreement.pk:
        raise ValidationError(_("The meeting belongs to another agreement."))
    _open(meeting)
    update_versioned(FollowUpMeeting.objects.filter(closed=False), pk=meeting.pk, version=expected_version,
                     closed=True)
    record(Action.AGREEMENT_FOLLOW_UP_CLOSED, actor=actor, agreement=agreement, meeting=meeting.pk)
