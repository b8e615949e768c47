"""Organisations (each its own secrecy compartment, OSL 8 kap. 1–2 §§), districts and
police-listed vulnerable areas with their classification as dated facts."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    AGENCY = "agency", _("State agency")
    MUNICIPAL = "municipal", _("Municipal committee or administration")
    DISTRICT_ADMINISTRATION = "district_administration", _("District administration")
    POLICE_AREA = "police_area", _("Local police area")
    POLICE_REGION = "police_region", _("Police region")
    REGION = "region", _("Region")
    SCHOOL = "school", _("School")
    HOUSING = "housing", _("Housing company")
    NGO = "ngo", _("Non-governmental organisation")
    BUSINESS = "business", _("Business")
    OTHER_PUBLIC = "other_public", _("Other public body")


code_validator = RegexValidator(
    r"^[a-z0-9][a-z0-9-]{1,39}$", _("Use 2–40 lower-case letters, digits and hyphens.")
)


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    short_code = models.CharField(_("short code"), max_length=40, unique=True, validators=[code_validator])
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent organisation"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    active = models.BooleanField(_("active"), default=True)
    is_reference = models.BooleanField(
        default=False, help_text="Loaded from the shipped reference data (load_reference_data)."
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class District(models.Model):
    """A stadsdelsområde and (optionally) the organisation that administers it."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    code = models.CharField(_("code"), max_length=40, unique=True, validators=[code_validator])
    municipality = models.CharField(_("municipality"), max_length=120, default="Stockholm")
    administration = models.OneToOneField(
        Organisation, verbose_name=_("district administration"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="administered_district",
    )
    active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self) -> str:
        return self.name


class Area(models.Model):
    """A police-listed vulnerable area. Its classification is stored per list year."""

    name = models.CharField(_("name"), max_length=120)
    code = models.CharField(_("code"), max_length=40, unique=True, validators=[code_validator])
    district = models.ForeignKey(
        District, verbose_name=_("district"), on_delete=models.PROTECT, related_name="areas"
    )
    police_area = models.ForeignKey(
        Organisation, verbose_name=_("local police area"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="policed_areas",
    )
    boundary = models.JSONField(_("boundary (GeoJSON)"), null=True, blank=True)
    centre_lat = models.DecimalField(
        _("centre latitude"), max_digits=8, decimal_places=5, null=True, blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    centre_lon = models.DecimalField(
        _("centre longitude"), max_digits=8, decimal_places=5, null=True, blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")

    def __str__(self) -> str:
        return self.name


class Classification(models.TextChoices):
    VULNERABLE = "vulnerable", _("Vulnerable area")
    RISK = "risk", _("Risk area")
    PARTICULARLY_VULNERABLE = "particularly_vulnerable", _("Particularly vulnerable area")
    NOT_LISTED = "not_listed", _("Not listed")


class AreaClassification(models.Model):
    """The police's classification of an area in one list year (a dated fact)."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="classifications")
    list_year = models.PositiveSmallIntegerField(
        _("list year"), validators=[MinValueValidator(2015), MaxValueValidator(2100)]
    )
    classification = models.CharField(_("classification"), max_length=32, choices=Classification.choices)
    published_on = models.DateField(_("published"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["area", "-list_year"]
        constraints = [
            models.UniqueConstraint(fields=["area", "list_year"], name="one_classification_per_list_year")
        ]
        verbose_name = _("area classification")

    def __str__(self) -> str:
        return f"{self.area_id} {self.list_year} {self.classification}"
