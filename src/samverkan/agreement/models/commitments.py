"""Each party's commitments under an agreement, and the follow-up meetings that record
every commitment's status with its evidence."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samverkan.agreement.models.agreements import Agreement
from samverkan.directory.models import Organisation


class CommitmentStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    ONGOING = "ongoing", _("Ongoing")
    DONE = "done", _("Done")
    DELAYED = "delayed", _("Delayed")
    NOT_DONE = "not_done", _("Will not be done")


class Commitment(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="commitments")
    organisation = models.ForeignKey(Organisation, verbose_name=_("party"), on_delete=models.PROTECT, related_name="+")
    problem = models.ForeignKey(
        "prevention.Problem", verbose_name=_("problem"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="commitments",
    )
    text = models.TextField(_("commitment"), max_length=2000)
    due_on = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=CommitmentStatus.choices, default=CommitmentStatus.NOT_STARTED
    )
    evidence = models.TextField(_("evidence"), max_length=4000, blank=True)
    order = models.PositiveSmallIntegerField(default=100)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["agreement", "order", "pk"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")

    def __str__(self) -> str:
        return self.text[:40]


class FollowUpMeeting(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="follow_ups")
    held_on = models.DateField(_("held on"))
    notes = models.TextField(_("notes"), max_length=6000, blank=True)
    participants = models.ManyToManyField(
        Organisation, verbose_name=_("organisations present"), blank=True, related_name="+"
    )
    closed = models.BooleanField(_("record closed"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["agreement", "-held_on"]
        verbose_name = _("follow-up meeting")

    def __str__(self) -> str:
        return f"{self.agreement_id} {self.held_on}"


class CommitmentReview(models.Model):
    """A commitment's status as recorded at one follow-up meeting (the history)."""

    meeting = models.ForeignKey(FollowUpMeeting, on_delete=models.CASCADE, related_name="reviews")
    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="reviews")
    status = models.CharField(_("status"), max_length=16, choices=CommitmentStatus.choices)
    evidence = models.TextField(_("evidence"), max_length=4000, blank=True)

    class Meta:
        ordering = ["meeting", "commitment"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "commitment"], name="agreement_one_review_per_meeting")
        ]
        verbose_name = _("commitment review")

    def __str__(self) -> str:
        return f"{self.meeting_id} {self.commitment_id}"
