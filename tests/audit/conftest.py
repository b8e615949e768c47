"""Helpers for the audit tests: raw SQL access for tampering, event builders."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.utils import translation

from samverkan.audit import guard, services
from samverkan.audit.actions import Action
from samverkan.audit.models import AuditEvent

TABLE = "audit_auditevent"
HEAD = "audit_auditchainhead"


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English (the msgids); the default language is Swedish."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _guard_installed(request):
    """Every audit test starts with the append-only triggers in place, whatever an
    earlier transactional test's flush left behind (DDL is transactional on SQLite and
    PostgreSQL, so inside a test transaction this is rolled back with it)."""
    marker = request.node.get_closest_marker("django_db")
    transactional = {"transactional_db", "live_server"} & set(request.fixturenames) or (
        marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0]))
    )
    if transactional:
        # tests/conftest.py installs the guard and lifts it for the closing flush.
        yield
        return
    if marker is not None or "db" in request.fixturenames:
        guard.install(connection)
    yield


def raw(sql: str, params: list[Any] | tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return list(cursor.fetchall()) if cursor.description else []


def row_of(seq: int) -> dict[str, Any]:
    values = AuditEvent.objects.filter(seq=seq).values().get()
    return dict(values)


@pytest.fixture
def unguarded() -> Iterator[None]:
    """Lift the append-only triggers (as a database owner could) for raw tampering,
    and put them back afterwards."""
    guard.remove(connection)
    try:
        yield
    finally:
        guard.install(connection)


def append(count: int, **overrides: Any) -> list[AuditEvent]:
    """``count`` events through the real record() path."""
    events = []
    for i in range(count):
        fields: dict[str, Any] = {
            "action": Action.USER_UPDATED,
            "actor_id": 100 + i,
            "actor_organisation_id": 1,
            "subject_type": "user",
            "subject_id": 500 + i,
            "subject_organisation_id": 2 if i % 2 else None,
            "detail": {"rows": i},
        }
        fields.update(overrides)
        events.append(services.record(**fields))
    return events


@pytest.fixture
def chain(db) -> list[AuditEvent]:
    """A fresh chain of 8 events, beginning at whatever the head was."""
    return append(8)
