"""Signed Trefas minutes (a forum meeting and its attendance) are immutable in the
database itself: trefas.guard's triggers, on SQLite and PostgreSQL."""

from django.db import migrations


def install_guard(apps, schema_editor):
    from samverkan.trefas import guard  # deferred: a migration loads the guard only when it runs

    guard.install(schema_editor.connection)


def remove_guard(apps, schema_editor):
    from samverkan.trefas import guard  # deferred: a migration loads the guard only when it runs

    guard.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("trefas", "0003_incidents_checklist_template_version"),
        ("journal", "0003_guard_truncate"),  # the purge permit table the guard reads
    ]

    # Last in its migration: on SQLite, a later migration that rebuilds
    # trefas_forummeeting or trefas_meetingattendance drops the triggers and must run
    # guard.install again (tests/trefas/test_guard.py would fail).
    operations = [migrations.RunPython(install_guard, remove_guard)]
