"""Forms of the catalogue pages (system administrators)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from samverkan.directory.models import Organisation
from samverkan.picture.models import Category, Place

_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Enter a colour as # and six hex digits, such as #1f5f8b."))


class CategoryForm(forms.ModelForm):
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Category
        fields = ["code", "name_sv", "name_en", "colour", "order", "active"]
        help_texts = {
            "code": _("Lower-case letters, digits and hyphens; fixed once the category exists."),
            "active": _("Untick to retire the category: it is no longer offered, and its reports are kept."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["colour"].validators.append(_colour)
        self.fields["colour"].widget = forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10"})
        if self.instance.pk is not None:
            del self.fields["code"]  # fixed: reports and counts refer to it
        for name in ("name_sv", "name_en"):
            self.fields[name].widget.attrs["class"] = "govuk-input"


class PlaceForm(forms.ModelForm):
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Place
        fields = ["name", "lat", "lon", "active"]
        help_texts = {
            "lat": _("Decimal degrees (WGS 84), such as 59.38917."),
            "lon": _("Decimal degrees (WGS 84), such as 17.92806."),
            "active": _("Untick to stop offering the place; reports that name it keep it."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["class"] = "govuk-input"
        for name in ("lat", "lon"):
            self.fields[name].widget.attrs["class"] = "govuk-input govuk-input--width-10"


class ReporterForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(),
        empty_label=_("Choose an organisation"), widget=forms.Select(attrs={"class": "govuk-select"}),
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["organisation"]
        field.queryset = organisations


class ConfirmForm(forms.Form):
    """An explicit "yes" (the button's value) for a removal."""

    confirm = forms.BooleanField(widget=forms.HiddenInput, initial=True)
