"""Anonymous tips from residents, their routing to organisations, and staff triage.

Anonymity is a property of the schema: a tip row holds the area, the topic, what the
sender wrote, the date it arrived (no time of day), and a keyed hash of the receipt
code. No IP address, user agent, session or exact timestamp is stored anywhere with it,
and its primary key is a random UUID, so ids reveal neither order nor volume.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samverkan.directory.models import Area, Organisation

MAX_TEXT_CHARS = 5000
MAX_CONTACT_CHARS = 300


class TipTopic(models.TextChoices):
    CRIME = "crime", _("Crime")
    YOUNG_PERSON = "young_person", _("Worry about a young person")
    WELFARE_FRAUD = "welfare_fraud", _("Welfare fraud")
    DRUGS = "drugs", _("Drugs")
    WEAPONS = "weapons", _("Weapons")
    OTHER = "other", _("Something else")


class TipStatus(models.TextChoices):
    NEW = "new", _("New")
    ASSESSED = "assessed", _("Assessed")
    FORWARDED = "forwarded", _("Forwarded")
    CLOSED = "closed", _("Closed")


class Tip(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="+"
    )
    topic = models.CharField(_("topic"), max_length=20, choices=TipTopic.choices)
    text = models.TextField(_("what happened"), max_length=MAX_TEXT_CHARS)
    contact = models.CharField(_("contact details"), max_length=MAX_CONTACT_CHARS, blank=True)
    # Date only, by design: the time of day could identify the sender.
    received_on = models.DateField(_("received"))
    status = models.CharField(
        _("status"), max_length=16, choices=TipStatus.choices, default=TipStatus.NEW
    )
    # HMAC-SHA256 of the receipt code under a server key; the code itself is never stored.
    receipt_hash = models.CharField(max_length=64, unique=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-received_on", "id"]
        indexes = [models.Index(fields=["received_on"], name="tip_received_on")]
        verbose_name = _("tip")
        verbose_name_plural = _("tips")

    def __str__(self) -> str:
        return f"tip {self.id}"


class TipRecipient(models.Model):
    """An organisation a tip is routed (or forwarded) to: its users with the tip
    permissions may read the tip. Copied at submission, so a later change of the
    routing table does not move tips already received."""

    tip = models.ForeignKey(Tip, on_delete=models.CASCADE, related_name="recipients")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    via_forwarding = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tip", "organisation"], name="one_recipient_row_per_org"
            )
        ]
        indexes = [models.Index(fields=["organisation", "tip"], name="tip_recipient_org")]

    def __str__(self) -> str:
        return f"{self.tip_id} -> {self.organisation_id}"


class RoutingRule(models.Model):
    """Tips about ``topic`` (blank: every topic) in ``area`` (empty: every area) go to
    ``organisation``. Every matching rule adds its organisation."""

    area = models.ForeignKey(
        Area,
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Leave empty for every area."),
    )
    topic = models.CharField(
        _("topic"),
        max_length=20,
        choices=TipTopic.choices,
        blank=True,
        help_text=_("Leave empty for every topic."),
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["area__name", "topic", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "topic", "organisation"], name="one_routing_rule"
            ),
        ]
        verbose_name = _("routing rule")

    def __str__(self) -> str:
        return f"{self.area_id or '*'}/{self.topic or '*'} -> {self.organisation_id}"


class MessageAuthor(models.TextChoices):
    SENDER = "sender", _("The sender")
    STAFF = "staff", _("Staff")


class TipMessage(models.Model):
    """More information from the sender (through the receipt code) or a reply to the
    sender. Dated, never timed, like the tip itself."""

    tip = models.ForeignKey(Tip, on_delete=models.CASCADE, related_name="messages")
    author_kind = models.CharField(max_length=8, choices=MessageAuthor.choices)
    text = models.TextField(max_length=MAX_TEXT_CHARS)
    sent_on = models.DateField()
    # Staff replies: who wrote it (never shown to the sender), from which organisation.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    seq = models.PositiveIntegerField(default=0, help_text="Order within the tip.")

    class Meta:
        ordering = ["tip", "seq"]

    def __str__(self) -> str:
        return f"{self.tip_id} #{self.seq}"


class TipForwarding(models.Model):
    """A disclosure of a tip to another organisation under a recorded legal basis."""

    tip = models.ForeignKey(Tip, on_delete=models.CASCADE, related_name="forwardings")
    receiving_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+"
    )
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    forwarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    forwarded_by_organisation = models.ForeignKey(
        Organisation, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    forwarded_at = models.DateTimeField()

    class Meta:
        ordering = ["tip", "forwarded_at"]

    def __str__(self) -> str:
        return f"{self.tip_id} -> {self.receiving_organisation_id}"
