"""In-app notices for forum members, and the configurable retention rules."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samverkan.directory.models import Organisation

from .forums import Forum
from .incidents import Incident
from .listing import Listing
from .releases import Release


class NoticeKind(models.TextChoices):
    RED_RATING = "red_rating", _("A person was rated red")
    SHARE_TO_REVIEW = "share_to_review", _("A share waits for review")
    SHARE_DECIDED = "share_decided", _("A share was decided")
    REVIEW_DUE = "review_due", _("A rating is due for review")
    INCIDENT = "incident", _("An incident was registered")
    RELEASE_SOON = "release_soon", _("A release or leave is coming up")


class Notice(models.Model):
    """An in-app notification for one forum member. It names the forum and links to the
    record; what the record says is shown only on its page, through the forum decision.
    Its e-mail counterpart carries no personal data at all."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="trefas_notices")
    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=NoticeKind.choices)
    listing = models.ForeignKey(Listing, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    incident = models.ForeignKey(Incident, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    release = models.ForeignKey(Release, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    share = models.ForeignKey("trefas.Share", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="trefas_notice_user")]

    def __str__(self) -> str:
        return f"Notice {self.pk}"


class RecordType(models.TextChoices):
    LISTING = "listing", _("Listings and ratings")
    SHARE = "share", _("Shares")
    INCIDENT = "incident", _("Incidents")
    MEETING = "meeting", _("Meetings and actions")
    RELEASE = "release", _("Releases and leaves")
    GROUP = "group", _("Groups and conflicts")


class RetentionRule(models.Model):
    """Configurable: how long an organisation's Trefas records are kept after they end
    (a listing removed, a share decided, a meeting held, ...). A row without organisation
    is the default for every organisation (defaults in docs/trefas.md)."""

    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    record_type = models.CharField(max_length=10, choices=RecordType.choices)
    years = models.PositiveSmallIntegerField(_("kept for (years)"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "record_type"], name="trefas_one_rule_per_type"),
        ]

    def __str__(self) -> str:
        return f"RetentionRule {self.pk}"
