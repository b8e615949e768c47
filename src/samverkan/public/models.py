"""Content for the public pages that the area-track models do not hold."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from samverkan.directory.models import Area


class CitizenPromise(models.Model):
    """A medborgarlöfte: what the police and the city promise the residents of an area
    for a period. Shown on the public area page once published."""

    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.CASCADE, related_name="citizen_promises"
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), max_length=4000)
    period = models.CharField(_("period"), max_length=60, help_text=_("For example 2025–2026."))
    published = models.BooleanField(_("published"), default=False)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["area__name", "-period", "title"]
        verbose_name = _("citizen promise")
        verbose_name_plural = _("citizen promises")

    def __str__(self) -> str:
        return self.title
