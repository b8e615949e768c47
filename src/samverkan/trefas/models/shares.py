"""What an organisation brings to the forum: a proposed share under a statutory basis,
visible to the receiving organisations only after its own jurist approved it (or when the
basis needs no review). Decisions go to the disclosure register (consent.Disclosure)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samverkan.consent.models import LegalBasis
from samverkan.directory.models import Organisation

from .forums import Forum
from .listing import Group, Listing


class ShareTopic(models.TextChoices):
    SINCE_LAST = "since_last", _("What has happened since last time")
    MEASURES = "measures", _("What we are doing")
    RELEASE_CONDITIONS = "release_conditions", _("Conditions of a release or leave")
    GROUP = "group", _("About a group")


class ShareState(models.TextChoices):
    PROPOSED = "proposed", _("Waiting for the jurist")
    APPROVED = "approved", _("Approved by the jurist")
    REFUSED = "refused", _("Refused by the jurist")
    NO_REVIEW = "no_review", _("Shared (the basis needs no review)")
    WITHDRAWN = "withdrawn", _("Withdrawn")


VISIBLE_STATES = (ShareState.APPROVED, ShareState.NO_REVIEW)


class Share(models.Model):
    forum = models.ForeignKey(Forum, on_delete=models.PROTECT, related_name="shares")
    listing = models.ForeignKey(Listing, null=True, blank=True, on_delete=models.PROTECT, related_name="shares")
    group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.PROTECT, related_name="shares")
    release = models.ForeignKey(
        "trefas.Release", null=True, blank=True, on_delete=models.PROTECT, related_name="shares"
    )
    from_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField()
    topic = models.CharField(_("what it is about"), max_length=20, choices=ShareTopic.choices)
    text = models.TextField(_("what we share"))
    basis = models.ForeignKey(LegalBasis, on_delete=models.PROTECT, related_name="+", verbose_name=_("legal basis"))
    balancing_test = models.TextField(_("balancing test"))
    recipients = models.ManyToManyField(Organisation, related_name="+", verbose_name=_("to"))
    state = models.CharField(max_length=12, choices=ShareState.choices, default=ShareState.PROPOSED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.CharField(_("the jurist's reason"), max_length=500, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(listing__isnull=False, group__isnull=True)
                           | models.Q(listing__isnull=True, group__isnull=False)),
                name="trefas_share_about_one_thing",
            ),
        ]
        indexes = [
            models.Index(fields=["listing", "state"], name="trefas_share_listing"),
            models.Index(fields=["forum", "from_organisation", "state"], name="trefas_share_queue"),
        ]

    def __str__(self) -> str:
        return f"Share {self.pk}"
