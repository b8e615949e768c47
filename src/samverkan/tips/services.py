"""Writing tips.

Sender-side writes (``tip_submit``, ``tip_add_information``) are deliberately not
audited: every audit row carries a microsecond timestamp, which would give back the
time of day the tip's own row leaves out. Staff-side reads and writes are audited.
"""

from __future__ import annotations

import calendar
import logging
from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.directory.models import Area, Organisation
from samverkan.tips import receipt, selectors
from samverkan.tips.models import (
    MessageAuthor,
    RoutingRule,
    Tip,
    TipForwarding,
    TipMessage,
    TipRecipient,
    TipStatus,
)

if TYPE_CHECKING:
    from samverkan.accounts.models import User

logger = logging.getLogger("samverkan.tips")


class TipRejected(ValueError):
    """The submission cannot be stored (e.g. an unknown area)."""


def tip_submit(*, area_code: str, topic: str, text: str, contact: str = "") -> tuple[Tip, str]:
    """Store an anonymous tip and route it; return it with its receipt code (shown to the
    sender once, never stored). The row gets today's date only: no time, address or
    browser detail is taken from the request, because none is passed in."""
    area = Area.objects.select_related("district").filter(code=area_code).first()
    if area is None:
        raise TipRejected("unknown area")
    recipients = selectors.routing_organisation_ids(area=area, topic=topic)
    for _attempt in range(5):
        code = receipt.new_code()
        digest = receipt.code_hash(code)
        assert digest is not None
        try:
            with transaction.atomic():
                tip = Tip.objects.create(
                    area=area,
                    topic=topic,
                    text=text,
                    contact=contact,
                    received_on=timezone.localdate(),
                    receipt_hash=digest,
                )
                TipRecipient.objects.bulk_create(
                    [TipRecipient(tip=tip, organisation_id=org_id) for org_id in recipients]
                )
        except IntegrityError:  # a receipt hash collision (about 2**-79): draw again
            continue
        if not recipients:
            logger.warning(
                "tip stored without any recipient organisation; configure the routing table"
            )
        return tip, code
    raise RuntimeError("could not allocate a receipt code")


def _next_seq(tip: Tip) -> int:
    return int(TipMessage.objects.filter(tip=tip).aggregate(m=Max("seq"))["m"] or 0) + 1


@transaction.atomic
def tip_add_information(*, tip: Tip, text: str) -> TipMessage:
    """More information from the sender, who proved the receipt code."""
    return TipMessage.objects.create(
        tip=tip,
        author_kind=MessageAuthor.SENDER,
        text=text,
        sent_on=timezone.localdate(),
        seq=_next_seq(tip),
    )


def _audit(actor: User, action: Action, tip: Tip, **extra: Any) -> None:
    audit.record(
        action=action,
        actor=actor,
        subject_type="tip",
        subject_id=tip.pk,
        subject_organisation_id=extra.pop("subject_organisation_id", None),
        legal_basis=extra.pop("legal_basis", ""),
        purpose=extra.pop("purpose", ""),
        detail={"topic": tip.topic, "area": tip.area.code, **extra},
    )


@transaction.atomic
def tip_record_view(*, actor: User, tip: Tip) -> None:
    """Audit that ``actor`` read the tip (fetched through selectors.get_tip_for_user)."""
    _audit(actor, Action.TIP_VIEWED, tip, subject_organisation_id=actor.organisation_id)


@transaction.atomic
def tip_inbox_record_view(*, actor: User, count: int) -> None:
    audit.record(
        action=Action.TIP_INBOX_VIEWED,
        actor=actor,
        subject_type="tip_inbox",
        subject_organisation_id=actor.organisation_id,
        detail={"count": count},
    )


@transaction.atomic
def tip_set_status(*, actor: User, tip: Tip, status: str) -> None:
    """Triage: new → assessed → closed (or back to new). The caller fetched the tip
    through the policy and checked policy.can_handle_tips."""
    if status not in TipStatus.values:
        raise ValueError("unknown status")
    old = tip.status
    Tip.objects.filter(pk=tip.pk).update(status=status, version=tip.version + 1)
    tip.status, tip.version = status, tip.version + 1
    _audit(
        actor,
        Action.TIP_STATUS_CHANGED,
        tip,
        old=old,
        new=status,
        subject_organisation_id=actor.organisation_id,
    )


@transaction.atomic
def tip_forward(
    *, actor: User, tip: Tip, organisation: Organisation, legal_basis: str
) -> TipForwarding:
    """Disclose the tip to another organisation under a recorded legal basis; that
    organisation's tip handlers can then read it."""
    legal_basis = legal_basis.strip()
    if not legal_basis:
        raise ValueError("a legal basis is required")
    forwarding = TipForwarding.objects.create(
        tip=tip,
        receiving_organisation=organisation,
        legal_basis=legal_basis,
        forwarded_by=actor,
        forwarded_by_organisation_id=actor.organisation_id,
        forwarded_at=timezone.now(),
    )
    TipRecipient.objects.get_or_create(
        tip=tip, organisation=organisation, defaults={"via_forwarding": True}
    )
    Tip.objects.filter(pk=tip.pk).update(status=TipStatus.FORWARDED, version=tip.version + 1)
    tip.status, tip.version = TipStatus.FORWARDED, tip.version + 1
    _audit(
        actor,
        Action.TIP_FORWARDED,
        tip,
        subject_organisation_id=organisation.pk,
        legal_basis=legal_basis[:100],
        purpose="disclosure",
        to_organisation=organisation.pk,
    )
    return forwarding


@transaction.atomic
def tip_reply(*, actor: User, tip: Tip, text: str) -> TipMessage:
    """A reply the sender reads with the receipt code (the author's name is never shown)."""
    message = TipMessage.objects.create(
        tip=tip,
        author_kind=MessageAuthor.STAFF,
        text=text,
        sent_on=timezone.localdate(),
        author=actor,
        organisation_id=actor.organisation_id,
        seq=_next_seq(tip),
    )
    _audit(actor, Action.TIP_REPLIED, tip, subject_organisation_id=actor.organisation_id)
    return message


@transaction.atomic
def tips_record_export(*, actor: User, count: int) -> None:
    audit.record(
        action=Action.TIPS_EXPORTED,
        actor=actor,
        subject_type="tip_inbox",
        subject_organisation_id=actor.organisation_id,
        detail={"count": count},
    )


@transaction.atomic
def routing_rule_add(
    *, actor: User, area: Area | None, topic: str, organisation: Organisation
) -> RoutingRule:
    rule, _created = RoutingRule.objects.get_or_create(
        area=area, topic=topic, organisation=organisation
    )
    audit.record(
        action=Action.TIP_ROUTING_CHANGED,
        actor=actor,
        subject_type="tip_routing_rule",
        subject_id=rule.pk,
        subject_organisation_id=organisation.pk,
        detail={"change": "added", "area": area.code if area else "*", "topic": topic or "*"},
    )
    return rule


@transaction.atomic
def routing_rule_delete(*, actor: User, rule: RoutingRule) -> None:
    audit.record(
        action=Action.TIP_ROUTING_CHANGED,
        actor=actor,
        subject_type="tip_routing_rule",
        subject_id=rule.pk,
        subject_organisation_id=rule.organisation_id,
        detail={"change": "deleted", "topic": rule.topic or "*"},
    )
    rule.delete()


def _months_before(day: date, months: int) -> date:
    month_index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(month_index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def retention_cutoff(*, today: date | None = None) -> date:
    """Tips received before this date are past retention (TIPS_RETENTION_MONTHS)."""
    return _months_before(today or timezone.localdate(), int(settings.TIPS_RETENTION_MONTHS))


@transaction.atomic
def tips_purge(*, today: date | None = None, actor_id: int | None = None) -> int:
    """Delete every tip past retention with its messages, recipients and forwardings
    (gallring); returns how many tips were deleted. Audited with the count only."""
    cutoff = retention_cutoff(today=today)
    doomed = Tip.objects.filter(received_on__lt=cutoff)
    count = doomed.count()
    if count:
        doomed.delete()
    audit.record(
        action=Action.TIPS_PURGED,
        actor_id=actor_id,
        subject_type="tip_retention",
        detail={
            "deleted": count,
            "cutoff": cutoff.isoformat(),
            "months": int(settings.TIPS_RETENTION_MONTHS),
        },
    )
    return count
