"""The forum's meetings (every third week) and the actions decided there, after an
incident or for a release."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samverkan.directory.models import Organisation

from .forums import Forum
from .listing import Listing


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class ForumMeeting(models.Model):
    forum = models.ForeignKey(Forum, on_delete=models.PROTECT, related_name="meetings")
    scheduled_for = models.DateTimeField(_("time"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    minutes = models.TextField(_("minutes"), blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-scheduled_for"]
        indexes = [models.Index(fields=["forum", "scheduled_for"], name="trefas_meeting_forum")]

    def __str__(self) -> str:
        return f"ForumMeeting {self.pk}"


class MeetingAttendance(models.Model):
    meeting = models.ForeignKey(ForumMeeting, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    present = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="trefas_attendance_once")]

    def __str__(self) -> str:
        return f"MeetingAttendance {self.pk}"


class MeetingDiscussion(models.Model):
    """A listed person went through at a meeting (drives the review flags)."""

    meeting = models.ForeignKey(ForumMeeting, on_delete=models.CASCADE, related_name="discussions")
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="discussions")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "listing"], name="trefas_discussed_once")]

    def __str__(self) -> str:
        return f"MeetingDiscussion {self.pk}"


class ActionStatus(models.TextChoices):
    OPEN = "open", _("To do")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class ActionItem(models.Model):
    """Something one organisation does: decided at a meeting, generated from an incident's
    checklist, or part of a release plan. Its title is the forum's, never intelligence."""

    forum = models.ForeignKey(Forum, on_delete=models.PROTECT, related_name="actions")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("action"), max_length=300)
    due_at = models.DateTimeField(_("due"))
    status = models.CharField(max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    meeting = models.ForeignKey(ForumMeeting, null=True, blank=True, on_delete=models.PROTECT, related_name="actions")
    listing = models.ForeignKey(Listing, null=True, blank=True, on_delete=models.PROTECT, related_name="actions")
    incident = models.ForeignKey(
        "trefas.Incident", null=True, blank=True, on_delete=models.PROTECT, related_name="actions"
    )
    release = models.ForeignKey(
        "trefas.Release", null=True, blank=True, on_delete=models.PROTECT, related_name="actions"
    )
    template = models.ForeignKey(
        "trefas.ChecklistTemplate", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due_at", "pk"]
        indexes = [
            models.Index(fields=["forum", "status", "due_at"], name="trefas_action_forum"),
            models.Index(fields=["organisation", "status"], name="trefas_action_org"),
        ]

    def __str__(self) -> str:
        return f"ActionItem {self.pk}"
