from django.db import migrations


def install_guard(apps, schema_editor):
    """Re-install the guard: signed minutes and their decisions are now deleted only
    under a retention-purge permit, TRUNCATE is refused and the functions pin their
    search_path (PostgreSQL; docs/adr/0009)."""
    from samverkan.meetings import guard

    guard.install(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0003_immutable_signed_minutes"),
        ("journal", "0002_immutable_signed_notes"),  # the purge permit table
    ]
    operations = [migrations.RunPython(install_guard, migrations.RunPython.noop)]
