"""frontend.forms.model_choice_field: a model's choice or foreign-key field as a form field
whose empty choice has words, or none when a value is required."""

from __future__ import annotations

import pytest
from django import forms

from samverkan.directory.models import Area, Organisation
from samverkan.frontend.forms import model_choice_field
from samverkan.rostering.models import ExpertLeave, LeaveKind
from samverkan.tips.models import RoutingRule


def test_a_required_choice_as_radios_has_no_empty_choice():
    field = model_choice_field(ExpertLeave, "kind", radios=True)
    assert isinstance(field.widget, forms.RadioSelect) and field.required
    assert [value for value, _label in field.choices] == list(LeaveKind.values)


def test_an_optional_choice_names_its_empty_choice():
    field = model_choice_field(RoutingRule, "topic", empty_label="Every topic")
    assert not field.required
    assert next(iter(field.choices)) == ("", "Every topic")
    assert field.clean("") == ""


@pytest.mark.django_db
def test_a_foreign_key_names_its_empty_choice():
    field = model_choice_field(Area, "district", empty_label="Choose a district")
    assert isinstance(field, forms.ModelChoiceField) and field.required
    assert next(iter(field.choices)) == ("", "Choose a district")
    assert str(field.label) == "District"  # the model's own label, as a ModelForm gives it


def test_an_optional_field_must_name_its_empty_choice():
    with pytest.raises(ValueError, match="may be left empty"):
        model_choice_field(Organisation, "parent")
    with pytest.raises(TypeError):
        model_choice_field(Organisation, "name", empty_label="x")
