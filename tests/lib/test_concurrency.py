"""The shared conflict handling: input kept, stored version carried, 409."""

from __future__ import annotations

import pytest
from django import forms
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from samverkan.directory.models import Organisation
from samverkan.lib.concurrency import (
    ANY_VERSION,
    CONFLICT_STATUS,
    STALE_KEPT,
    StaleEdit,
    save_versioned,
    show_conflict,
    stored_version,
    update_versioned,
)
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


@pytest.mark.django_db
def test_update_versioned_writes_and_bumps_the_version_in_one_query():
    org = OrganisationFactory(name="Före")
    with CaptureQueriesContext(connection) as queries:
        update_versioned(Organisation, pk=org.pk, version=org.version, name="Efter")
    assert len(queries) == 1
    org.refresh_from_db()
    assert (org.name, org.version) == ("Efter", 2)


@pytest.mark.django_db
def test_update_versioned_refuses_a_stale_or_missing_version_and_writes_nothing():
    org = OrganisationFactory(name="Före")
    Organisation.objects.filter(pk=org.pk).update(version=3)  # someone else saved
    for version in (1, None):
        with pytest.raises(StaleEdit):
            update_versioned(Organisation, pk=org.pk, version=version, name="Efter")
    org.refresh_from_db()
    assert (org.name, org.version) == ("Före", 3)


@pytest.mark.django_db
def test_update_versioned_keeps_the_querysets_conditions():
    org = OrganisationFactory(name="Före", active=False)
    with pytest.raises(StaleEdit):  # the version matches, the condition does not
        update_versioned(Organisation.objects.filter(active=True), pk=org.pk, version=1, name="Efter")
    update_versioned(Organisation.objects.filter(active=False), pk=org.pk, version=1, name="Efter")
    org.refresh_from_db()
    assert (org.name, org.version) == ("Efter", 2)


@pytest.mark.django_db
def test_any_version_skips_only_the_version_comparison():
    org = OrganisationFactory(name="Före")
    Organisation.objects.filter(pk=org.pk).update(version=5)
    update_versioned(Organisation, pk=org.pk, version=ANY_VERSION, name="Efter")
    org.refresh_from_db()
    assert (org.name, org.version) == ("Efter", 6)
    with pytest.raises(StaleEdit):  # a row that is gone is still stale
        update_versioned(Organisation, pk=org.pk + 1000, version=ANY_VERSION, name="X")


@pytest.mark.django_db
def test_save_versioned_writes_the_instance_and_reloads_it():
    org = OrganisationFactory(name="Före")
    other = Organisation.objects.get(pk=org.pk)
    org.name, org.short_code = "Efter", "EFT"
    assert save_versioned(instance=org, expected_version=1, fields=["name"]) is org
    assert (org.name, org.version) == ("Efter", 2)
    assert org.short_code != "EFT"  # only the named fields are written; reloaded
    other.name = "Annan"
    with pytest.raises(StaleEdit):  # loaded at version 1, now 2
        save_versioned(instance=other, expected_version=1)
    assert Organisation.objects.get(pk=org.pk).name == "Efter"
    other.version = 2
    save_versioned(instance=other, expected_version=2)  # every field by default
    assert (Organisation.objects.get(pk=org.pk).name, other.version) == ("Annan", 3)
