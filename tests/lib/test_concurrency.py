"""The shared conflict handling: input kept, stored version carried, 409."""

from __future__ import annotations

import pytest
from django import forms
from django.http import QueryDict

from samverkan.lib.concurrency import CONFLICT_STATUS, STALE_KEPT, show_conflict, stored_version
from tests.factories import OrganisationFactory


class _Form(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    text = forms.CharField()


def test_conflict_keeps_the_input_and_carries_the_stored_version():
    form = _Form(QueryDict("version=3&text=Mitt", mutable=False), prefix=None)
    assert form.is_valid()
    assert show_conflict(form, 5) == CONFLICT_STATUS == 409
    assert form.data["text"] == "Mitt" and form.data["version"] == "5"
    assert form["version"].value() == "5"  # what the re-rendered hidden field carries
    assert form.non_field_errors() == [str(STALE_KEPT)]


def test_prefixed_field_and_custom_message():
    form = _Form({"s-version": "1", "s-text": "x"}, prefix="s")
    form.is_valid()
    show_conflict(form, 2, message="Ändrat")
    assert form.data == {"s-version": "2", "s-text": "x"}
    assert form.non_field_errors() == ["Ändrat"]


def test_a_record_that_is_gone_leaves_the_version_alone():
    form = _Form({"version": "1", "text": "x"})
    form.is_valid()
    assert show_conflict(form, None) == 409
    assert form.data["version"] == "1" and form.non_field_errors()


@pytest.mark.django_db
def test_stored_version_reads_the_database_not_the_instance():
    org = OrganisationFactory()
    assert stored_version(type(org)()) is None  # never saved
    type(org).objects.filter(pk=org.pk).update(version=7)
    assert org.version != 7 and stored_version(org) == 7
    type(org).objects.filter(pk=org.pk).delete()  # removed by someone else
    assert org.pk is not None and stored_version(org) is None
