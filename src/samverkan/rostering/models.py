"""Experts, their leave, shift patterns, working-time rules, and versioned rosters.

The roster engine (rostering/engine, pure Python) works on plain dataclasses; the
``problem`` module builds them from these tables. A published roster version is never
changed: a swap or a re-plan publishes a new version.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from samverkan.actiongroups.models import ActionGroup
from samverkan.directory.models import Organisation


class Expert(models.Model):
    """A staff member an agency assigns to action groups: a user account, or a staff
    record without a login (then the name is kept here)."""

    agency = models.ForeignKey(
        Organisation,
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="experts",
        limit_choices_to={"kind": "agency"},
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="expert",
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    contract_hours_per_week = models.DecimalField(
        _("contract hours per week"),
        max_digits=4,
        decimal_places=1,
        default=40,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    night_allowed = models.BooleanField(_("may work nights"), default=True)
    qualifications = models.JSONField(_("qualifications"), default=list, blank=True)
    home_groups = models.ManyToManyField(
        ActionGroup, verbose_name=_("home groups"), related_name="home_experts"
    )
    extra_groups = models.ManyToManyField(
        ActionGroup, verbose_name=_("may also serve"), blank=True, related_name="extra_experts"
    )
    wanted_shift_codes = models.JSONField(_("wanted shifts"), default=list, blank=True)
    avoided_shift_codes = models.JSONField(_("avoided shifts"), default=list, blank=True)
    avoided_weekdays = models.JSONField(_("avoided weekdays"), default=list, blank=True)
    active = models.BooleanField(_("active"), default=True)
    is_demo = models.BooleanField(
        default=False, help_text="A fictitious demo expert; never set for a real person."
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["agency__name", "last_name", "first_name", "pk"]
        verbose_name = _("expert")
        verbose_name_plural = _("experts")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def engine_id(self) -> str:
        return f"e{self.pk}"


class LeaveKind(models.TextChoices):
    VACATION = "vacation", _("Vacation")
    SICK = "sick", _("Sick leave")
    TRAINING = "training", _("Training")
    OTHER = "other", _("Other leave")


class ExpertLeave(models.Model):
    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="leave")
    kind = models.CharField(_("kind of leave"), max_length=16, choices=LeaveKind.choices)
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["expert", "starts_at"]

    def __str__(self) -> str:
        return f"leave {self.pk} ({self.kind})"

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The leave must end after it starts.")})


class PatternKind(models.TextChoices):
    THREE_BY_EIGHT = "3x8", _("3 × 8 hours (06–14, 14–22, 22–06)")
    TWO_BY_TWELVE = "2x12", _("2 × 12 hours (07–19, 19–07)")
    CUSTOM = "custom", _("Custom")


class ShiftPattern(models.Model):
    """The group's shifts per day. ``custom`` holds [{"code", "start" "HH:MM", "hours"}]."""

    group = models.OneToOneField(
        ActionGroup, on_delete=models.CASCADE, related_name="shift_pattern"
    )
    kind = models.CharField(
        _("shift pattern"),
        max_length=8,
        choices=PatternKind.choices,
        default=PatternKind.THREE_BY_EIGHT,
    )
    custom = models.JSONField(_("custom shifts"), default=list, blank=True)
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"pattern {self.group_id} {self.kind}"


class RosterRules(models.Model):
    """Working-time rules and soft-constraint weights for one group. Defaults are the
    statute's (arbetstidslagen 1982:673); collective agreements may deviate."""

    group = models.OneToOneField(ActionGroup, on_delete=models.CASCADE, related_name="roster_rules")
    daily_rest_hours = models.DecimalField(
        _("daily rest, hours (ATL 13 §)"), max_digits=4, decimal_places=1, default=11
    )
    weekly_rest_hours = models.DecimalField(
        _("weekly rest, hours (ATL 14 §)"), max_digits=4, decimal_places=1, default=36
    )
    max_week_average_hours = models.DecimalField(
        _("ordinary hours per week on average (ATL 5 §)"),
        max_digits=4,
        decimal_places=1,
        default=40,
    )
    night_average_hours_per_24h = models.DecimalField(
        _("night workers: hours per 24 h on average (ATL 13 a §)"),
        max_digits=4,
        decimal_places=1,
        default=8,
    )
    max_shift_hours = models.DecimalField(
        _("longest shift, hours"), max_digits=4, decimal_places=1, default=12
    )
    schedule_notice_days = models.PositiveSmallIntegerField(
        _("schedule changes announced, days ahead (ATL 12 §)"),
        default=14,
        validators=[MaxValueValidator(60)],
    )
    break_after_hours = models.DecimalField(
        _("longest work without a break, hours (ATL 15 §)"),
        max_digits=4,
        decimal_places=1,
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
        help_text=_(
            "No shift may have a longer stretch of work without a break. The shift pattern "
            "places the breaks."
        ),
    )
    total_week_average_hours = models.DecimalField(
        _("total working time per 7 days on average, hours (ATL 10 b §)"),
        max_digits=4,
        decimal_places=1,
        default=48,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Counted with the earlier published rosters over the calculation period below."
        ),
    )
    total_reference_weeks = models.PositiveSmallIntegerField(
        _("calculation period for total working time, weeks"),
        default=16,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
        help_text=_("The law allows at most four months (16 weeks lie within it)."),
    )
    weekly_rest_rolling = models.BooleanField(
        _("weekly rest in every 7 days in a row, not per week of the period (ATL 14 §)"),
        default=False,
        help_text=_(
            "Stricter: every stretch of 7 days must hold the weekly rest, also across "
            "weeks. Some collective agreements ask for it."
        ),
    )
    fairness_nights = models.PositiveSmallIntegerField(
        _("weight: fair spread of nights"), default=10
    )
    fairness_weekends = models.PositiveSmallIntegerField(
        _("weight: fair spread of weekends"), default=10
    )
    fairness_holidays = models.PositiveSmallIntegerField(
        _("weight: fair spread of public holidays"), default=10
    )
    preference = models.PositiveSmallIntegerField(_("weight: preferences"), default=2)
    change = models.PositiveSmallIntegerField(_("weight: changes when re-planning"), default=100)
    version = models.PositiveIntegerField(default=1)

    RULE_FIELDS = (
        "daily_rest_hours",
        "weekly_rest_hours",
        "max_week_average_hours",
        "night_average_hours_per_24h",
        "max_shift_hours",
        "schedule_notice_days",
        "break_after_hours",
        "total_week_average_hours",
        "total_reference_weeks",
        "weekly_rest_rolling",
    )
    WEIGHT_FIELDS = (
        "fairness_nights",
        "fairness_weekends",
        "fairness_holidays",
        "preference",
        "change",
    )

    def __str__(self) -> str:
        return f"rules {self.group_id}"


class RosterPlan(models.Model):
    """One planning period of one group (default four weeks)."""

    group = models.ForeignKey(ActionGroup, on_delete=models.CASCADE, related_name="roster_plans")
    period_start = models.DateField(_("first day"))
    weeks = models.PositiveSmallIntegerField(
        _("weeks"), default=4, validators=[MinValueValidator(1), MaxValueValidator(8)]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["group", "-period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "period_start"], name="one_plan_per_group_start"
            )
        ]

    def __str__(self) -> str:
        return f"plan {self.group_id} {self.period_start}"

    @property
    def days(self) -> int:
        return self.weeks * 7


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class VersionSource(models.TextChoices):
    SOLVER = "solver", _("Automatic planning")
    REPLAN = "replan", _("Re-plan")
    SWAP = "swap", _("Shift swap")


class RosterVersion(models.Model):
    """A numbered version of a plan's roster. Drafts come from the solver; publishing
    freezes a version for good (services refuse every later change)."""

    plan = models.ForeignKey(RosterPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(
        max_length=16, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    source = models.CharField(
        max_length=16, choices=VersionSource.choices, default=VersionSource.SOLVER
    )
    solver_status = models.CharField(max_length=16, blank=True)
    objective = models.FloatField(null=True, blank=True)
    bound = models.FloatField(null=True, blank=True)
    violations = models.JSONField(
        default=list, blank=True
    )  # [{"rule","message","expert_id","shift_id"}]
    explanation = models.JSONField(default=list, blank=True)  # reasons in words when infeasible
    stats = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    # Re-planning: shifts starting before this moment kept their published assignments.
    pinned_until = models.DateTimeField(null=True, blank=True)
    # Why a re-plan changed shifts inside the notice period (ATL 12 §), e.g. sickness.
    notice_override_reason = models.TextField(_("reason for changes at short notice"), blank=True)

    class Meta:
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="one_version_number_per_plan")
        ]

    def __str__(self) -> str:
        return f"version {self.plan_id}.{self.number} {self.status}"

    @property
    def is_published(self) -> bool:
        return self.status == VersionStatus.PUBLISHED


class RosterAssignment(models.Model):
    version = models.ForeignKey(RosterVersion, on_delete=models.CASCADE, related_name="assignments")
    shift_id = models.CharField(max_length=80)
    shift_code = models.CharField(max_length=8, blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="assignments")
    agency = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["starts_at", "agency_id", "expert_id"]
        indexes = [
            models.Index(fields=["version", "starts_at"], name="assignment_version_start"),
            models.Index(fields=["expert", "starts_at"], name="assignment_expert_start"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "shift_id", "expert"], name="one_assignment_per_shift_expert"
            )
        ]

    def __str__(self) -> str:
        return f"{self.shift_id} e{self.expert_id}"


class SwapStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class SwapRequest(models.Model):
    """``from_expert`` hands the shift ``shift_id`` of a published version to
    ``to_expert`` (same agency); with ``return_shift_id``, ``to_expert`` hands that
    shift back (an exchange)."""

    version = models.ForeignKey(
        RosterVersion, on_delete=models.CASCADE, related_name="swap_requests"
    )
    shift_id = models.CharField(max_length=80)
    from_expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="+")
    to_expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="+")
    return_shift_id = models.CharField(max_length=80, blank=True)
    status = models.CharField(
        max_length=16, choices=SwapStatus.choices, default=SwapStatus.REQUESTED
    )
    violations = models.JSONField(default=list, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    result_version = models.ForeignKey(
        RosterVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version_lock = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"swap {self.pk} {self.status}"
