"""A service's ValidationError on the calling form (lib.form_errors)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from samverkan.lib.form_errors import apply_validation_error


class _Form(forms.Form):
    title = forms.CharField()
    due_on = forms.DateField(required=False)


def _valid_form() -> _Form:
    form = _Form({"title": "Mål", "due_on": ""})
    assert form.is_valid()
    return form


def test_field_messages_go_on_their_fields_the_rest_on_the_form():
    form = _valid_form()
    apply_validation_error(
        form,
        ValidationError({"title": ["För kort.", "Finns redan."], "status": "Välj en status.", "__all__": "Fel."}),
    )
    assert form.errors["title"] == ["För kort.", "Finns redan."]
    assert form.non_field_errors() == ["Välj en status.", "Fel."]
    assert "title" not in form.cleaned_data  # Django drops the field's cleaned value


def test_a_message_without_a_field_goes_on_the_form_with_its_code():
    form = _valid_form()
    apply_validation_error(form, ValidationError("Planen är tom.", code="empty"))
    assert form.non_field_errors() == ["Planen är tom."]
    assert form.non_field_errors().as_data()[0].code == "empty"
    form = _valid_form()
    apply_validation_error(form, ValidationError(["Ett.", "Två."]))
    assert form.non_field_errors() == ["Ett.", "Två."]


def test_rename_maps_a_service_field_to_the_forms():
    form = _valid_form()
    apply_validation_error(form, ValidationError({"valid_to": "Före start."}), rename={"valid_to": "due_on"})
    assert form.errors["due_on"] == ["Före start."]
