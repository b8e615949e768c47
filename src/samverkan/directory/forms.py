from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.directory.models import (
    Area,
    AreaClassification,
    District,
    Organisation,
    OrganisationKind,
)
from samverkan.frontend.forms import StyledFormMixin


class VersionedModelForm(StyledFormMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class OrganisationForm(VersionedModelForm):
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
    class Meta:
        model = District
        fields = ["name", "code", "municipality", "administration", "active"]


class AreaForm(VersionedModelForm):
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
    class Meta:
        model = AreaClassification
        fields = ["list_year", "classification", "published_on", "source"]
        widgets = {"published_on": forms.DateInput(attrs={"type": "date"})}
