"""The runtime database role cannot lift or bypass the guards on the audit trail, signed
journal notes and signed minutes; the owner grants it exactly its rights; start-up
refuses a role that could (docs/adr/0009).

PostgreSQL only: SQLite has no roles (the demo keeps one file). Each test creates a login
role of its own (roles are cluster-wide: random name, dropped afterwards), runs the grants
as the owner (the suite's superuser) and connects as that role with a separate psycopg
connection to the test database, so the data it sees must be committed (transactional
tests).
"""

from __future__ import annotations

import io
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.audit.models import AuditEvent
from samverkan.audit.verify import verify_chain
from samverkan.cases.models import TeamMember
from samverkan.dbroles import checks, roles
from samverkan.journal import services as journal_services
from samverkan.journal.models import JournalNote
from samverkan.lib import startup
from samverkan.meetings import services as meetings_services
from samverkan.meetings.models import Decision, Minutes
from tests.world import adult_world

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def runtime_role(transactional_db) -> Iterator[str]:
    if connection.vendor != "postgresql":
        pytest.skip("database roles exist on PostgreSQL only (SQLite, the demo, keeps one file)")
    name = f"samverkan_test_runtime_{secrets.token_hex(4)}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {roles.ident(name)} LOGIN")
    try:
        yield name
    finally:
        with connection.cursor() as cursor:
            # Anything it came to own goes back to the owner; its privileges here go.
            cursor.execute(f"REASSIGN OWNED BY {roles.ident(name)} TO current_user")
            cursor.execute(f"DROP OWNED BY {roles.ident(name)}")
            cursor.execute(f"DROP ROLE {roles.ident(name)}")


@contextmanager
def as_role(name: str) -> Iterator[None]:
    """Run the block with Django's default connection logged in as ``name``."""
    suite_user = connection.settings_dict["USER"]
    connection.close()
    connection.settings_dict["USER"] = name
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["USER"] = suite_user


def connect_as(name: str) -> Any:
    import psycopg

    params = connection.get_connection_params()
    params = {k: v for k, v in params.items() if k in ("host", "port", "dbname", "password")}
    return psycopg.connect(**params, user=name, autocommit=True)


def signed_world() -> dict[str, Any]:
    """Committed rows: a signed journal note, signed minutes with a decision, audit events."""
    world = adult_world()
    access = world.access(world.lead)
    note = journal_services.note_create(
        actor=world.lead, case=world.case, access=access, category="social",
        occurred_on=timezone.localdate(), text="Signerad", sign=True,
    )
    meeting = meetings_services.meeting_create(
        actor=world.lead, case=world.case, access=access,
        starts_at=timezone.now() - timedelta(hours=1), place="Kontoret",
        attendees=list(TeamMember.objects.filter(case=world.case, user=world.lead)),
    )
    minutes = meetings_services.minutes_create(
        actor=world.lead, case=world.case, access=access, meeting=meeting, text="Protokoll",
    )
    meetings_services.decision_add(actor=world.lead, case=world.case, access=access,
                                   minutes=minutes, text="Beslut")
    minutes.refresh_from_db()
    meetings_services.minutes_sign(actor=world.lead, case=world.case, access=access,
                                   minutes=minutes, expected_version=minutes.version)
    return {"world": world, "note": note, "minutes": Minutes.objects.get(pk=minutes.pk)}


def refused(conn: Any, sql: str, params: list[Any] | None = None) -> str:
    """Run ``sql`` as the runtime role; it must fail. Returns the error class name."""
    import psycopg

    with pytest.raises(psycopg.Error) as caught:
        conn.execute(sql, params)
    return type(caught.value).__name__


def test_runtime_role_cannot_lift_or_bypass_any_guard(runtime_role):
    rows = signed_world()
    note, minutes = rows["note"], rows["minutes"]
    decision = Decision.objects.get(minutes=minutes)
    call_command("db", "grants", "--role", runtime_role, stdout=io.StringIO())
    head_seq = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()
    privilege = "InsufficientPrivilege"
    with connect_as(runtime_role) as conn:
        for table, trigger, function in (
            ("audit_auditevent", "audit_no_change", "samverkan_audit_append_only"),
            ("audit_auditevent", "audit_no_truncate", "samverkan_audit_append_only"),
            ("journal_journalnote", "journal_note_guard", "samverkan_journal_guard"),
            ("meetings_minutes", "minutes_guard", "samverkan_minutes_guard"),
            ("meetings_decision", "decision_guard", "samverkan_decision_guard"),
            ("trefas_forummeeting", "trefas_minutes_guard", "samverkan_trefas_minutes_guard"),
            ("trefas_meetingattendance", "trefas_attendance_guard", "samverkan_trefas_attendance_guard"),
        ):
            assert refused(conn, f"ALTER TABLE {table} DISABLE TRIGGER {trigger}") == privilege
            assert refused(conn, f"ALTER TABLE {table} DISABLE TRIGGER USER") == privilege
            assert refused(conn, f"DROP TRIGGER {trigger} ON {table}") == privilege
            assert refused(conn, f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS "
                                 "$$ BEGIN RETURN NEW; END; $$ LANGUAGE plpgsql") == privilege
            assert refused(conn, f"ALTER FUNCTION {function}() OWNER TO {roles.ident(runtime_role)}") == privilege
            assert refused(conn, f"TRUNCATE {table}") == privilege
            assert refused(conn, f"CREATE TRIGGER sneaky BEFORE INSERT ON {table} FOR EACH ROW "
                                 f"EXECUTE FUNCTION {function}()") == privilege
        # The audit trail: no UPDATE, DELETE (not even granted), TRUNCATE (above).
        assert refused(conn, "UPDATE audit_auditevent SET action = 'x' WHERE seq = %s", [head_seq]) == privilege
        assert refused(conn, "DELETE FROM audit_auditevent WHERE seq = %s", [head_seq]) == privilege
        assert refused(conn, "DELETE FROM audit_auditchainhead") == privilege
        assert refused(conn, "SET session_replication_role = replica") == privilege
        # Signed notes and minutes: the row triggers refuse, and the role cannot lift them.
        raised = "RaiseException"
        assert refused(conn, "UPDATE journal_journalnote SET text = 'x' WHERE id = %s", [note.pk]) == raised
        assert refused(conn, "DELETE FROM journal_journalnote WHERE id = %s", [note.pk]) == raised
        assert refused(conn, "UPDATE meetings_minutes SET text = 'x' WHERE id = %s", [minutes.pk]) == raised
        assert refused(conn, "UPDATE meetings_minutes SET signed_at = NULL WHERE id = %s", [minutes.pk]) == raised
        assert refused(conn, "DELETE FROM meetings_minutes WHERE id = %s", [minutes.pk]) == raised
        assert refused(conn, "UPDATE meetings_decision SET text = 'x' WHERE id = %s", [decision.pk]) == raised
        assert refused(conn, "DELETE FROM meetings_decision WHERE id = %s", [decision.pk]) == raised
        # A temporary table cannot stand in for the one a guard consults (pinned search_path).
        conn.execute("CREATE TEMP TABLE meetings_minutes (id bigint, signed_at timestamptz)")
        assert refused(conn, "DELETE FROM meetings_decision WHERE id = %s", [decision.pk]) == raised
        assert refused(conn, "INSERT INTO meetings_decision (public_id, minutes_id, case_id, text, created_at) "
                             "VALUES (gen_random_uuid(), %s, %s, 'smugglat', now())",
                       [minutes.pk, minutes.case_id]) == raised
        # Nothing was changed, and the role sees nothing wrong with itself.
        with conn.cursor() as cursor:
            assert roles.role_problems(cursor) == []
    assert JournalNote.objects.get(pk=note.pk).text == "Signerad"
    assert Minutes.objects.get(pk=minutes.pk).text == "Protokoll"
    assert Decision.objects.get(pk=decision.pk).text == "Beslut"
    assert verify_chain().ok


def test_the_application_works_as_the_runtime_role(runtime_role, settings):
    """Appends, signed records and verification through the application's own code and
    SQL, on Django's connection logged in as the runtime role."""
    rows = signed_world()
    world = rows["world"]
    call_command("db", "grants", "--role", runtime_role, stdout=io.StringIO())
    with as_role(runtime_role):
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user")
            assert cursor.fetchone()[0] == runtime_role
        audit.record(action=Action.USER_UPDATED, subject_type="user", subject_id=1)
        audit.bulk_append([{"action": Action.USER_UPDATED, "subject_id": n} for n in range(3)])
        journal_services.note_create(
            actor=world.lead, case=world.case, access=world.access(world.lead), category="social",
            occurred_on=timezone.localdate(), text="Som körroll", sign=True,
        )
        call_command("audit", "checkpoint", stdout=io.StringIO())
        assert verify_chain().ok
        settings.SAMVERKAN_PRODUCTION = True
        assert checks.runtime_role_cannot_alter_the_guards(databases=["default"]) == []
    assert JournalNote.objects.filter(text="Som körroll").exists()


def test_start_up_check_refuses_a_superuser_under_production_settings(runtime_role, settings):
    # The suite's own connection is a superuser: harmless in tests, refused in production.
    assert checks.runtime_role_cannot_alter_the_guards(databases=["default"]) == []
    settings.SAMVERKAN_PRODUCTION = True
    errors = checks.runtime_role_cannot_alter_the_guards(databases=["default"])
    assert [e.id for e in errors] == ["samverkan.E020"]
    assert "is a superuser" in errors[0].msg
    assert errors[0].msg.endswith(
        "run `samverkan db grants` as the owner and set DATABASE_URL to the runtime role.")
    assert "\n" not in errors[0].msg and errors[0].hint is None  # one line
    assert startup.database_check_refusals() == [errors[0].msg]
    # `check --deploy` without --database connects to nothing and is not affected.
    assert checks.runtime_role_cannot_alter_the_guards(databases=None) == []


def test_start_up_check_names_what_an_ungranted_role_could_do(runtime_role, settings):
    who = roles.ident(runtime_role)
    with connection.cursor() as cursor:
        cursor.execute(f"GRANT UPDATE, DELETE, TRUNCATE ON audit_auditevent TO {who}")
        cursor.execute(f"GRANT TRIGGER ON journal_journalnote TO {who}")
        cursor.execute(f"ALTER FUNCTION samverkan_minutes_guard() OWNER TO {who}")
        problems = roles.role_problems(cursor, runtime_role)
    assert f"{runtime_role} holds UPDATE, DELETE, TRUNCATE on audit_auditevent" in problems
    assert f"{runtime_role} holds TRIGGER on journal_journalnote" in problems
    assert f"{runtime_role} owns (or is a member of the owner of) 1 function(s): samverkan_minutes_guard" in problems
    # The grants refuse to leave a guard function in its hands, and change nothing.
    with pytest.raises(roles.GrantError, match="samverkan_minutes_guard is not owned by"):
        roles.grant_runtime_role(connection, role=runtime_role)
    with connection.cursor() as cursor:
        cursor.execute("ALTER FUNCTION samverkan_minutes_guard() OWNER TO current_user")
    roles.grant_runtime_role(connection, role=runtime_role)
    with connection.cursor() as cursor:
        assert roles.role_problems(cursor, runtime_role) == []
    # Checked from the role's own connection, under production settings:
    settings.SAMVERKAN_PRODUCTION = True
    with as_role(runtime_role):
        assert checks.runtime_role_cannot_alter_the_guards(databases=["default"]) == []


def test_a_member_of_the_owner_is_refused(runtime_role):
    who = roles.ident(runtime_role)
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        owner = cursor.fetchone()[0]
        cursor.execute(f"GRANT {roles.ident(owner)} TO {who}")
        try:
            problems = roles.role_problems(cursor, runtime_role)
        finally:
            cursor.execute(f"REVOKE {roles.ident(owner)} FROM {who}")
    assert any("owns (or is a member of the owner of)" in p and "table(s)" in p for p in problems)


def test_grants_are_idempotent_and_exact(runtime_role):
    for _ in range(2):
        summary = roles.grant_runtime_role(connection, role=runtime_role)
    assert summary.tables > 50 and summary.restricted == 3
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT table_name, string_agg(privilege_type, ',' ORDER BY privilege_type)
                 FROM information_schema.role_table_grants WHERE grantee = %s
                GROUP BY table_name""",
            [runtime_role],
        )
        granted = dict(cursor.fetchall())
    assert granted["audit_auditevent"] == "INSERT,SELECT"
    assert granted["audit_auditchainhead"] == "SELECT,UPDATE"
    assert granted["django_migrations"] == "SELECT"
    assert granted["journal_journalnote"] == "DELETE,INSERT,SELECT,UPDATE"
    assert not [t for t, p in granted.items() if {"TRUNCATE", "TRIGGER", "REFERENCES"} & set(p.split(","))]


def test_grants_refuse_roles_that_cannot_be_made_safe(runtime_role):
    with pytest.raises(roles.GrantError, match="does not exist"):
        roles.grant_runtime_role(connection, role=runtime_role + "_missing")
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        owner = cursor.fetchone()[0]
    with pytest.raises(roles.GrantError, match="is the owner itself"):
        roles.grant_runtime_role(connection, role=owner)
    with pytest.raises(roles.GrantError, match="no runtime role"):
        roles.grant_runtime_role(connection, role="")


def test_migrate_runs_as_the_owner_and_refreshes_the_grants(runtime_role, settings):
    """DATABASE_URL names the runtime role, MIGRATION_DATABASE_URL the owner: migrate
    connects as the owner and then grants the runtime role its rights."""
    owner_user = connection.settings_dict["USER"]
    settings.MIGRATION_DATABASE = {"USER": owner_user, "PASSWORD": connection.settings_dict["PASSWORD"],
                                   "OPTIONS": connection.settings_dict["OPTIONS"]}
    seen = []
    with as_role(runtime_role):
        with roles.owner_connection() as session:
            with connection.cursor() as cursor:
                cursor.execute("SELECT current_user")
                seen.append(cursor.fetchone()[0])
            assert session.switched and session.runtime_role == runtime_role
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user")
            seen.append(cursor.fetchone()[0])
            cursor.execute("SELECT has_table_privilege('audit_auditevent', 'INSERT')")
            assert cursor.fetchone()[0] is False  # no grants yet
        call_command("migrate", verbosity=0, interactive=False)
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user, has_table_privilege('audit_auditevent', 'INSERT'), "
                           "has_table_privilege('audit_auditevent', 'UPDATE')")
            assert cursor.fetchone() == (runtime_role, True, False)
    assert seen == [owner_user, runtime_role]
