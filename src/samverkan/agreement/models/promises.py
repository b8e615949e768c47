"""Citizen promises (medborgarlöften): what the police and the city promise the residents
of an area for a period, made within an agreement, with their progress in plain words.
The table is the one the residents' pages always used (public_citizenpromise)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samverkan.agreement.models.agreements import Agreement
from samverkan.directory.models import Area


class CitizenPromise(models.Model):
    """Shown on the public area page once published."""

    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.CASCADE, related_name="citizen_promises"
    )
    agreement = models.ForeignKey(
        Agreement, verbose_name=_("made within the agreement"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="promises",
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), max_length=4000)
    period = models.CharField(_("period"), max_length=60, help_text=_("For example 2025–2026."))
    published = models.BooleanField(_("published"), default=False)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "public_citizenpromise"
        ordering = ["area__name", "-period", "title"]
        verbose_name = _("citizen promise")
        verbose_name_plural = _("citizen promises")

    def __str__(self) -> str:
        return self.title


class PromiseState(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started yet")
    ON_TRACK = "on_track", _("Going as planned")
    BEHIND = "behind", _("Behind plan")
    KEPT = "kept", _("Kept")
    NOT_KEPT = "not_kept", _("Not kept")


class PromiseProgress(models.Model):
    """A dated account of how a promise is going. ``public_text`` is written for
    residents in plain words and shown on the residents' pages with the state, once the
    promise is published."""

    promise = models.ForeignKey(CitizenPromise, on_delete=models.CASCADE, related_name="progress")
    recorded_on = models.DateField(_("date"))
    state = models.CharField(_("how it is going"), max_length=16, choices=PromiseState.choices)
    public_text = models.CharField(_("for residents, in plain words"), max_length=500)
    internal_note = models.TextField(_("internal note"), max_length=2000, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["promise", "-recorded_on", "-pk"]
        verbose_name = _("progress of a promise")

    def __str__(self) -> str:
        return f"{self.promise_id} {self.recorded_on}"
