"""The report form (phone first: large radio buttons, native date and time pickers) and
the withdrawal confirmation. The service decides what is allowed; the form only offers
what the person may choose and turns the input into Python values."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.directory.models import Area
from samverkan.picture.models import Category, Place
from samverkan.picture.models.reports import TEXT_MAX

PHOTO_ACCEPT = "image/jpeg,image/png"


class ReportForm(forms.Form):
    area = forms.ModelChoiceField(
        label=_("Area"), queryset=Area.objects.none(), empty_label=None, widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose one of the areas you report in.")},
    )
    category = forms.ModelChoiceField(
        label=_("What happened?"), queryset=Category.objects.none(), empty_label=None, widget=forms.RadioSelect,
        error_messages={"required": _("Choose what happened."),
                        "invalid_choice": _("Choose one of the categories in use.")},
    )
    place = forms.TypedChoiceField(
        label=_("Named place"), required=False, coerce=int, empty_value=None,
        help_text=_("Choose a named place, or tap the map. With neither, the report is placed at the area's centre."),
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )
    lat = forms.DecimalField(required=False, max_digits=10, decimal_places=7, min_value=-90, max_value=90,
                             widget=forms.HiddenInput)
    lon = forms.DecimalField(required=False, max_digits=10, decimal_places=7, min_value=-180, max_value=180,
                             widget=forms.HiddenInput)
    when_date = forms.DateField(label=_("Date"), widget=forms.DateInput(
        attrs={"type": "date", "class": "govuk-input govuk-input--width-10"}, format="%Y-%m-%d"))
    when_time = forms.TimeField(label=_("Time"), widget=forms.TimeInput(
        attrs={"type": "time", "class": "govuk-input govuk-input--width-5"}, format="%H:%M"))
    text = forms.CharField(
        label=_("Short description (optional)"), required=False, max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": TEXT_MAX, "class": "govuk-textarea",
                                     "aria-describedby": "id_text_helptext"}),
        help_text=_("Describe the place and what happened. Incidents are about places, not people: "
                    "do not write names or identity numbers."),
    )
    photo = forms.FileField(
        label=_("Photo (optional)"), required=False,
        widget=forms.FileInput(attrs={"accept": PHOTO_ACCEPT, "class": "govuk-file-upload",
                                      "aria-describedby": "id_photo_helptext"}),
        help_text=_("A JPEG or PNG photo of the place. Avoid people's faces and number plates."),
    )
    no_names = forms.BooleanField(label=_("I have not named anyone"), required=False,
                                  widget=forms.CheckboxInput(attrs={"class": "govuk-checkboxes__input"}))

    def __init__(self, *args: Any, areas: list[Area], categories: list[Category], places: list[Place],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._places = {p.pk: p for p in places}
        area_field: Any = self.fields["area"]
        area_field.queryset = Area.objects.filter(pk__in=[a.pk for a in areas]).order_by("name")
        category_field: Any = self.fields["category"]
        category_field.queryset = Category.objects.filter(pk__in=[c.pk for c in categories]).order_by(
            "order", "name_sv")
        grouped: list[Any] = [("", _("No named place"))]
        if len(areas) == 1:
            grouped.extend((p.pk, p.name) for p in places)
        else:
            for area in areas:
                options = [(p.pk, p.name) for p in places if p.area_id == area.pk]
                if options:
                    grouped.append((area.name, options))
        self.single_area = len(areas) == 1
        place_field: Any = self.fields["place"]
        place_field.choices = grouped
        if len(areas) == 1 and not self.is_bound:
            self.initial.setdefault("area", areas[0].pk)
        if not self.is_bound:
            now = timezone.localtime()
            self.initial.setdefault("when_date", now.date())
            self.initial.setdefault("when_time", now.time().replace(second=0, microsecond=0))

    @property
    def asks_no_names(self) -> bool:
        """The "I have not named anyone" box is shown once the name check warned."""
        return self.has_error("no_names") or bool(self.data.get("no_names"))

    def clean_place(self) -> Place | None:
        pk = self.cleaned_data.get("place")
        return self._places.get(pk) if pk is not None else None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, time = data.get("when_date"), data.get("when_time")
        if day is not None and time is not None:
            data["occurred_at"] = timezone.make_aware(datetime.combine(day, time))
        if (data.get("lat") is None) != (data.get("lon") is None):
            data["lat"] = data["lon"] = None  # half a point is no point
        return data


class WithdrawForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
