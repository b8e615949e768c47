"""Releases and leaves from Kriminalvården, and the way out of the list (exits)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samverkan.cases.models import Case
from samverkan.directory.models import Organisation

from .forums import Forum
from .listing import Listing


class ReleaseKind(models.TextChoices):
    RELEASE = "release", _("Release")
    LEAVE = "leave", _("Leave")


class Release(models.Model):
    """An upcoming release or leave of a listed person, registered by Kriminalvården. Its
    conditions travel only as a share (topic release_conditions)."""

    forum = models.ForeignKey(Forum, on_delete=models.PROTECT, related_name="releases")
    listing = models.ForeignKey(Listing, on_delete=models.PROTECT, related_name="releases")
    kind = models.CharField(_("kind"), max_length=8, choices=ReleaseKind.choices)
    date = models.DateField(_("date"))
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    registered_by_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # The reminders already sent, in weeks before the date (the job is idempotent).
    reminders_sent = models.JSONField(default=list, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["date", "pk"]
        indexes = [models.Index(fields=["forum", "date"], name="trefas_release_forum")]

    def __str__(self) -> str:
        return f"Release {self.pk}"


class ExitKind(models.TextChoices):
    SIG_INTAKE = "sig_intake", _("SIG intake (with consent)")
    EXIT_PROGRAMME = "exit_programme", _("Referral to an exit programme")


class ExitLink(models.Model):
    """The way out from the list: a SIG case (the individual track) or an exit programme."""

    listing = models.ForeignKey(Listing, on_delete=models.PROTECT, related_name="exits")
    kind = models.CharField(_("kind"), max_length=16, choices=ExitKind.choices)
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.PROTECT, related_name="trefas_exits")
    programme_name = models.CharField(_("exit programme"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_by_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"ExitLink {self.pk}"
