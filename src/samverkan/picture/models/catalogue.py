"""The configurable catalogue: incident categories, named places in an area, and which
external organisations (housing companies, public transport, businesses, civil society)
report in which areas."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from samverkan.directory.models import Area, Organisation, code_validator


class Category(models.Model):
    """An incident category (vandalism, graffiti, open drug dealing …). Shipped defaults
    come from picture/reference.py; a system administrator may add, rename or retire
    categories. A retired category keeps its reports."""

    code = models.CharField(_("code"), max_length=40, unique=True, validators=[code_validator])
    name_sv = models.CharField(_("name (Swedish)"), max_length=80)
    name_en = models.CharField(_("name (English)"), max_length=80)
    colour = models.CharField(
        _("colour on the map"), max_length=7, default="#1f5f8b",
        help_text=_("A hex colour such as #1f5f8b."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    active = models.BooleanField(_("in use"), default=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["order", "name_sv"]
        verbose_name = _("incident category")
        verbose_name_plural = _("incident categories")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "sv").startswith("en") else self.name_sv


class Place(models.Model):
    """A named place in an area (a square, a subway entrance, a school yard) that a
    reporter can choose instead of a point on the map."""

    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.CASCADE, related_name="picture_places")
    name = models.CharField(_("name"), max_length=120)
    lat = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=5,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    lon = models.DecimalField(
        _("longitude"), max_digits=8, decimal_places=5,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    active = models.BooleanField(_("in use"), default=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["area__name", "name"]
        constraints = [models.UniqueConstraint(fields=["area", "name"], name="picture_place_unique_name")]
        verbose_name = _("named place")
        verbose_name_plural = _("named places")

    def __str__(self) -> str:
        return self.name


class ReportingArea(models.Model):
    """An external organisation (housing company, public transport, business, civil
    society) reports incidents in this area. The city's and the police's own staff report
    in the areas they see (picture.decision) without a row here."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="picture_reporting_areas"
    )
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.CASCADE, related_name="picture_reporters")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__name", "area__name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "area"], name="picture_reporting_area_unique")
        ]
        verbose_name = _("reporting organisation")
        verbose_name_plural = _("reporting organisations")

    def __str__(self) -> str:
        return f"{self.organisation_id}@{self.area_id}"
