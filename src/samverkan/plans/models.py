"""The individual action plan (individuell åtgärdsplan) of a case: goals by life area and
the organisations' commitments (åtaganden), with established versions.

Every goal and commitment is an entry of the case: it carries the recording
organisation, an information category and its timestamps, and is read only through
caseaccess.CaseAccess (items_q / can_see). Entries can change, so a statutory
disclosure covers an entry only while it was last changed at or before the disclosure
(selectors pass ``updated_at`` as the time field).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samverkan.cases.models import Case, InformationCategory
from samverkan.directory.models import Organisation


class LifeArea(models.TextChoices):
    SCHOOL = "school", _("School")
    WORK = "work", _("Work")
    HOUSING = "housing", _("Housing")
    LEISURE = "leisure", _("Leisure")
    FAMILY = "family", _("Family")
    LEAVING_NETWORK = "leaving_network", _("Leaving the criminal network")
    HEALTH = "health", _("Health")
    FINANCES = "finances", _("Finances")


# Categories a goal or commitment may carry: the plan's own, or a more specific one.
# ("basic" is the participant's identity; "meeting" belongs to the meetings.)
PLAN_ENTRY_CATEGORIES = [
    (value, label)
    for value, label in InformationCategory.choices
    if value not in (InformationCategory.BASIC, InformationCategory.MEETING)
]


class ActionPlan(models.Model):
    """One plan per case. Its summary is recorded by the lead organisation in category
    "plan". ``revision`` counts every change to the plan or its entries; establishing a
    version checks it, so nobody establishes a plan that changed after they read it."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="action_plan")
    recorded_by_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField(
        max_length=16, choices=InformationCategory.choices, default=InformationCategory.PLAN
    )
    summary = models.TextField(_("overall aim, in the participant's words"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    established_number = models.PositiveIntegerField(default=0)
    has_draft_changes = models.BooleanField(default=True)
    revision = models.PositiveIntegerField(default=1)
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"ActionPlan {self.pk}"


class GoalStatus(models.TextChoices):
    ONGOING = "ongoing", _("Ongoing")
    ACHIEVED = "achieved", _("Achieved")
    DISCONTINUED = "discontinued", _("Discontinued")


class Goal(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="goals")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="plan_goals")
    life_area = models.CharField(_("life area"), max_length=20, choices=LifeArea.choices)
    title = models.CharField(_("goal"), max_length=300)
    description = models.TextField(_("how we will know it is reached"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=GoalStatus.choices, default=GoalStatus.ONGOING
    )
    recorded_by_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField(
        _("information category"),
        max_length=16,
        choices=PLAN_ENTRY_CATEGORIES,
        default=InformationCategory.PLAN,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["life_area", "created_at", "pk"]
        indexes = [
            models.Index(
                fields=["case", "recorded_by_organisation", "category"], name="goal_case_org_cat"
            )
        ]

    def __str__(self) -> str:
        return f"Goal {self.public_id}"


class CommitmentStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    NOT_DONE = "not_done", _("Not done")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_COMMITMENT_STATUSES = (CommitmentStatus.PLANNED, CommitmentStatus.IN_PROGRESS)


class Commitment(models.Model):
    """One organisation's promised action (åtagande). ``organisation`` is the committing
    organisation (the responsible person's); ``recorded_by_organisation`` wrote the entry
    and decides who may read it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="commitments")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="plan_commitments")
    goal = models.ForeignKey(
        Goal, null=True, blank=True, on_delete=models.SET_NULL, related_name="commitments"
    )
    description = models.TextField(_("what will be done"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible"),
    )
    due_on = models.DateField(_("due date"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=CommitmentStatus.choices,
        default=CommitmentStatus.PLANNED,
    )
    follow_up_note = models.TextField(_("follow-up note"), blank=True)
    completed_on = models.DateField(null=True, blank=True)
    recorded_by_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField(
        _("information category"),
        max_length=16,
        choices=PLAN_ENTRY_CATEGORIES,
        default=InformationCategory.PLAN,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(
                fields=["case", "recorded_by_organisation", "category"], name="commit_case_org_cat"
            ),
            models.Index(fields=["status", "due_on"], name="commit_status_due"),
            models.Index(fields=["responsible", "status", "due_on"], name="commit_resp_status_due"),
        ]

    def __str__(self) -> str:
        return f"Commitment {self.public_id}"


class PlanVersion(models.Model):
    """An established (fastställd) plan: a frozen snapshot. Each entry in the snapshot
    keeps its recording organisation, category and times, so readers see only what
    access.policy allows them, exactly as for the live plan. Rows are never changed."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    established_at = models.DateTimeField()
    established_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    established_by_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+"
    )
    snapshot = models.JSONField()

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="one_plan_version_number")
        ]

    def __str__(self) -> str:
        return f"PlanVersion {self.number}"
