"""The coordinating function (lag 2023:196): named coordinators per municipality and
district with their tasks, and the yearly cycle picture → plan → follow-up whose steps
remind the coordinators through the reminders machinery."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samverkan.directory.models import District


class Coordinator(models.Model):
    municipality = models.CharField(_("municipality"), max_length=120)
    district = models.ForeignKey(
        District, verbose_name=_("district"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("coordinator"), on_delete=models.PROTECT,
        related_name="prevention_coordinations",
    )
    tasks = models.TextField(_("tasks"), max_length=2000)
    active = models.BooleanField(_("active"), default=True)
    since = models.DateField(_("since"))
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["municipality", "district__name", "pk"]
        verbose_name = _("crime-prevention coordinator")
        verbose_name_plural = _("crime-prevention coordinators")

    def __str__(self) -> str:
        return f"{self.municipality} {self.district_id or ''} {self.user_id}"


class CycleStepKind(models.TextChoices):
    PICTURE = "picture", _("Update the situation report (lägesbild)")
    PLAN = "plan", _("Decide the prevention plan (åtgärdsplan)")
    FOLLOW_UP = "follow_up", _("Follow up the measures and the agreement")


class CycleStep(models.Model):
    """One step of the yearly cycle for a municipality or district, due on a date;
    ``done_on`` when done. Steps not done by their due date are reminders for the
    scope's coordinators."""

    municipality = models.CharField(_("municipality"), max_length=120)
    district = models.ForeignKey(
        District, verbose_name=_("district"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("step"), max_length=16, choices=CycleStepKind.choices)
    due_on = models.DateField(_("due"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["municipality", "year", "due_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "district", "year", "kind"], name="prevention_one_step_per_year"
            )
        ]
        verbose_name = _("step of the yearly cycle")

    def __str__(self) -> str:
        return f"{self.municipality} {self.year} {self.kind}"
