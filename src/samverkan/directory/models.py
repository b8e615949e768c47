"""Organisations (each its own secrecy compartment, OSL 8 kap. 1-2 §§), districts and
police-listed vulnerable areas with their classification as dated facts."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
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
    short_code = models.CharField(
        _("short code"), max_length=40, unique=True, validators=[code_validator]
    )
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    municipality = models.CharField(
        _("municipality"),
        max_length=120,
        blank=True,
        help_text=_(
            "For the municipality's own bodies: the municipality they belong to (as the "
            "districts name it). Its staff see the local picture of its districts."
        ),
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

    def clean(self) -> None:
        # The parent chain must end: an organisation may not be its own ancestor.
        seen = {self.pk} if self.pk else set()
        parent = self.parent
        while parent is not None:
            if parent.pk in seen or parent is self:
                raise ValidationError({"parent": _("An organisation cannot be part of itself.")})
            seen.add(parent.pk)
            parent = parent.parent

    def nearest_agency_id(self) -> int | None:
        """This organisation, or its nearest ancestor, of kind agency (e.g. a local
        police area → Polismyndigheten); None when there is none. Reads from this row
        without a query, then one small query per ancestor (at most 10 organisations
        are examined, in case the directory holds a cycle)."""
        org_id: int | None = self.pk
        kind: str = self.kind
        parent_id: int | None = self.parent_id
        for _depth in range(9):  # guard against a cycle in the directory
            if kind == OrganisationKind.AGENCY:
                return org_id
            if parent_id is None:
                return None
            row = Organisation.objects.filter(pk=parent_id).values("pk", "kind", "parent_id").first()
            if row is None:
                return None
            org_id, kind, parent_id = row["pk"], row["kind"], row["parent_id"]
        return org_id if kind == OrganisationKind.AGENCY else None


class District(models.Model):
    """A stadsdelsområde and (optionally) the organisation that administers it."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    code = models.CharField(_("code"), max_length=40, unique=True, validators=[code_validator])
    municipality = models.CharField(_("municipality"), max_length=120, default="Stockholm")
    administration = models.OneToOneField(
        Organisation,
        verbose_name=_("district administration"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="administered_district",
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
        Organisation,
        verbose_name=_("local police area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="policed_areas",
    )
    boundary = models.JSONField(_("boundary (GeoJSON)"), null=True, blank=True)
    centre_lat = models.DecimalField(
        _("centre latitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    centre_lon = models.DecimalField(
        _("centre longitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.boundary is not None:
            problem = geojson_polygon_problem(self.boundary)
            if problem:
                raise ValidationError({"boundary": problem})
        if (self.centre_lat is None) != (self.centre_lon is None):
            raise ValidationError(
                _("Give both latitude and longitude of the centre point, or neither.")
            )


GEOJSON_AREA_TYPES = ("Polygon", "MultiPolygon")


def geojson_polygon_problem(value: Any) -> str | None:
    """Why ``value`` is not a GeoJSON Polygon or MultiPolygon geometry (RFC 7946 §3.1.6-7),
    or None when it is one. Positions are [longitude, latitude] in WGS 84."""
    if not isinstance(value, dict):
        return str(_('The boundary must be a GeoJSON object, e.g. {"type": "Polygon", ...}.'))
    kind = value.get("type")
    if kind not in GEOJSON_AREA_TYPES:
        return str(_("The boundary must be a GeoJSON Polygon or MultiPolygon."))
    coordinates = value.get("coordinates")
    polygons = [coordinates] if kind == "Polygon" else coordinates
    if not isinstance(polygons, list) or not polygons:
        return str(_("The boundary has no coordinates."))
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            return str(_("The boundary's coordinates are not a list of rings."))
        for ring in polygon:
            if not _is_closed_ring(ring):
                return str(
                    _(
                        "Each ring of the boundary needs at least four "
                        "[longitude, latitude] positions, the last equal to the first."
                    )
                )
    return None


def _is_position(point: Any) -> bool:
    if not isinstance(point, list) or len(point) not in (2, 3):
        return False
    if not all(isinstance(c, int | float) and not isinstance(c, bool) for c in point):
        return False
    lon, lat = point[0], point[1]
    return -180 <= lon <= 180 and -90 <= lat <= 90


def _is_closed_ring(ring: Any) -> bool:
    return (
        isinstance(ring, list)
        and len(ring) >= 4
        and all(_is_position(p) for p in ring)
        and ring[0] == ring[-1]
    )


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
    classification = models.CharField(
        _("classification"), max_length=32, choices=Classification.choices
    )
    published_on = models.DateField(_("published"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["area", "-list_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "list_year"], name="one_classification_per_list_year"
            )
        ]
        verbose_name = _("area classification")

    def __str__(self) -> str:
        return f"{self.area_id} {self.list_year} {self.classification}"


# The design system's own header colour: the theme until an administrator picks one.
DEFAULT_PRIMARY_COLOUR = "#0b0c0c"


class Identity(models.Model):
    """The organisation's identity (one row, pk 1): the name, logo, colour and contact
    details shown in the staff and public headers, on letterheads of documents and at the
    foot of e-mails. Edited by a system administrator (directory.services.identity_save);
    read through directory.selectors.identity (cached)."""

    SINGLETON_PK = 1

    name = models.CharField(
        _("name of the organisation"),
        max_length=120,
        help_text=_("For example: Exempelstad municipality. Shown in every header."),
    )
    # Always a PNG re-encoded by directory.logo from an upload's pixels: never the file
    # someone uploaded (no SVG, no metadata, no script).
    logo_png = models.BinaryField(default=b"", blank=True, editable=False)
    primary_colour = models.CharField(
        _("primary colour"),
        max_length=7,
        default=DEFAULT_PRIMARY_COLOUR,
        validators=[
            RegexValidator(
                r"^#[0-9a-fA-F]{6}$",
                _("Enter the colour as # and six hexadecimal digits, for example #1d70b8."),
            )
        ],
    )
    address = models.CharField(_("postal address"), max_length=300, blank=True)
    phone = models.CharField(_("telephone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    is_fictitious = models.BooleanField(
        default=False, help_text="Demo data: an invented organisation (samverkan.demo)."
    )
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="identity_is_a_single_row"),
        ]
        verbose_name = _("identity")

    def __str__(self) -> str:
        return self.name
