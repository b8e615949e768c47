"""The lägesbild (lag 2023:196 4 §): the mapping of crime, its extent and consequences
(statistic tables from the app's own data or imported, each with source and year); other
relevant information; the analysis with causes per prioritised problem; citizen-dialogue
notes; who took part; draft → agreed → decided."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from samverkan.directory.models import Area
from samverkan.prevention.models.common import Scope


class SituationReport(Scope):
    previous = models.OneToOneField(
        "self", verbose_name=_("previous version"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="next_version",
    )
    summary = models.TextField(_("summary"), max_length=8000, blank=True)
    consequences = models.TextField(_("extent and consequences"), max_length=8000, blank=True)
    other_information = models.TextField(_("other relevant information"), max_length=8000, blank=True)
    analysis = models.TextField(_("analysis"), max_length=8000, blank=True)

    class Meta:
        ordering = ["municipality", "district__name", "-period_start", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "district", "period_start", "number"], name="prevention_report_version_unique"
            )
        ]
        verbose_name = _("situation report (lägesbild)")
        verbose_name_plural = _("situation reports (lägesbilder)")

    def __str__(self) -> str:
        return self.title


class StatisticSource(models.TextChoices):
    APP = "app", _("Reports in Samverkan (the local picture)")
    IMPORTED = "imported", _("Entered from another source")


class StatisticTable(models.Model):
    """One table of the mapping: rows of (label, value) with the source and the year. From
    the app's own data (counts of incident reports per category, computed when added and
    then frozen) or entered from e.g. the police's reported-crime counts or a safety
    survey."""

    report = models.ForeignKey(SituationReport, on_delete=models.CASCADE, related_name="tables")
    title = models.CharField(_("title"), max_length=200)
    source_kind = models.CharField(_("kind of source"), max_length=16, choices=StatisticSource.choices)
    source = models.CharField(_("source"), max_length=300)
    year = models.PositiveSmallIntegerField(_("year"))
    unit = models.CharField(_("unit"), max_length=60, blank=True)
    # [{"label": str, "value": number, "previous": number | None}]
    rows = models.JSONField(_("rows"), default=list)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("statistics table")

    def __str__(self) -> str:
        return self.title


class Problem(models.Model):
    """A prioritised problem of the lägesbild with its analysis and causes. Measures of
    the åtgärdsplan and the agreement's priorities name it."""

    report = models.ForeignKey(SituationReport, on_delete=models.CASCADE, related_name="problems")
    priority = models.PositiveSmallIntegerField(_("priority"), default=1)
    title = models.CharField(_("problem"), max_length=200)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    causes = models.TextField(_("causes"), max_length=4000, blank=True)
    areas = models.ManyToManyField(Area, verbose_name=_("areas"), blank=True, related_name="+")

    class Meta:
        ordering = ["report", "priority", "pk"]
        verbose_name = _("prioritised problem")
        verbose_name_plural = _("prioritised problems")

    def __str__(self) -> str:
        return self.title


class CitizenDialogue(models.Model):
    """Notes from a citizen dialogue (medborgardialog) that fed the lägesbild. No names
    of residents: who took part is described in numbers and groups."""

    report = models.ForeignKey(SituationReport, on_delete=models.CASCADE, related_name="dialogues")
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("where"), max_length=200)
    participants = models.CharField(_("who took part"), max_length=300, blank=True)
    notes = models.TextField(_("what we heard"), max_length=6000)

    class Meta:
        ordering = ["held_on", "pk"]
        verbose_name = _("citizen dialogue")

    def __str__(self) -> str:
        return f"{self.held_on} {self.place}"
