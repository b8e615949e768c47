"""Grant the tip and public-page permissions to the shipped roles on existing
installations (fresh installs get them from access.roles.DEFAULT_PERMISSIONS). Values
are written out here so the migration does not change when the code does."""

from django.db import migrations

GRANTS = {
    "coordinator": ["organisation:tip:view", "organisation:tip:handle", "public:citizen_promise:manage"],
    "manager": ["organisation:tip:view", "organisation:tip:handle", "public:citizen_promise:manage"],
    "system_admin": ["system:tip_routing:manage", "public:citizen_promise:manage"],
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
    dependencies = [("tips", "0001_initial"), ("accounts", "0002_seed_roles")]
    operations = [migrations.RunPython(grant, revoke)]
