"""Programmes (SIG unga, SIG unga vuxna, …) and the cases in them.

A case belongs to one lead organisation (a district administration's social services).
Its team spans organisations; everything recorded in it carries the recording
organisation and an information category, and crosses to another organisation only
under a valid consent or a recorded statutory disclosure (see access.policy).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samverkan.directory.models import District, Organisation, OrganisationKind
from samverkan.people.models import Person


class InformationCategory(models.TextChoices):
    BASIC = "basic", _("Identity, contact and participation")
    PLAN = "plan", _("Action plan")
    MEETING = "meeting", _("Meetings and minutes")
    SOCIAL = "social", _("Social services")
    SCHOOL = "school", _("School")
    HEALTH = "health", _("Health")
    CRIME = "crime", _("Crime and police information")
    FAMILY = "family", _("Family")
    WORK = "work", _("Work and finances")
    HOUSING = "housing", _("Housing")
    LEISURE = "leisure", _("Leisure")


class ProgrammeKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual programme (SIG)")
    VIOLENCE_PREVENTION = "violence_prevention", _("Violence prevention (Trefas)")


class Programme(models.Model):
    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=32, choices=ProgrammeKind.choices, default=ProgrammeKind.INDIVIDUAL)
    lead_organisation_kind = models.CharField(
        _("lead organisation kind"), max_length=32, choices=OrganisationKind.choices,
        default=OrganisationKind.DISTRICT_ADMINISTRATION,
    )
    participating_kinds = models.JSONField(_("participating organisation kinds"), default=list)
    min_age = models.PositiveSmallIntegerField(_("minimum age"))
    max_age = models.PositiveSmallIntegerField(_("maximum age"))
    districts = models.ManyToManyField(District, verbose_name=_("districts served"), related_name="programmes")
    retention_years = models.PositiveSmallIntegerField(_("retention (years after last entry)"), default=5)
    own_consent_from_age = models.PositiveSmallIntegerField(_("own consent recorded from age"), default=15)
    guardian_consent_until_age = models.PositiveSmallIntegerField(_("guardians consent until age"), default=18)
    consent_max_months = models.PositiveSmallIntegerField(_("longest consent validity (months)"), default=12)
    meeting_cadence_days = models.PositiveSmallIntegerField(_("follow-up meeting every (days)"), default=21)
    successor = models.ForeignKey(
        "self", verbose_name=_("continues in"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="predecessors",
    )
    active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CaseStatus(models.TextChoices):
    INTAKE = "intake", _("Intake")
    ACTIVE = "active", _("Active")
    DECLINED = "declined", _("Declined")
    CLOSED = "closed", _("Closed")


class IntakeSource(models.TextChoices):
    POLICE = "police", _("Referral from the police")
    SOCIAL_SERVICES = "social_services", _("Social services")
    OWN_APPLICATION = "own_application", _("The person's own application")
    OTHER = "other", _("Other referral")


class Case(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="cases")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cases")
    lead_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="led_cases")
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="cases")
    status = models.CharField(max_length=16, choices=CaseStatus.choices, default=CaseStatus.INTAKE)
    intake_source = models.CharField(_("how the case started"), max_length=24, choices=IntakeSource.choices)
    referred_by = models.ForeignKey(
        Organisation, verbose_name=_("referred by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="referred_cases",
    )
    received_on = models.DateField(_("received"))
    intake_summary = models.TextField(_("reason for intake"), blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    last_entry_at = models.DateTimeField(help_text="Drives retention: data is purged N years after this.")
    legal_hold = models.BooleanField(_("legal hold"), default=False)
    legal_hold_reason = models.CharField(_("reason for legal hold"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-opened_at"]
        indexes = [
            models.Index(fields=["lead_organisation", "status"], name="case_lead_status"),
            models.Index(fields=["programme", "status"], name="case_programme_status"),
            models.Index(fields=["last_entry_at"], name="case_last_entry"),
        ]

    def __str__(self) -> str:
        return f"Case {self.public_id}"

    @property
    def reference(self) -> str:
        """A short, stable reference for people on the team to tell cases apart by (the
        first eight hex digits of the public id, e.g. "3F2A-91C0"): on every list row,
        also where the participant's name is not shared with the viewer."""
        digits = self.public_id.hex[:8].upper()
        return f"{digits[:4]}-{digits[4:]}"


class TeamRole(models.TextChoices):
    LEAD_COORDINATOR = "lead_coordinator", _("Lead coordinator")
    CASEWORKER = "caseworker", _("Caseworker")
    CONTACT = "contact", _("Contact person")
    OBSERVER = "observer", _("Reads only")


class TeamMember(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    team_role = models.CharField(max_length=24, choices=TeamRole.choices)
    active = models.BooleanField(default=True)
    added_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "active", "case"], name="team_user_active")]
        constraints = [
            models.UniqueConstraint(fields=["case", "user"], condition=models.Q(active=True),
                                    name="one_active_membership"),
        ]

    def __str__(self) -> str:
        return f"TeamMember {self.pk}"


class EmergencyAccess(models.Model):
    """Break-the-glass: a user outside the team reads a case for a written reason, for a
    limited time. Always flagged for log review."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="emergency_accesses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    granted_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["user", "expires_at"], name="emergency_user_expiry")]

    def __str__(self) -> str:
        return f"EmergencyAccess {self.pk}"


# --- Closure (avslut) and structured follow-ups -------------------------------------


class ClosureOutcome(models.TextChoices):
    PLAN_COMPLETED = "plan_completed", _("The plan was completed")
    MOVED = "moved", _("Moved away")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawn")
    NEW_CRIME_OR_CUSTODY = "new_crime_or_custody", _("New crime or custody")
    TRANSFERRED = "transferred", _("Transferred to another programme or authority")
    DECEASED = "deceased", _("Deceased")
    OTHER = "other", _("Other")


class Closure(models.Model):
    """The closure of a case by the lead organisation: an outcome code and a note.

    An entry of the case like any other: recorded by the lead organisation in category
    ``basic`` by default, read through caseaccess.CaseAccess.items_q/can_see."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="closure")
    outcome = models.CharField(_("outcome"), max_length=32, choices=ClosureOutcome.choices)
    note = models.TextField(_("note"), blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField(
        max_length=16, choices=InformationCategory.choices, default=InformationCategory.BASIC
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("closure")
        verbose_name_plural = _("closures")

    def __str__(self) -> str:
        return f"Closure {self.pk}"


class FollowUpStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DONE = "done", _("Done")
    NOT_REACHED = "not_reached", _("Could not be reached")


class FollowUpAnswer(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Unknown")


FOLLOW_UP_MONTHS = (6, 12)


class FollowUp(models.Model):
    """A structured follow-up 6 or 12 months after closure, recorded by the lead
    organisation (category ``social`` by default; read through access.policy)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="follow_ups")
    closure = models.ForeignKey(Closure, on_delete=models.CASCADE, related_name="follow_ups")
    months_after = models.PositiveSmallIntegerField(_("months after closure"))
    due_on = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=16, choices=FollowUpStatus.choices, default=FollowUpStatus.PLANNED
    )
    in_education_or_work = models.CharField(
        _("in education or work"), max_length=8, choices=FollowUpAnswer.choices, blank=True
    )
    housing_stable = models.CharField(
        _("stable housing"), max_length=8, choices=FollowUpAnswer.choices, blank=True
    )
    new_crime_known = models.CharField(
        _("new crime known"), max_length=8, choices=FollowUpAnswer.choices, blank=True
    )
    network_contact = models.CharField(
        _("contact with the criminal network"),
        max_length=8,
        choices=FollowUpAnswer.choices,
        blank=True,
    )
    comment = models.TextField(_("comment"), blank=True)
    recorded_on = models.DateField(_("followed up on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField(
        max_length=16, choices=InformationCategory.choices, default=InformationCategory.SOCIAL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "months_after"], name="one_follow_up_per_interval"
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="follow_up_status_due")]

    def __str__(self) -> str:
        return f"FollowUp {self.pk}"
