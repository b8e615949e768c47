"""A database that goes away in the middle of a request.

The answer is a plain 500 page that reveals nothing (no exception text, no names, no
identity numbers, no note text); nothing is half-saved (the change and its audit row
roll back together); the log line carries the exception's type and code locations but
not its message (database errors quote row values, e.g. a unique key's identity
number); and the very next request works.
"""

from __future__ import annotations

import io
import logging

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client
from django.utils import timezone

from samverkan.audit.models import AuditEvent
from samverkan.journal import services as journal_services
from samverkan.journal.models import JournalNote
from tests.conftest import fast_login
from tests.world import build_world

# What a database driver error may quote: row values from the failing statement.
LEAKY = "Key (identity_number)=(200001019876) Testsson"
NOTE_TEXT = "HEMLIG-ANTECKNING-OM-DELTAGAREN"


def _client(user) -> Client:
    return fast_login(user, Client(raise_request_exception=False))


def _console_handler() -> logging.StreamHandler:
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.StreamHandler) and any(
            type(f).__name__ == "RequestIdLogFilter" for f in handler.filters
        ):
            return handler
    raise AssertionError("the console handler with the request-id filter is not installed")


@pytest.fixture
def console_log():
    """What the application's console handler writes during the test."""
    handler = _console_handler()
    buffer = io.StringIO()
    old = handler.setStream(buffer)
    try:
        yield buffer
    finally:
        handler.setStream(old)


def _assert_reveals_nothing(response, *secrets: str) -> None:
    body = response.content.decode()
    assert response.status_code == 500
    for secret in (*secrets, "Traceback", "OperationalError", "InterfaceError", "identity_number"):
        assert secret not in body, secret
    assert "Testsson" not in body and "Deltagare" not in body


@pytest.mark.django_db(transaction=True)
def test_write_that_loses_the_database_rolls_back_change_and_audit(monkeypatch, console_log):
    world = build_world(notes=False)
    client = _client(world.users["jarva_coord"])
    notes_before = JournalNote.objects.count()
    created_before = AuditEvent.objects.filter(action="note.created").count()
    real_audit = journal_services._audit

    def audit_then_database_gone(*args, **kwargs):
        real_audit(*args, **kwargs)  # the note row and its audit row are written ...
        raise OperationalError(f"server closed the connection unexpectedly {LEAKY}")  # ... then

    monkeypatch.setattr(journal_services, "_audit", audit_then_database_gone)
    response = client.post(world.url + "anteckningar/ny/", {
        "category": "social", "occurred_on": timezone.localdate().isoformat(), "text": NOTE_TEXT,
        "action": "sign", "confirmed": "1",
    })
    _assert_reveals_nothing(response, NOTE_TEXT, LEAKY, "200001019876")
    # Nothing half-saved: neither the note nor an audit row without its change.
    assert JournalNote.objects.count() == notes_before
    assert AuditEvent.objects.filter(action="note.created").count() == created_before
    assert not AuditEvent.objects.filter(action="note.signed").exists()
    # The failure is logged, without the exception's message.
    logged = console_log.getvalue()
    assert "OperationalError" in logged
    assert "200001019876" not in logged and "Testsson" not in logged and NOTE_TEXT not in logged

    # The database is back: the very next request works and saves.
    monkeypatch.setattr(journal_services, "_audit", real_audit)
    assert client.get(world.url + "anteckningar/").status_code == 200
    response = client.post(world.url + "anteckningar/ny/", {
        "category": "social", "occurred_on": timezone.localdate().isoformat(), "text": NOTE_TEXT,
        "action": "sign", "confirmed": "1",
    })
    assert response.status_code == 302
    assert JournalNote.objects.count() == notes_before + 1
    assert AuditEvent.objects.filter(action="note.created").count() == created_before + 1


@pytest.mark.django_db
def test_read_that_loses_the_connection_answers_500_and_recovers(monkeypatch, console_log):
    world = build_world(notes=False)
    client = _client(world.users["jarva_coord"])
    from samverkan.journal import selectors as journal_selectors

    def connection_gone(**kwargs):
        raise InterfaceError(f"connection already closed {LEAKY}")

    real = journal_selectors.notes_page
    monkeypatch.setattr(journal_selectors, "notes_page", connection_gone)
    response = client.get(world.url + "anteckningar/")
    _assert_reveals_nothing(response, LEAKY, "200001019876")
    assert response["Cache-Control"].startswith("no-store") or "no-store" in response["Cache-Control"]
    logged = console_log.getvalue()
    assert "InterfaceError" in logged and "200001019876" not in logged

    monkeypatch.setattr(journal_selectors, "notes_page", real)
    assert client.get(world.url + "anteckningar/").status_code == 200
    assert client.get(world.url).status_code == 200


def test_log_filter_withholds_exception_messages_but_keeps_type_and_place():
    from samverkan.access.middleware import RequestIdLogFilter

    number = "".join(["20000101", "9876"])  # not in the source lines the traceback quotes
    try:
        try:
            raise ValueError(number)
        except ValueError as inner:
            raise OperationalError(LEAKY) from inner
    except OperationalError:
        import sys

        record = logging.LogRecord("django.request", logging.ERROR, __file__, 1,
                                   "Internal Server Error: %s", ("/arenden/x/",), sys.exc_info())
    assert RequestIdLogFilter().filter(record)
    text = logging.Formatter("%(message)s").format(record)
    assert "Internal Server Error: /arenden/x/" in text
    assert "OperationalError" in text and "ValueError" in text
    assert "test_database_failure.py" in text  # where it happened is kept
    assert "200001019876" not in text and "Testsson" not in text
