"""The case list's name search: a normalised name key on every person record, and on
PostgreSQL a trigram index (pg_trgm, GIN) that serves "contains" searches on it.

The extension and the index are PostgreSQL's: on SQLite (the demo and the tests'
default) the operations do nothing and a plain LIKE over the viewer's few cases serves.
pg_trgm is a trusted extension (PostgreSQL 13+): the database owner that runs migrate
may create it without being a superuser. The index is not in the model state (Django's
indexes cannot be conditional on the database), so makemigrations leaves it alone.
"""

from django.db import migrations, models

from samverkan.lib.text import search_key

INDEX = "person_name_search_trgm"


def fill_name_search(apps, schema_editor):
    person_model = apps.get_model("people", "Person")
    batch = []
    for pk, first, last in person_model.objects.order_by("pk").values_list("pk", "first_name", "last_name").iterator():
        batch.append(person_model(pk=pk, name_search=search_key(f"{first} {last}")))
        if len(batch) >= 2000:
            person_model.objects.bulk_update(batch, ["name_search"])
            batch = []
    if batch:
        person_model.objects.bulk_update(batch, ["name_search"])


def add_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("people", "Person")._meta.db_table)
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON {table} USING gin (name_search gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # The extension stays: another object may use it, and dropping it needs its owner.
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ("people", "0002_person_per_organisation"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="name_search",
            field=models.CharField(blank=True, default="", editable=False, max_length=201),
        ),
        migrations.RunPython(fill_name_search, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(add_trigram_index, drop_trigram_index),
    ]
