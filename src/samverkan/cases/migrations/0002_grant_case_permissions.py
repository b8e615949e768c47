"""Grant the individual-track permissions to the shipped roles (existing installations)."""

from django.db import migrations


def grant(apps, schema_editor):
    from samverkan.access.roles import INDIVIDUAL_TRACK_PERMISSIONS

    role_model = apps.get_model("accounts", "Role")
    for code, permissions in INDIVIDUAL_TRACK_PERMISSIONS.items():
        role = role_model.objects.filter(code=code.value).first()
        if role is None:
            continue
        role.permissions = sorted(set(role.permissions) | {p.value for p in permissions})
        role.save(update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial"), ("accounts", "0002_seed_roles")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
