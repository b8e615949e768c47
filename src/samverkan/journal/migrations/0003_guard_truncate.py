from django.db import migrations


def install_guard(apps, schema_editor):
    """Re-install the guard: it now also refuses TRUNCATE, and its function pins its
    search_path (PostgreSQL; docs/adr/0009)."""
    from samverkan.journal import guard

    guard.install(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("journal", "0002_immutable_signed_notes")]
    operations = [migrations.RunPython(install_guard, migrations.RunPython.noop)]
