from __future__ import annotations

import math
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.directory.logo import logo_reencode
from samverkan.directory.models import (
    Area,
    AreaClassification,
    District,
    Organisation,
    OrganisationKind,
)
from samverkan.frontend.forms import StyledFormMixin, model_choice_field
from samverkan.lib.colours import AA_NORMAL_TEXT, HEX_COLOUR, contrast_ratio


class VersionedModelForm(StyledFormMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class OrganisationForm(VersionedModelForm):
    kind = model_choice_field(Organisation, "kind", empty_label=_("Choose a kind"))
    parent = model_choice_field(Organisation, "parent", empty_label=_("No parent organisation"))

    class Meta:
        model = Organisation
        fields = ["name", "short_code", "kind", "parent", "municipality", "active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parent = self.fields["parent"]
        parent.queryset = Organisation.objects.order_by("name")  # type: ignore[attr-defined]
        if self.instance.pk:
            parent.queryset = parent.queryset.exclude(pk=self.instance.pk)  # type: ignore[attr-defined]


class DistrictForm(VersionedModelForm):
    administration = model_choice_field(
        District, "administration", empty_label=_("No district administration")
    )

    class Meta:
        model = District
        fields = ["name", "code", "municipality", "administration", "active"]


class AreaForm(VersionedModelForm):
    district = model_choice_field(Area, "district", empty_label=_("Choose a district"))
    police_area = model_choice_field(Area, "police_area", empty_label=_("No local police area"))

    class Meta:
        model = Area
        fields = ["name", "code", "district", "police_area", "centre_lat", "centre_lon", "boundary"]
        widgets = {"boundary": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "boundary": _(
                "Optional. A GeoJSON Polygon or MultiPolygon object, e.g. "
                '{"type": "Polygon", "coordinates": [[[17.9, 59.3], ...]]}.'
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        police = self.fields["police_area"]
        police.queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            kind=OrganisationKind.POLICE_AREA
        ).order_by("name")


class ClassificationForm(StyledFormMixin, forms.ModelForm):
    classification = model_choice_field(AreaClassification, "classification", radios=True)

    class Meta:
        model = AreaClassification
        fields = ["list_year", "classification", "published_on", "source"]
        widgets = {"published_on": forms.DateInput(attrs={"type": "date"})}


class IdentityForm(StyledFormMixin, forms.Form):
    """The organisation's identity. The colour must carry white text readably (WCAG 2.1
    AA, 4.5:1): headers draw white text on it. The logo is re-encoded (directory.logo)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(
        label=_("Name of the organisation"),
        max_length=120,
        help_text=_("For example: Exempelstad municipality. Shown in every header."),
        error_messages={"required": _("Enter the name of the organisation.")},
    )
    primary_colour = forms.CharField(
        label=_("Primary colour"),
        max_length=7,
        help_text=_(
            "The colour of the headers, as # and six hexadecimal digits, for example "
            "#1d70b8. White text must be easy to read on it."
        ),
        error_messages={"required": _("Enter the primary colour, for example #1d70b8.")},
    )
    logo = forms.FileField(
        label=_("Logo (optional)"),
        required=False,
        help_text=_("A PNG or JPEG image of at most 1 MB. It is shown at most 800 by 400 pixels."),
        # A plain file input: the stored logo is shown on the page, not as a link.
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)
    address = forms.CharField(label=_("Postal address (optional)"), max_length=300, required=False)
    phone = forms.CharField(label=_("Telephone (optional)"), max_length=40, required=False)
    email = forms.EmailField(
        label=_("E-mail (optional)"),
        required=False,
        error_messages={"invalid": _("Enter an e-mail address like name@example.se.")},
    )
    website = forms.URLField(
        label=_("Website (optional)"),
        required=False,
        assume_scheme="https",
        error_messages={"invalid": _("Enter a web address like https://www.example.se.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.logo_png: bytes | None = None

    def clean_primary_colour(self) -> str:
        value = str(self.cleaned_data["primary_colour"]).strip().lower()
        if not HEX_COLOUR.match(value):
            raise forms.ValidationError(
                _("Enter the colour as # and six hexadecimal digits, for example #1d70b8."),
                code="format",
            )
        ratio = contrast_ratio(value, "#ffffff")
        if ratio < AA_NORMAL_TEXT:
            raise forms.ValidationError(
                _(
                    "White text on %(colour)s has a contrast of only %(ratio)s:1; it must be "
                    "at least 4.5:1 to be easy to read. Choose a darker colour."
                ),
                code="contrast",
                # Rounded down: 4.48 must never read as an acceptable "4.5".
                params={"colour": value, "ratio": f"{math.floor(ratio * 100) / 100:.2f}"},
            )
        return value

    def clean_logo(self) -> Any:
        upload = self.cleaned_data.get("logo")
        if upload:
            self.logo_png = logo_reencode(upload)
        return upload
