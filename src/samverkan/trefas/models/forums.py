"""Trefas forums: who takes part (organisations and named members) and how often they meet."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samverkan.directory.models import Area, District, Organisation


def default_reminder_weeks() -> list[int]:
    return [4, 1]


class Forum(models.Model):
    """One Trefas forum: a district or a group of areas (e.g. Järva; Enskede-Årsta-Vantör
    with the Globen and Farsta police areas)."""

    name = models.CharField(_("name"), max_length=200)
    code = models.SlugField(_("short code"), max_length=60, unique=True)
    districts = models.ManyToManyField(District, blank=True, related_name="+", verbose_name=_("districts"))
    areas = models.ManyToManyField(Area, blank=True, related_name="+", verbose_name=_("areas"))
    # Configurable: the meeting cycle (publicly described as every third week).
    cadence_days = models.PositiveSmallIntegerField(_("meeting cycle (days)"), default=21)
    # Configurable: reminders this many weeks before a release or leave.
    release_reminder_weeks = models.JSONField(_("release reminders (weeks before)"), default=default_reminder_weeks)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Trefas forum")

    def __str__(self) -> str:
        return self.name


class MemberKind(models.TextChoices):
    """What an organisation is in the forum: it decides which checklist items it gets."""

    SOCIAL_SERVICES = "social_services", _("District social services")
    POLICE = "police", _("Police")
    PROBATION = "probation", _("Kriminalvården, frivården")
    PRISON = "prison", _("Kriminalvården, prison")
    CITY_COORDINATOR = "city_coordinator", _("The city's coordinator against lethal violence")
    SCHOOL = "school", _("School")
    REGION = "region", _("Region (health care)")


class ForumOrganisation(models.Model):
    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="organisations")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("takes part as"), max_length=20, choices=MemberKind.choices)
    active = models.BooleanField(default=True)
    joined_on = models.DateField(_("member since"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["forum", "organisation"], name="trefas_one_membership_per_org"),
        ]

    def __str__(self) -> str:
        return f"ForumOrganisation {self.pk}"


class ForumRole(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    MEMBER = "member", _("Member")
    JURIST = "jurist", _("Jurist")


class ForumMember(models.Model):
    """A named person in a forum. Counts only while the user's organisation is an active
    member organisation of the forum (the forum decision checks both)."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="trefas_memberships")
    role = models.CharField(_("role in the forum"), max_length=16, choices=ForumRole.choices)
    active = models.BooleanField(default=True)
    added_at = models.DateTimeField(auto_now_add=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["forum", "user"], name="trefas_one_member_row_per_user"),
        ]
        indexes = [models.Index(fields=["user", "active"], name="trefas_member_user")]

    def __str__(self) -> str:
        return f"ForumMember {self.pk}"
