"""Grant the area-track permissions to the shipped roles on existing installations
(fresh installs get them from access.roles.DEFAULT_PERMISSIONS). Values are written
out here so the migration does not change when the code does."""

from django.db import migrations

GRANTS = {
    "caseworker": ["area:action_group:view", "area:roster:view"],
    "coordinator": ["area:action_group:view", "area:action_group:manage", "area:roster:view",
                    "area:roster:manage", "area:capacity:view"],
    "manager": ["area:action_group:view", "area:action_group:manage", "area:roster:view",
                "area:roster:manage", "area:capacity:view"],
    "org_admin": ["area:action_group:view", "area:roster:view", "organisation:expert:manage"],
}


def grant(apps, schema_editor):
    role_model = apps.get_model("accounts", "Role")
    for code, permissions in GRANTS.items():
        role = role_model.objects.filter(code=code).first()
        if role is None:
            continue
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
    dependencies = [("actiongroups", "0001_initial"), ("accounts", "0002_seed_roles")]
    operations = [migrations.RunPython(grant, revoke)]
