"""The weekly EST meeting of an area: what was seen in the week's picture, what is done
(actions with a responsible organisation and a due date), and the follow-up of earlier
actions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samverkan.directory.models import Area, Organisation


class WeekMeeting(models.Model):
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="picture_meetings")
    week_start = models.DateField(_("week"))
    held_on = models.DateField(_("held on"), null=True, blank=True)
    seen = models.TextField(_("what we saw"), max_length=4000, blank=True)
    participants = models.ManyToManyField(
        Organisation, verbose_name=_("organisations present"), blank=True, related_name="+"
    )
    closed = models.BooleanField(_("record closed"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["area__name", "-week_start"]
        constraints = [
            models.UniqueConstraint(fields=["area", "week_start"], name="picture_one_meeting_per_area_week")
        ]
        verbose_name = _("weekly meeting")
        verbose_name_plural = _("weekly meetings")

    def __str__(self) -> str:
        return f"{self.area_id} {self.week_start}"


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    NOT_DONE = "not_done", _("Not done")
    CANCELLED = "cancelled", _("Cancelled")


class WeekAction(models.Model):
    """What the weekly meeting decided to do. Followed up at a later meeting."""

    meeting = models.ForeignKey(
        WeekMeeting, verbose_name=_("decided at"), on_delete=models.PROTECT, related_name="actions"
    )
    text = models.TextField(_("what is done"), max_length=1000)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("responsible organisation"), on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(_("due"))
    status = models.CharField(_("status"), max_length=16, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    follow_up = models.TextField(_("follow-up"), max_length=2000, blank=True)
    followed_up_at = models.ForeignKey(
        WeekMeeting, verbose_name=_("followed up at"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="followed_up_actions",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["status", "due_on"], name="picture_action_status_due")]
        verbose_name = _("action")
        verbose_name_plural = _("actions")

    def __str__(self) -> str:
        return self.text[:40]


class ActionFollowUp(models.Model):
    """One meeting's follow-up of an action decided at an earlier meeting: the status the
    meeting recorded and its note. The action keeps the latest follow-up (``status``,
    ``follow_up``, ``followed_up_at``) for the lists; these rows keep every meeting's own
    record true after a later meeting follows the same action up again ("still open" one
    week, "done" the next), so a closed record never changes."""

    action = models.ForeignKey(WeekAction, on_delete=models.PROTECT, related_name="follow_ups")
    meeting = models.ForeignKey(WeekMeeting, on_delete=models.PROTECT, related_name="follow_ups")
    status = models.CharField(_("status"), max_length=16, choices=ActionStatus.choices)
    note = models.TextField(_("follow-up"), max_length=2000, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["action__due_on", "action_id"]
        constraints = [
            models.UniqueConstraint(fields=["action", "meeting"], name="picture_one_follow_up_per_meeting")
        ]
        verbose_name = _("follow-up of an action")
        verbose_name_plural = _("follow-ups of actions")

    def __str__(self) -> str:
        return f"{self.action_id}@{self.meeting_id}"
