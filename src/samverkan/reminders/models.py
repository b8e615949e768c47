"""Reminders (bevakningar): what a user must look at, and when.

Generated rows (every kind except ``custom``) are kept in step with their source by the
background job ``reminders.refresh``; a user's own (custom) reminders are written by
hand on a case. A reminder is personal: only its user sees it, and only while the user
may still open the case (reminders.selectors filters every read through access.policy).
It never carries the participant's name or any note text from the source; a custom
reminder's own text is shown only to its user, never in an e-mail.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samverkan.cases.models import Case, InformationCategory
from samverkan.directory.models import Organisation


class ReminderKind(models.TextChoices):
    COMMITMENT_DUE = "commitment_due", _("Commitment due")
    MEETING = "meeting", _("Meeting")
    CONSENT_EXPIRING = "consent_expiring", _("Consent expiring")
    RETENTION_DATE = "retention_date", _("Retention date")
    FOLLOW_UP_DUE = "follow_up_due", _("Follow-up after closure due")
    # A step of a municipality's or district's crime-prevention cycle (prevention.CycleStep):
    # no case; for the scope's active coordinators (selectors.cycle_step_sources).
    CYCLE_STEP = "prevention_step", _("Crime-prevention step due")
    CUSTOM = "custom", _("Own reminder")


GENERATED_KINDS = tuple(k for k in ReminderKind.values if k != ReminderKind.CUSTOM)


class Reminder(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    # Every kind is about a case except CYCLE_STEP (a municipality's or district's step).
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(_("kind"), max_length=20, choices=ReminderKind.choices)
    due_on = models.DateField(_("due"))
    done = models.BooleanField(_("done"), default=False)
    done_at = models.DateTimeField(null=True, blank=True)
    # The source row, e.g. ("plans.commitment", "42"); empty for custom reminders.
    source_type = models.CharField(max_length=40, blank=True)
    source_id = models.CharField(max_length=40, blank=True)
    note = models.CharField(_("what to remember"), max_length=300, blank=True)
    # An entry like any other: recorded by the user's organisation (only the user reads it).
    recorded_by_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField(
        max_length=16, choices=InformationCategory.choices, default=InformationCategory.BASIC
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        indexes = [models.Index(fields=["user", "done", "due_on"], name="reminder_user_done_due")]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "source_type", "source_id"],
                condition=~models.Q(source_id=""),
                name="one_reminder_per_source",
            ),
            models.CheckConstraint(
                condition=models.Q(case__isnull=False) | models.Q(kind="prevention_step"),
                name="reminder_case_unless_prevention_step",
            ),
        ]

    def __str__(self) -> str:
        return f"Reminder {self.pk}"
