"""The reporter role and the local-picture, prevention and agreement permissions for the
shipped roles on existing installations (fresh installs get them from
access.roles.DEFAULT_PERMISSIONS). Values are written out so the migration does not
change when the code does."""

from django.db import migrations

LOCAL = ["picture:area:view", "picture:report:create", "prevention:document:view",
         "agreement:agreement:view", "agreement:presence:report"]
LEAD = [*LOCAL, "picture:meeting:manage", "prevention:document:manage", "agreement:agreement:manage"]
GRANTS = {
    "reporter": ["picture:report:create"],
    "caseworker": LOCAL,
    "coordinator": LEAD,
    "manager": LEAD,
    "system_admin": ["system:picture_catalogue:manage"],
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
    dependencies = [("picture", "0001_initial"), ("accounts", "0002_seed_roles")]
    operations = [migrations.RunPython(grant, revoke)]
