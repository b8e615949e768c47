"""The forums an agreement starts with business, civil society and agencies: parties,
purpose, its sessions and their decisions."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from samverkan.agreement.models.agreements import Agreement
from samverkan.directory.models import Organisation


class CollaborationForum(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="forums")
    name = models.CharField(_("name"), max_length=200)
    purpose = models.TextField(_("purpose"), max_length=2000)
    parties = models.ManyToManyField(Organisation, verbose_name=_("parties"), related_name="+")
    active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["agreement", "name"]
        verbose_name = _("collaboration forum")

    def __str__(self) -> str:
        return self.name


class ForumSession(models.Model):
    forum = models.ForeignKey(CollaborationForum, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("held on"))
    notes = models.TextField(_("notes"), max_length=6000, blank=True)
    participants = models.ManyToManyField(
        Organisation, verbose_name=_("organisations present"), blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["forum", "-held_on"]
        verbose_name = _("forum meeting")

    def __str__(self) -> str:
        return f"{self.forum_id} {self.held_on}"


class ForumDecision(models.Model):
    session = models.ForeignKey(ForumSession, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("decision"), max_length=2000)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("responsible"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    done = models.BooleanField(_("done"), default=False)

    class Meta:
        ordering = ["session", "pk"]
        verbose_name = _("forum decision")

    def __str__(self) -> str:
        return self.text[:40]
