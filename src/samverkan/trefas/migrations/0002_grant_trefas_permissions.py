"""The jurist role and the Trefas permissions for the shipped roles on existing
installations (fresh installs get them from access.roles.DEFAULT_PERMISSIONS). Values
are written out here so the migration does not change when the code does."""

from django.db import migrations

GRANTS = {
    "caseworker": ["trefas:forum:view", "trefas:listing:manage", "trefas:share:propose",
                   "trefas:incident:manage", "trefas:release:manage"],
    "coordinator": ["trefas:forum:view", "trefas:listing:manage", "trefas:share:propose",
                    "trefas:incident:manage", "trefas:release:manage", "trefas:meeting:manage"],
    "jurist": ["directory:organisation:view", "trefas:forum:view", "trefas:share:review",
               "organisation:disclosure:view"],
    "system_admin": ["system:trefas_forum:manage"],
}


def grant(apps, schema_editor):
    role_model = apps.get_model("accounts", "Role")
    for code, permissions in GRANTS.items():
        role, _created = role_model.objects.get_or_create(code=code, defaults={"permissions": []})
        role.permissions = sorted(set(role.permissions) | set(permissions))
        role.save(update_fields=["permissions"])


def revoke(apps, schema_editor):
    role_model = apps.get_model("accounts", "Role")
    for code, permissions in GRANTS.items():
        role = role_model.objects.filter(code=code).first()
        if role is not None:
            role.permissions = sorted(set(role.permissions) - set(permissions))
            role.save(update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [("trefas", "0001_initial"), ("accounts", "0002_seed_roles")]
    operations = [migrations.RunPython(grant, revoke)]
