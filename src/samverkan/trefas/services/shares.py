"""Shares: what an organisation brings to the forum, under a statutory basis, reviewed by
its own jurist (issue 10 §4).

Nothing is shared by default. A proposed share is visible to its own organisation only;
the receiving organisations see it once the owning organisation's jurist approves it, or at
once when the basis needs no review (``LegalBasis.requires_review``, configurable per basis:
e.g. OSL 10 kap. 20 §, an immediate police intervention). Every decision — an approval, a
refusal with its reason, a share under a no-review basis — goes to the disclosure register
(consent.Disclosure, track "trefas", no case): one row per receiving organisation. The
basis is checked by the one rule both tracks share (``consent.services.basis_allows``: the
subject's age limits, the receiving organisations, the date in force).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.consent import services as consent_services
from samverkan.consent.models import DisclosureOutcome, DisclosureTrack, LegalBasis
from samverkan.directory.models import Organisation
from samverkan.lib.concurrency import StaleEdit, update_versioned
from samverkan.trefas.decision import TrefasAccess, TrefasAction
from samverkan.trefas.models import (
    Forum,
    ForumMember,
    ForumOrganisation,
    ForumRole,
    Group,
    Listing,
    NoticeKind,
    Rating,
    Share,
    ShareState,
    ShareTopic,
)
from samverkan.trefas.services.notices import notify_forum

if TYPE_CHECKING:
    from samverkan.accounts.models import User

SOURCE_TYPE = "trefas.share"
MIN_TEXT = 10
MIN_BALANCING_TEST = 30  # as on the individual track (consent.services.disclosure_record)
WITHDRAWABLE = (ShareState.PROPOSED, ShareState.APPROVED, ShareState.NO_REVIEW)


class ShareAlreadyDecided(Exception):
    """Another jurist decided (or the proposer withdrew) the share first; nothing was written."""

    def __init__(self, state: str) -> None:
        super().__init__(state)
        self.state = state


def _detail(share: Share, listing: Listing | None, **extra: Any) -> dict[str, Any]:
    detail: dict[str, Any] = {"forum": share.forum_id, "share": share.pk}
    if listing is not None:
        detail["listing"] = listing.pk
        if listing.rating == Rating.RED:
            detail["red"] = True  # flagged for log review like a protected identity
    if share.group_id is not None:
        detail["group"] = share.group_id
    detail.update(extra)
    return detail


def _register(*, share: Share, outcome: str, decided_by: User, recipient_ids: list[int]) -> None:
    """The share's decision in the disclosure register: the topic as its description (the
    share's text stays in Trefas, behind the forum decision), per receiving organisation."""
    consent_services.disclosures_register_decision(
        track=DisclosureTrack.TREFAS,
        outcome=outcome,
        person=share.listing.person if share.listing is not None else None,
        basis=share.basis,
        from_organisation_id=share.from_organisation_id,
        to_organisation_ids=recipient_ids,
        description=str(ShareTopic(share.topic).label),
        balancing_test=share.balancing_test,
        refusal_reason=share.decision_reason,
        decided_by=decided_by,
        decided_at=share.decided_at or timezone.now(),
        source_type=SOURCE_TYPE,
        source_id=str(share.pk),
    )


def forum_recipient_ids(*, forum_id: int, exclude_org_id: int) -> set[int]:
    """The organisations a share in the forum may go to: its active member organisations
    other than the proposer's own."""
    return set(
        ForumOrganisation.objects.filter(forum_id=forum_id, active=True)
        .exclude(organisation_id=exclude_org_id)
        .values_list("organisation_id", flat=True)
    )


@transaction.atomic(durable=True)
def share_propose(
    *,
    actor: User,
    access: TrefasAccess,
    forum: Forum,
    listing: Listing | None = None,
    group: Group | None = None,
    topic: str,
    text: str,
    basis: LegalBasis | None,
    balancing_test: str,
    recipients: list[Organisation],
) -> Share:
    """Propose a share about a listed person or (its owner only) a group. With a basis that
    needs review it waits for the own organisation's jurists (a notice each); otherwise it
    is visible to the receivers at once and registered as disclosed. Bad input raises
    ValidationError by field and writes nothing. Audited TREFAS_SHARE_PROPOSED."""
    access.require(TrefasAction.PROPOSE_SHARE)
    if access.forum_id != forum.pk or (listing is None) == (group is None):
        raise ValidationError(_("Choose one person on the list or one group."))
    if listing is not None and (listing.forum_id != forum.pk or listing.removed_at is not None):
        raise ValidationError(_("The person is not on this forum's list."))
    if group is not None and (group.forum_id != forum.pk or group.owner_organisation_id != access.viewer_org_id):
        # A group is the owning organisation's record: only it may share about it.
        raise ValidationError(_("Only the organisation that records a group may share about it."))
    errors: dict[str, Any] = {}
    allowed_topics = {ShareTopic.GROUP} if group is not None else set(ShareTopic.values) - {ShareTopic.GROUP}
    if topic not in allowed_topics:
        errors["topic"] = _("Choose what the share is about.")
    text = text.strip()
    if len(text) < MIN_TEXT:
        errors["text"] = _("Write what you share (at least %(n)d characters).") % {"n": MIN_TEXT}
    allowed_recipients = forum_recipient_ids(forum_id=forum.pk, exclude_org_id=access.viewer_org_id)
    if not recipients:
        errors["recipients"] = _("Choose the organisations that receive the share.")
    elif any(o.pk not in allowed_recipients for o in recipients):
        errors["recipients"] = _("Choose among the forum's other member organisations.")
    if basis is None or not consent_services.statute_usable(basis):
        errors["basis"] = _("Choose an active statutory basis.")
    else:
        person = listing.person if listing is not None else None
        problems = [
            problem for o in recipients
            if (problem := consent_services.basis_allows(basis, person=person, to_organisation=o))
        ]
        if problems:
            errors["basis"] = list(dict.fromkeys(problems))  # an age limit once, not per receiver
        if basis.requires_balancing_test and len(balancing_test.strip()) < MIN_BALANCING_TEST:
            errors["balancing_test"] = _(
                "Write the balancing test in words (at least %(n)d characters)."
            ) % {"n": MIN_BALANCING_TEST}
    if errors:
        raise ValidationError(errors)
    assert basis is not None
    now = timezone.now()
    no_review = not basis.requires_review
    share = Share.objects.create(
        forum=forum, listing=listing, group=group, from_organisation_id=access.viewer_org_id,
        proposed_by=actor, proposed_at=now, topic=topic, text=text, basis=basis,
        balancing_test=balancing_test.strip(),
        state=ShareState.NO_REVIEW if no_review else ShareState.PROPOSED,
        decided_by=actor if no_review else None, decided_at=now if no_review else None,
    )
    recipient_ids = sorted({o.pk for o in recipients})
    share.recipients.set(recipient_ids)
    notified = 0
    if no_review:
        _register(share=share, outcome=DisclosureOutcome.DISCLOSED, decided_by=actor, recipient_ids=recipient_ids)
    else:
        jurists = list(
            ForumMember.objects.filter(
                forum_id=forum.pk, role=ForumRole.JURIST, active=True,
                user__organisation_id=access.viewer_org_id, user__is_active=True,
            ).values_list("user_id", flat=True)
        )
        notified = len(notify_forum(user_ids=jurists, forum_id=forum.pk, kind=NoticeKind.SHARE_TO_REVIEW, share=share,
                                listing=share.listing))
    audit.record(
        action=Action.TREFAS_SHARE_PROPOSED,
        actor=actor,
        subject_type="trefas_share",
        subject_id=share.pk,
        subject_organisation_id=access.viewer_org_id,
        legal_basis=basis.reference,
        detail=_detail(share, listing, recipients=recipient_ids, state=share.state, notified=notified),
    )
    return share


@transaction.atomic(durable=True)
def share_decide_check(*, access: TrefasAccess, share: Share, approve: bool, reason: str) -> None:
    """Refuse what ``share_decide`` would refuse before writing, changing nothing (the page
    asks before it records the decision)."""
    access.require(TrefasAction.REVIEW_SHARE, share)
    if share.forum_id != access.forum_id:
        raise ValidationError(_("The share belongs to another forum."))
    if not approve and not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the refusal.")})


def share_decide(
    *,
    actor: User,
    access: TrefasAccess,
    share: Share,
    approve: bool,
    reason: str,
    version: int | None,
) -> Share:
    """A jurist of the owning organisation approves or refuses a proposed share (a refusal
    needs its reason). Written only if the share is still proposed at the version the
    jurist saw: otherwise StaleEdit (changed meanwhile) or ShareAlreadyDecided (another
    jurist was first), and nothing is written. The decision goes to the disclosure
    register (refusals too), the proposer gets a notice; audited
    TREFAS_SHARE_APPROVED / TREFAS_SHARE_REFUSED."""
    share_decide_check(access=access, share=share, approve=approve, reason=reason)
    reason = reason.strip()
    now = timezone.now()
    state = ShareState.APPROVED if approve else ShareState.REFUSED
    try:
        update_versioned(
            Share.objects.filter(state=ShareState.PROPOSED), pk=share.pk, version=version,
            state=state, decided_by=actor, decided_at=now, decision_reason=reason[:500],
        )
    except StaleEdit:
        stored = Share.objects.filter(pk=share.pk).values_list("state", flat=True).first()
        if stored is not None and stored != ShareState.PROPOSED:
            raise ShareAlreadyDecided(stored) from None
        raise
    share.refresh_from_db()
    recipient_ids = sorted(share.recipients.values_list("id", flat=True))
    _register(
        share=share,
        outcome=DisclosureOutcome.DISCLOSED if approve else DisclosureOutcome.REFUSED,
        decided_by=actor,
        recipient_ids=recipient_ids,
    )
    notify_forum(user_ids=[share.proposed_by_id], forum_id=share.forum_id, kind=NoticeKind.SHARE_DECIDED, share=share,
                 listing=share.listing)
    audit.record(
        action=Action.TREFAS_SHARE_APPROVED if approve else Action.TREFAS_SHARE_REFUSED,
        actor=actor,
        subject_type="trefas_share",
        subject_id=share.pk,
        subject_organisation_id=share.from_organisation_id,
        legal_basis=share.basis.reference,
        detail=_detail(share, share.listing, recipients=recipient_ids),
    )
    return share


@transaction.atomic(durable=True)
def share_withdraw(*, actor: User, access: TrefasAccess, share: Share, version: int | None) -> Share:
    """The owning organisation withdraws its share: nobody else sees it from now on. The
    register keeps what was decided (a disclosure that happened stays recorded) and gets
    nothing new; the withdrawal is audited (TREFAS_SHARE_WITHDRAWN)."""
    access.require(TrefasAction.WITHDRAW_SHARE, share)
    if share.forum_id != access.forum_id:
        raise ValidationError(_("The share belongs to another forum."))
    try:
        update_versioned(
            Share.objects.filter(state__in=list(WITHDRAWABLE)), pk=share.pk, version=version,
            state=ShareState.WITHDRAWN, withdrawn_at=timezone.now(), withdrawn_by=actor,
        )
    except StaleEdit:
        stored = Share.objects.filter(pk=share.pk).values_list("state", flat=True).first()
        if stored is not None and stored not in WITHDRAWABLE:
            raise ShareAlreadyDecided(stored) from None
        raise
    previous = share.state
    share.refresh_from_db()
    audit.record(
        action=Action.TREFAS_SHARE_WITHDRAWN,
        actor=actor,
        subject_type="trefas_share",
        subject_id=share.pk,
        subject_organisation_id=share.from_organisation_id,
        detail=_detail(share, share.listing, previous=previous),
    )
    return share
