"""Reading tips. Staff reads go through access.policy.scope_tips: a tip is visible only
to the organisations it was routed or forwarded to (others: 404)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Count, Prefetch, Q, QuerySet

from samverkan.access import policy
from samverkan.directory.models import Area
from samverkan.tips import receipt
from samverkan.tips.models import RoutingRule, Tip, TipMessage, TipRecipient, TipStatus, TipTopic

if TYPE_CHECKING:
    from samverkan.accounts.models import User


def routing_organisation_ids(*, area: Area, topic: str) -> list[int]:
    """Organisations a new tip about ``topic`` in ``area`` goes to: every matching rule
    of the routing table; without one, the area's local police area and the district
    administration, so that no tip ends up with nobody."""
    rules = RoutingRule.objects.filter(
        Q(area=area) | Q(area__isnull=True), Q(topic=topic) | Q(topic="")
    )
    ids = sorted(set(rules.values_list("organisation_id", flat=True)))
    if ids:
        return ids
    fallback = [area.police_area_id, getattr(area.district, "administration_id", None)]
    return sorted({i for i in fallback if i is not None})


def tip_by_receipt(*, code: str) -> Tip | None:
    """The tip a receipt code opens, with its messages (sender-visible data only), or
    None for a wrong code. Public: the code is the sender's only credential."""
    digest = receipt.code_hash(code)
    if digest is None:
        return None
    return (
        Tip.objects.select_related("area")
        .prefetch_related(Prefetch("messages", queryset=TipMessage.objects.order_by("seq")))
        .filter(receipt_hash=digest)
        .first()
    )


def inbox_for_user(
    *, actor: User, status: str = "", topic: str = "", area_code: str = ""
) -> QuerySet[Tip]:
    """The actor's organisation's tips (policy-scoped), newest first, filtered."""
    qs = policy.scope_tips(actor=actor, queryset=Tip.objects.select_related("area"))
    if status in TipStatus.values:
        qs = qs.filter(status=status)
    if topic in TipTopic.values:
        qs = qs.filter(topic=topic)
    if area_code:
        qs = qs.filter(area__code=area_code)
    return qs.annotate(message_count=Count("messages")).order_by("-received_on", "id")


def get_tip_for_user(*, actor: User, tip_id: Any) -> Tip:
    """One tip with messages, recipients and forwardings; 404 unless routed or forwarded
    to the actor's organisation."""
    qs = policy.scope_tips(
        actor=actor, queryset=Tip.objects.select_related("area")
    ).prefetch_related(
        Prefetch(
            "messages", queryset=TipMessage.objects.select_related("organisation").order_by("seq")
        ),
        Prefetch("recipients", queryset=TipRecipient.objects.select_related("organisation")),
        "forwardings__receiving_organisation",
        "forwardings__forwarded_by_organisation",
    )
    tip: Tip = policy.get_or_404(qs, pk=tip_id)
    return tip


def routing_rules() -> QuerySet[RoutingRule]:
    """The routing table (configuration, not personal data)."""
    return RoutingRule.objects.select_related("area", "organisation").order_by(
        "area__name", "topic", "organisation__name"
    )


def get_routing_rule(*, rule_id: int) -> RoutingRule:
    rule: RoutingRule = policy.get_or_404(RoutingRule.objects.all(), pk=rule_id)
    return rule
