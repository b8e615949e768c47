"""Samverkansmöten: the case team's follow-up meetings, their minutes and decisions.

A meeting is an entry of the case recorded by the organisation that called it, in
category "meeting": its time, place, agenda and attendees are read through
access.policy like any other entry. Minutes are recorded per organisation (category
"meeting") and are immutable once signed; a correction is new minutes referencing the
old. Decisions belong to minutes (same visibility) and may become plan commitments.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samverkan.cases.models import Case, InformationCategory
from samverkan.directory.models import Organisation


class MeetingKind(models.TextChoices):
    START = "start", _("Start-up meeting")
    FOLLOW_UP = "follow_up", _("Follow-up meeting")
    EXTRA = "extra", _("Extra meeting")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class ParticipantAttendance(models.TextChoices):
    INVITED = "invited", _("Invited")
    ATTENDED = "attended", _("Attended")
    ABSENT = "absent", _("Absent")
    NOT_INVITED = "not_invited", _("Not invited")


class Meeting(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField(
        _("kind of meeting"),
        max_length=16,
        choices=MeetingKind.choices,
        default=MeetingKind.FOLLOW_UP,
    )
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200)
    agenda = models.TextField(_("agenda"), blank=True)
    status = models.CharField(
        max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    participant_attendance = models.CharField(
        _("the participant"),
        max_length=16,
        choices=ParticipantAttendance.choices,
        default=ParticipantAttendance.INVITED,
    )
    recorded_by_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField(
        max_length=16, choices=InformationCategory.choices, default=InformationCategory.MEETING
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-starts_at", "-pk"]
        indexes = [
            models.Index(fields=["case", "status", "starts_at"], name="meeting_case_status_start"),
            models.Index(fields=["status", "starts_at"], name="meeting_status_start"),
        ]

    def __str__(self) -> str:
        return f"Meeting {self.public_id}"


class Attendee(models.Model):
    """A team member invited to a meeting; ``attended`` is None until recorded."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendees")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    attended = models.BooleanField(null=True)

    class Meta:
        ordering = ["organisation__name", "user__last_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="one_attendee_per_user")
        ]
        indexes = [models.Index(fields=["user", "meeting"], name="attendee_user_meeting")]

    def __str__(self) -> str:
        return f"Attendee {self.pk}"


class Minutes(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="minutes")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="meeting_minutes")
    recorded_by_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField(
        max_length=16, choices=InformationCategory.choices, default=InformationCategory.MEETING
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("minutes"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    # RESTRICT, not PROTECT: a correction must not stop the retention purge, which
    # deletes the corrected and the correcting minutes together with the case.
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.RESTRICT, related_name="corrections"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(
                fields=["case", "recorded_by_organisation", "category"], name="minutes_case_org_cat"
            )
        ]

    def __str__(self) -> str:
        return f"Minutes {self.public_id}"


class Decision(models.Model):
    """A decision in the minutes (same recording organisation and category). Once the
    minutes are signed it never changes; turning it into a plan commitment is recorded
    in DecisionCommitment."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="decisions")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="meeting_decisions")
    text = models.TextField(_("decision"))
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible"),
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(_("due date"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Decision {self.public_id}"


class DecisionCommitment(models.Model):
    """The plan commitment a decision became (at most one per decision)."""

    decision = models.OneToOneField(
        Decision, on_delete=models.CASCADE, related_name="commitment_link"
    )
    commitment = models.OneToOneField(
        "plans.Commitment", on_delete=models.CASCADE, related_name="decision_link"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"DecisionCommitment {self.pk}"
