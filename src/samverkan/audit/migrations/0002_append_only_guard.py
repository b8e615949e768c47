from django.db import migrations


def install_guard(apps, schema_editor):
    from samverkan.audit import guard

    guard.install(schema_editor.connection)
    head = apps.get_model("audit", "AuditChainHead")
    head.objects.get_or_create(id=1, defaults={"last_seq": 0, "last_hash": "0" * 64})


def remove_guard(apps, schema_editor):
    from samverkan.audit import guard

    guard.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(install_guard, remove_guard)]
