"""The åtgärdsplan: measures, each naming the problem of the lägesbild it addresses,
with a responsible organisation, timeline, resources and an indicator (baseline,
target); progress per measure over time."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from samverkan.directory.models import Organisation
from samverkan.prevention.models.common import Scope
from samverkan.prevention.models.situation import Problem, SituationReport


class PreventionPlan(Scope):
    situation_report = models.ForeignKey(
        SituationReport, verbose_name=_("based on the situation report"), on_delete=models.PROTECT,
        related_name="plans",
    )
    previous = models.OneToOneField(
        "self", verbose_name=_("previous version"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="next_version",
    )
    summary = models.TextField(_("summary"), max_length=8000, blank=True)

    class Meta:
        ordering = ["municipality", "district__name", "-period_start", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "district", "period_start", "number"], name="prevention_plan_version_unique"
            )
        ]
        verbose_name = _("prevention plan (åtgärdsplan)")
        verbose_name_plural = _("prevention plans (åtgärdsplaner)")

    def __str__(self) -> str:
        return self.title


class MeasureStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ONGOING = "ongoing", _("Ongoing")
    DONE = "done", _("Done")
    DELAYED = "delayed", _("Delayed")
    STOPPED = "stopped", _("Stopped")


class Measure(models.Model):
    plan = models.ForeignKey(PreventionPlan, on_delete=models.CASCADE, related_name="measures")
    problem = models.ForeignKey(
        Problem, verbose_name=_("the problem it addresses"), on_delete=models.PROTECT, related_name="measures"
    )
    title = models.CharField(_("measure"), max_length=200)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("responsible organisation"), on_delete=models.PROTECT, related_name="+"
    )
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    resources = models.CharField(_("resources"), max_length=300, blank=True)
    indicator = models.CharField(_("indicator"), max_length=200)
    indicator_unit = models.CharField(_("unit"), max_length=60, blank=True)
    baseline = models.DecimalField(_("baseline"), max_digits=12, decimal_places=2)
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2)
    status = models.CharField(_("status"), max_length=16, choices=MeasureStatus.choices, default=MeasureStatus.PLANNED)
    # Shown on the residents' pages (top measures), in plain words.
    public = models.BooleanField(_("show on the residents' pages"), default=False)
    public_summary = models.CharField(_("in plain words for residents"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=100)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["plan", "order", "pk"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The measure must end after it starts.")})
        if self.public and not self.public_summary:
            raise ValidationError({"public_summary": _("Write what residents will see, in plain words.")})

    def share_of_target(self, value: Decimal | None) -> float | None:
        """How far ``value`` has moved from the baseline toward the target (0 = baseline,
        1 = target reached); None without a value or when baseline equals target."""
        if value is None or self.target == self.baseline:
            return None
        return float((value - self.baseline) / (self.target - self.baseline))


class MeasureProgress(models.Model):
    """A dated follow-up of one measure: its status, what was done, and the indicator's
    value then."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="progress")
    recorded_on = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=16, choices=MeasureStatus.choices)
    note = models.TextField(_("what was done"), max_length=4000, blank=True)
    indicator_value = models.DecimalField(
        _("indicator value"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["measure", "recorded_on", "pk"]
        verbose_name = _("progress of a measure")

    def __str__(self) -> str:
        return f"{self.measure_id} {self.recorded_on}"
