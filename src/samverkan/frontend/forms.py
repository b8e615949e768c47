"""Form rendering in the design system's markup (labels, hints, error messages)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models

from samverkan.lib.concurrency import show_conflict
from samverkan.lib.params import whole_number

_CLASSES = {
    forms.Select: "govuk-select",
    forms.SelectMultiple: "govuk-select",
    forms.Textarea: "govuk-textarea",
    forms.CheckboxInput: "govuk-checkboxes__input",
    forms.FileInput: "govuk-file-upload",
}


def style_form(form: forms.BaseForm) -> forms.BaseForm:
    """Add GOV.UK Frontend classes and aria attributes to every widget of ``form``."""
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect | forms.HiddenInput):
            continue
        css = next((c for w, c in _CLASSES.items() if isinstance(widget, w)), "govuk-input")
        auto_id = form[name].auto_id
        described = [f"{auto_id}_helptext"] if field.help_text else []
        validated_errors = getattr(form, "_errors", None)  # set once the form has been validated
        if form.is_bound and validated_errors is not None and name in validated_errors:
            css += f" {css.split()[0]}--error"
            described.append(f"{auto_id}_error")
        if described:
            widget.attrs["aria-describedby"] = " ".join(described)
        widget.attrs["class"] = css
    return form


def model_choice_field(
    model: type[models.Model],
    name: str,
    *,
    empty_label: Any = None,
    radios: bool = False,
    **kwargs: Any,
) -> forms.Field:
    """The form field a ModelForm makes of the choice or foreign-key field ``name`` of
    ``model`` (its label, help text, requiredness), but without Django's "---------": the
    empty choice reads ``empty_label`` ("Choose an organisation", "No successor"), or there
    is none (``None``: a required field, best shown as ``radios`` for a handful of choices,
    none of them ticked until the person chooses). tests/architecture/test_form_choices.py
    holds every form to this."""
    model_field = model._meta.get_field(name)
    if not isinstance(model_field, models.Field):
        raise TypeError(f"{model.__name__}.{name} is not a field of its own.")
    if radios:
        kwargs["widget"] = forms.RadioSelect
    field = model_field.formfield(**kwargs)
    if field is None:
        raise TypeError(f"{model.__name__}.{name} has no form field.")
    if empty_label is None and not field.required:
        raise ValueError(f"{model.__name__}.{name} may be left empty: name its empty choice.")
    if isinstance(field, forms.ModelChoiceField):
        field.empty_label = empty_label
    elif isinstance(field, forms.ChoiceField):
        choices = [c for c in model_field.choices or [] if c[0] != ""]
        field.choices = [("", empty_label), *choices] if empty_label is not None else choices
    else:
        raise TypeError(f"{model.__name__}.{name} is not a choice or foreign-key field.")
    return field


class StyledFormMixin:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)  # type: ignore[arg-type]

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        style_form(self)  # type: ignore[arg-type]


class VersionedForm(StyledFormMixin, forms.Form):
    """Carries the version of the record the editor loaded (optimistic locking,
    lib.concurrency); alone it is the confirmation of a step (closing, removing, signing).
    A save that met StaleEdit calls ``show_conflict``: the editor's input is kept, the page
    says what happened and answers 409."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def show_conflict(self, current_version: int | None) -> int:
        return show_conflict(self, current_version)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField over integer ids for forms bound to a query string.

    A value that is not an id written in ASCII digits, or too large for an id column, is
    "not one of the choices" before any query is made: Django's ``in`` lookup (unlike
    ``exact``) passes such a number on, and SQLite refuses to bind it (a server error).
    """

    def _check_values(self, value: Any) -> Any:
        for pk in value:
            if not isinstance(pk, int) and whole_number(str(pk), minimum=0) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)  # type: ignore[misc]
