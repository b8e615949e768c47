"""The police presence an agreement promises per area (e.g. community police officers,
hours of foot patrol per week) against what the police report week by week."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samverkan.agreement.models.agreements import Agreement
from samverkan.directory.models import Area


class PresencePromise(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="presence_promises")
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="+")
    what = models.CharField(
        _("what is promised"), max_length=200, help_text=_("For example: community police officers.")
    )
    unit = models.CharField(_("unit"), max_length=60, help_text=_("For example: officers, hours per week."))
    per_week = models.DecimalField(_("promised per week"), max_digits=8, decimal_places=1)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["agreement", "area__name", "pk"]
        verbose_name = _("promised police presence")

    def __str__(self) -> str:
        return self.what


class PresenceReport(models.Model):
    promise = models.ForeignKey(PresencePromise, on_delete=models.CASCADE, related_name="reports")
    week_start = models.DateField(_("week"))
    value = models.DecimalField(_("reported"), max_digits=8, decimal_places=1)
    note = models.CharField(_("note"), max_length=300, blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)  # optimistic locking: a week's figure is corrected in place

    class Meta:
        ordering = ["promise", "-week_start"]
        constraints = [
            models.UniqueConstraint(fields=["promise", "week_start"], name="agreement_one_presence_report_per_week")
        ]
        verbose_name = _("reported police presence")

    def __str__(self) -> str:
        return f"{self.promise_id} {self.week_start}"
