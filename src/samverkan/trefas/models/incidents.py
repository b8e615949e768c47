"""Incidents (a shooting, an explosion, a stabbing, a threat) and the configurable
checklist templates the forum's response is generated from."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samverkan.directory.models import Area, Organisation
from samverkan.people.models import Person

from .forums import Forum, MemberKind
from .listing import Listing


class IncidentKind(models.TextChoices):
    SHOOTING = "shooting", _("Shooting")
    EXPLOSION = "explosion", _("Explosion")
    STABBING = "stabbing", _("Stabbing")
    THREAT = "threat", _("Threat")


class Incident(models.Model):
    forum = models.ForeignKey(Forum, on_delete=models.PROTECT, related_name="incidents")
    kind = models.CharField(_("what happened"), max_length=12, choices=IncidentKind.choices)
    occurred_at = models.DateTimeField(_("when"))
    place = models.CharField(_("place"), max_length=200)
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    description = models.TextField(_("what is known (no names)"), blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    registered_by_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField()

    class Meta:
        ordering = ["-occurred_at"]
        indexes = [models.Index(fields=["forum", "occurred_at"], name="trefas_incident_forum")]

    def __str__(self) -> str:
        return f"Incident {self.pk}"


class LinkRole(models.TextChoices):
    VICTIM = "victim", _("Victim")
    SUSPECT = "suspect", _("Suspect")
    RELATIVE = "relative", _("Relative")
    ASSOCIATE = "associate", _("Associate")


class IncidentLink(models.Model):
    """A person linked to an incident: a listed person, or (e.g. a younger sibling) a record
    of the linking organisation's own, which only that organisation sees by name."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="links")
    role = models.CharField(_("role"), max_length=10, choices=LinkRole.choices)
    listing = models.ForeignKey(Listing, null=True, blank=True, on_delete=models.PROTECT, related_name="incident_links")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_by_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(listing__isnull=False, person__isnull=True)
                           | models.Q(listing__isnull=True, person__isnull=False)),
                name="trefas_link_one_person",
            ),
        ]

    def __str__(self) -> str:
        return f"IncidentLink {self.pk}"


class ChecklistTemplate(models.Model):
    """Configurable: what each kind of member organisation does after an incident, and
    within how many hours. An empty ``incident_kind`` applies to every kind."""

    incident_kind = models.CharField(_("after"), max_length=12, choices=IncidentKind.choices, blank=True)
    member_kind = models.CharField(_("done by"), max_length=20, choices=MemberKind.choices)
    title = models.CharField(_("action"), max_length=300)
    deadline_hours = models.PositiveSmallIntegerField(_("within (hours)"))
    order = models.PositiveSmallIntegerField(default=0)
    code = models.SlugField(max_length=60, unique=True)
    active = models.BooleanField(_("in use"), default=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title
