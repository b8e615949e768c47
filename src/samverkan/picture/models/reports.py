"""Incident reports and their weekly counts.

A report is about a place and an event, never a person: its text is checked for
identity numbers (refused) and names (a warning) by picture.services.reports. Its week is
the ISO week (Monday) of when it happened, stored so the weekly picture reads one index
range. ``WeekCount`` keeps the number of reports per area, week, category and source,
written in the same transaction as the report, so the comparison with the previous 4
and 52 weeks reads at most a few hundred small rows whatever the number of reports.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from samverkan.directory.models import Area, Organisation, OrganisationKind
from samverkan.picture.models.catalogue import Category, Place

TEXT_MAX = 500


def week_start_of(moment: date | datetime) -> date:
    """The Monday of the ISO week ``moment`` falls in (local date for a datetime)."""
    day = moment.date() if isinstance(moment, datetime) else moment
    return day - timedelta(days=day.weekday())


class ReportStatus(models.TextChoices):
    ACTIVE = "active", _("Reported")
    WITHDRAWN = "withdrawn", _("Withdrawn by the reporter")


class IncidentReport(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="picture_reports")
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="reports"
    )
    place = models.ForeignKey(
        Place, verbose_name=_("named place"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="reports",
    )
    # The point on the map (WGS 84); a named place's point when one was chosen.
    lat = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=5,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    lon = models.DecimalField(
        _("longitude"), max_digits=8, decimal_places=5,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    occurred_at = models.DateTimeField(_("when it happened"))
    week_start = models.DateField(_("week"), editable=False)
    text = models.TextField(_("short description"), max_length=TEXT_MAX, blank=True)
    photo = models.FileField(_("photo"), upload_to="picture/%Y/%m/", null=True, blank=True)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("reporting organisation"), on_delete=models.PROTECT,
        related_name="picture_reports",
    )
    # The reporting organisation's kind when reported (the "source" the picture filters by).
    source_kind = models.CharField(_("source"), max_length=32, choices=OrganisationKind.choices)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reported by"), null=True, on_delete=models.SET_NULL,
        related_name="picture_reports",
    )
    status = models.CharField(_("status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            # The week's picture of an area (and of a district's areas), newest first.
            models.Index(fields=["area", "week_start", "-occurred_at"], name="picture_report_area_week"),
            # An external reporter's own reports.
            models.Index(fields=["reporter", "-created_at"], name="picture_report_reporter"),
        ]
        verbose_name = _("incident report")
        verbose_name_plural = _("incident reports")

    def __str__(self) -> str:
        return str(self.public_id)

    def save(self, *args: object, **kwargs: object) -> None:
        self.week_start = week_start_of(self.occurred_at)
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class WeekCount(models.Model):
    """Active reports per area, ISO week, category and source (kept by the report
    services in the same transaction; ``samverkan picture_recount`` rebuilds it)."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")
    week_start = models.DateField()
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="+")
    source_kind = models.CharField(max_length=32, choices=OrganisationKind.choices)
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["area", "week_start", "category", "source_kind"], name="picture_week_count_unique"
            )
        ]
        indexes = [models.Index(fields=["area", "week_start"], name="picture_week_count_area_week")]

    def __str__(self) -> str:
        return f"{self.area_id} {self.week_start} {self.category_id} {self.source_kind}: {self.count}"
