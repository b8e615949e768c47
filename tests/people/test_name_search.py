"""The name key of people.Person: kept by save(), filled for existing rows by the
migration, and the trigram index only on PostgreSQL."""

from __future__ import annotations

import importlib
from datetime import date
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from samverkan.directory.models import Organisation
from samverkan.people.models import Person
from tests.world import reference_data

pytestmark = pytest.mark.django_db

migration = importlib.import_module("samverkan.people.migrations.0003_person_name_search")


def _person(first: str, last: str, serial: int) -> Person:
    reference_data()
    return Person.objects.create(
        organisation=Organisation.objects.get(short_code="sdf-jarva"), identity_number=f"20050101{serial:04d}",
        identity_kind="personnummer", first_name=first, last_name=last, birth_date=date(2005, 1, 1),
        is_fictitious=True,
    )


def test_the_migration_fills_the_key_of_existing_rows():
    people = [_person("Åsa", "Öberg", 1), _person("Noah", "Lindé", 2)]
    Person.objects.update(name_search="")  # as before the migration
    migration.fill_name_search(apps, None)
    assert dict(Person.objects.filter(pk__in=[p.pk for p in people]).values_list("first_name", "name_search")) == {
        "Åsa": "asa oberg", "Noah": "noah linde"}


def test_the_trigram_index_is_postgresql_only():
    executed: list[str] = []
    editor = SimpleNamespace(connection=SimpleNamespace(vendor="sqlite"), execute=executed.append,
                             quote_name=connection.ops.quote_name)
    migration.add_trigram_index(apps, editor)
    migration.drop_trigram_index(apps, editor)
    assert executed == []
    editor.connection.vendor = "postgresql"
    migration.add_trigram_index(apps, editor)
    assert executed[0] == "CREATE EXTENSION IF NOT EXISTS pg_trgm"
    assert "USING gin (name_search gin_trgm_ops)" in executed[1]
    if connection.vendor == "postgresql":  # the migrated test database has it
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", [migration.INDEX])
            assert cursor.fetchone() is not None
