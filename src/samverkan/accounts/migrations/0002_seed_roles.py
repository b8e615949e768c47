"""Load the shipped roles and their default permissions (roles are data)."""

from django.db import migrations


def seed_roles(apps, schema_editor):
    from samverkan.access.roles import DEFAULT_PERMISSIONS

    role_model = apps.get_model("accounts", "Role")
    for code, permissions in DEFAULT_PERMISSIONS.items():
        role_model.objects.update_or_create(
            code=code.value, defaults={"permissions": sorted(p.value for p in permissions)}
        )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(seed_roles, migrations.RunPython.noop)]
