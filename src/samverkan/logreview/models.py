"""Log review (logguppföljning): each month an organisation's log reviewers go through a
random sample of accesses to personal data within their compartment, plus every flagged
access (break-the-glass, protected identities, persons rated red on a Trefas list,
unusually many persons per user and day, access outside office hours), and mark each
reviewed with a comment.

Items point at audit rows by sequence number only; the page shows ids and the acting
user, never the participant (reviewers are not on the case team).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samverkan.audit.models import AuditEvent
from samverkan.directory.models import Organisation


class AccessReview(models.Model):
    """One organisation's review of one calendar month."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    month = models.DateField(help_text="The first day of the reviewed month.")
    sample_size = models.PositiveIntegerField(default=0)
    accesses_in_scope = models.PositiveIntegerField(default=0)
    sampled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "month"], name="one_review_per_org_month"
            )
        ]

    def __str__(self) -> str:
        return f"AccessReview {self.pk}"


class Reason(models.TextChoices):
    SAMPLED = "sampled", _("Random sample")
    BREAK_GLASS = "break_glass", _("Emergency access (break-the-glass)")
    PROTECTED = "protected", _("Protected identity")
    RED_LISTED = "red_listed", _("Red-rated on the Trefas list")
    MANY_SUBJECTS = "many_subjects", _("Many persons or cases in one day")
    OFF_HOURS = "off_hours", _("Outside office hours")


class Outcome(models.TextChoices):
    OK = "ok", _("No remarks")
    FOLLOW_UP = "follow_up", _("Needs follow-up")


# Reason -> the boolean field that records it (an access may be sampled and flagged).
REASON_FIELDS = {
    Reason.SAMPLED: "sampled",
    Reason.BREAK_GLASS: "flag_break_glass",
    Reason.PROTECTED: "flag_protected",
    Reason.RED_LISTED: "flag_red",
    Reason.MANY_SUBJECTS: "flag_many_subjects",
    Reason.OFF_HOURS: "flag_off_hours",
}


class AccessReviewItem(models.Model):
    review = models.ForeignKey(AccessReview, on_delete=models.CASCADE, related_name="items")
    # The audit row (by seq). No database constraint: the audit table is append-only and
    # guarded by triggers; nothing here may ever lock or cascade into it.
    event = models.ForeignKey(
        AuditEvent,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        db_column="event_seq",
    )
    sampled = models.BooleanField(default=False)
    flag_break_glass = models.BooleanField(default=False)
    flag_protected = models.BooleanField(default=False)
    # A Trefas read concerning a person rated red (audit detail red=true).
    flag_red = models.BooleanField(default=False)
    flag_many_subjects = models.BooleanField(default=False)
    flag_off_hours = models.BooleanField(default=False)
    subjects_that_day = models.PositiveIntegerField(
        null=True, blank=True, help_text="Distinct persons/cases the user accessed that day."
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["event_id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "event"], name="one_item_per_event")
        ]
        indexes = [models.Index(fields=["review", "reviewed_at"], name="review_item_done")]

    def __str__(self) -> str:
        return f"AccessReviewItem {self.pk}"

    @property
    def reasons(self) -> list[str]:
        return [reason for reason, field in REASON_FIELDS.items() if getattr(self, field)]

    @property
    def reason_labels(self) -> list[str]:
        return [str(Reason(r).label) for r in self.reasons]

    @property
    def reason_tags(self) -> list[tuple[str, bool]]:
        """(label, is a flag) per reason, flags first: for the tags on the review page."""
        tags = [(str(Reason(r).label), r != Reason.SAMPLED) for r in self.reasons]
        return sorted(tags, key=lambda tag: not tag[1])

    @property
    def flagged(self) -> bool:
        return any(r != Reason.SAMPLED for r in self.reasons)
