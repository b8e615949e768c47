"""Forms of the lägesbild. Every editing form carries the document's version (optimistic
locking, see services.situation). The statistic table form is a plain row editor (label,
value, previous value) that works without JavaScript, plus a box for lines pasted from a
spreadsheet ("label;value" or tab-separated, Swedish decimal comma)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.frontend.forms import StyledFormMixin, VersionedForm, style_form
from samverkan.prevention.services.situation import MAX_ROWS, Row

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NO_NAMES = _("Write about places, groups and numbers, never residents' names or other details that identify a person.")
EXTRA_ROWS = 3




def _year_field(**kwargs: Any) -> forms.IntegerField:
    return forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100, **kwargs)


class NewVersionForm(StyledFormMixin, forms.Form):
    scope = forms.ChoiceField(label=_("Situation report of"))
    title = forms.CharField(label=_("Title"), max_length=200)
    period_start = forms.DateField(label=_("Period from"), widget=DATE_WIDGET)
    period_end = forms.DateField(label=_("Period to"), widget=DATE_WIDGET)
    start = forms.ChoiceField(
        label=_("Start from"), widget=forms.RadioSelect, initial="copy",
        choices=[("copy", _("A copy of the latest agreed or decided version (sections, tables, problems, "
                            "dialogues and participants)")),
                 ("empty", _("An empty document"))],
    )

    def __init__(self, *args: Any, scopes: Sequence[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = list(scopes)  # type: ignore[attr-defined]


class DetailsForm(VersionedForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    period_start = forms.DateField(label=_("Period from"), widget=DATE_WIDGET)
    period_end = forms.DateField(label=_("Period to"), widget=DATE_WIDGET)


SECTION_LABELS = {
    "summary": (_("Summary"), _("The picture in a few paragraphs: what matters most and why.")),
    "consequences": (_("Extent and consequences"),
                     _("How much crime there is, where and when, and what it means for the people who live "
                       "and work here. The tables below hold the figures.")),
    "other_information": (_("Other relevant information"),
                          _("What else matters for the picture: e.g. the schools', social services' and "
                            "businesses' observations, and what residents said.")),
    "analysis": (_("Analysis"), _("What the mapping shows when read together, and the causes behind it. The "
                                  "causes of each prioritised problem are written with the problem.")),
}


class SectionForm(VersionedForm):
    text = forms.CharField(required=False, max_length=8000, widget=forms.Textarea(attrs={"rows": 14}))

    def __init__(self, *args: Any, section: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        label, hint = SECTION_LABELS[section]
        self.fields["text"].label = label
        self.fields["text"].help_text = f"{hint} {NO_NAMES}"


class ParticipantsForm(VersionedForm):
    organisations = forms.TypedMultipleChoiceField(
        label=_("Organisations that took part"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick every organisation that contributed to this situation report."),
    )

    def __init__(self, *args: Any, organisations: Sequence[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisations"].choices = list(organisations)  # type: ignore[attr-defined]


# --- statistic tables ---------------------------------------------------------------------


def parse_number(text: str) -> int | float | None:
    """A figure as Swedish spreadsheets write it: decimal comma, spaces (also no-break) as
    thousands separators, a Unicode minus, an optional per cent sign. Empty: None.
    ValueError for anything else."""
    cleaned = text.strip()
    for char in ("\u00a0", "\u202f", " ", "%"):
        cleaned = cleaned.replace(char, "")
    cleaned = cleaned.replace("\u2212", "-")
    if not cleaned:
        return None
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")  # "1.234,5" as well as "1234,5"
    try:
        number = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    if not number.is_finite():
        raise ValueError(text)
    if number == number.to_integral_value():
        return int(number)
    return float(number)


def parse_pasted(text: str) -> list[Row]:
    """Lines "label;value" or "label;value;previous value" (semicolons, as Swedish Excel
    saves CSV, or tabs, as it copies cells). A first line whose value is not a number is
    taken as the column headings and skipped. ValidationError names the bad line."""
    rows: list[Row] = []
    lines = [line for line in text.splitlines() if line.strip()]
    for number, line in enumerate(lines, start=1):
        parts = [p.strip() for p in (line.split("\t") if "\t" in line else line.split(";"))]
        if len(parts) < 2 or not parts[0]:
            raise ValidationError(_("Line %(n)d: write the label, a semicolon and the value."), params={"n": number},
                                  code="line")
        try:
            value = parse_number(parts[1])
            previous = parse_number(parts[2]) if len(parts) > 2 else None
        except ValueError:
            if number == 1:
                continue  # the headings
            raise ValidationError(_("Line %(n)d: the value is not a number."), params={"n": number},
                                  code="number") from None
        if value is None:
            raise ValidationError(_("Line %(n)d: the value is missing."), params={"n": number}, code="number")
        rows.append(Row(parts[0][:200], value, previous))
    return rows


class TableForm(VersionedForm):
    """An entered table: its description and its rows (``row_count`` row fields, plus a
    box for pasted lines, appended after the rows)."""

    title = forms.CharField(label=_("Title"), max_length=200,
                            help_text=_("For example: Reported crime per type of crime."))
    source = forms.CharField(label=_("Source"), max_length=300,
                             help_text=_("For example: Polisen, anmälda brott; or the city's safety survey."))
    year = _year_field()
    unit = forms.CharField(label=_("Unit (optional)"), max_length=60, required=False,
                           help_text=_("For example: reported crimes, per cent."))
    note = forms.CharField(label=_("Note (optional)"), max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))
    row_count = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=MAX_ROWS)
    pasted = forms.CharField(
        label=_("Paste rows (optional)"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One row per line: the label, a semicolon and the value, optionally a semicolon and the "
                    "previous value (for example: Skadegörelse;1 234,5;1 100). Rows copied from Excel work too. "
                    "They are added after the rows above."),
    )

    def __init__(self, *args: Any, rows: Sequence[dict[str, Any]] = (), extra: int = EXTRA_ROWS,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.is_bound:
            try:
                count = int(self.data.get(self.add_prefix("row_count")) or 0)
            except ValueError:
                count = 0
            count = max(0, min(count, MAX_ROWS))
        else:
            count = min(len(rows) + extra, MAX_ROWS)
            self.initial["row_count"] = count
        self.rows_shown = count
        for i in range(count):
            initial = rows[i] if i < len(rows) else {}
            self.fields[f"row_{i}_label"] = forms.CharField(label=_("Label"), max_length=200, required=False,
                                                            initial=initial.get("label", ""))
            self.fields[f"row_{i}_value"] = forms.CharField(label=_("Value"), max_length=40, required=False,
                                                            initial=_shown(initial.get("value")))
            self.fields[f"row_{i}_previous"] = forms.CharField(label=_("Previous value (optional)"), max_length=40,
                                                               required=False, initial=_shown(initial.get("previous")))
        style_form(self)  # again: the row fields were added after the mixin styled the form

    def row_fields(self) -> list[tuple[Any, Any, Any]]:
        """(label, value, previous) bound fields per row, for the template's table."""
        return [(self[f"row_{i}_label"], self[f"row_{i}_value"], self[f"row_{i}_previous"])
                for i in range(self.rows_shown)]

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        rows: list[Row] = []
        for i in range(self.rows_shown):
            label = (data.get(f"row_{i}_label") or "").strip()
            raw_value, raw_previous = data.get(f"row_{i}_value") or "", data.get(f"row_{i}_previous") or ""
            if not label and not raw_value.strip() and not raw_previous.strip():
                continue
            try:
                value, previous = parse_number(raw_value), parse_number(raw_previous)
            except ValueError:
                self.add_error(f"row_{i}_value", _("Write a number, e.g. 1 234,5."))
                continue
            if not label:
                self.add_error(f"row_{i}_label", _("Write what the value counts."))
            elif value is None:
                self.add_error(f"row_{i}_value", _("Write the value."))
            else:
                rows.append(Row(label, value, previous))
        try:
            rows += parse_pasted(data.get("pasted") or "")
        except ValidationError as exc:
            self.add_error("pasted", exc)
        if len(rows) > MAX_ROWS:
            self.add_error(None, _("A table has at most %(n)d rows.") % {"n": MAX_ROWS})
        self.rows = rows
        return data


def _shown(value: Any) -> str:
    """A stored figure as a Swedish editor writes it (decimal comma)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):  # typed, shown again as typed
        return value
    return str(value).replace(".", ",")


class AppTableForm(VersionedForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    year = _year_field(help_text=_("Reports are counted per week; a week belongs to the year of its Monday. The "
                                   "table also shows the year before."))
    note = forms.CharField(label=_("Note (optional)"), max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year - 1


class AppTableEditForm(VersionedForm):
    """A table from the app's own data keeps its counted rows: only title and note change."""

    title = forms.CharField(label=_("Title"), max_length=200)
    note = forms.CharField(label=_("Note (optional)"), max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))


# --- problems, dialogues, status ----------------------------------------------------------


class ProblemForm(VersionedForm):
    title = forms.CharField(label=_("Problem"), max_length=200,
                            help_text=_("For example: Open drug dealing at the square in the evenings."))
    priority = forms.IntegerField(label=_("Priority"), min_value=1, max_value=99,
                                  help_text=_("1 is the most important."))
    description = forms.CharField(label=_("Description"), required=False, max_length=4000,
                                  widget=forms.Textarea(attrs={"rows": 5}), help_text=NO_NAMES)
    causes = forms.CharField(label=_("Causes"), required=False, max_length=4000,
                             widget=forms.Textarea(attrs={"rows": 5}),
                             help_text=_("The analysis of why the problem arises and persists."))
    areas = forms.TypedMultipleChoiceField(label=_("Areas"), coerce=int, required=False,
                                           widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, areas: Sequence[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["areas"].choices = list(areas)  # type: ignore[attr-defined]


class DialogueForm(VersionedForm):
    held_on = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    place = forms.CharField(label=_("Where"), max_length=200)
    participants = forms.CharField(
        label=_("Who took part"), max_length=300, required=False,
        help_text=_("In numbers and groups, for example: about 40 residents, 12 of them young people; the "
                    "housing company; the police. No residents' names."))
    notes = forms.CharField(label=_("What we heard"), max_length=6000, widget=forms.Textarea(attrs={"rows": 8}),
                            help_text=NO_NAMES)

    def clean_held_on(self) -> Any:
        held_on = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future."))
        return held_on


class AgreeForm(VersionedForm):
    agreed_on = forms.DateField(label=_("Agreed on"), widget=DATE_WIDGET)


class DecideForm(VersionedForm):
    body = forms.CharField(label=_("Deciding body"), max_length=200,
                           help_text=_("For example: Kommunstyrelsen, or the district council."))
    decided_on = forms.DateField(label=_("Decided on"), widget=DATE_WIDGET)
    reference = forms.CharField(label=_("Reference"), max_length=120,
                                help_text=_("The decision's diarienummer or paragraph, e.g. KS 2026/123 § 4."))
