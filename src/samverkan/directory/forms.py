from __future__ import annotations

from django import forms

from samverkan.directory.models import Area, AreaClassification, District, Organisation
from samverkan.frontend.forms import StyledFormMixin


class VersionedModelForm(StyledFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class OrganisationForm(VersionedModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "short_code", "kind", "parent", "active"]


class DistrictForm(VersionedModelForm):
    class Meta:
        model = District
        fields = ["name", "code", "municipality", "administration", "active"]


class AreaForm(VersionedModelForm):
    class Meta:
        model = Area
        fields = ["name", "code", "district", "police_area", "centre_lat", "centre_lon", "boundary"]
        widgets = {"boundary": forms.Textarea(attrs={"rows": 4})}


class ClassificationForm(StyledFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = AreaClassification
        fields = ["list_year", "classification", "published_on", "source"]
        widgets = {"published_on": forms.DateInput(attrs={"type": "date"})}
