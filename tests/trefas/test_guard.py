"""Signed Trefas minutes are immutable in the database itself, not only in the services
(trefas/guard.py, installed by migration). Runs on SQLite and on PostgreSQL (set
DATABASE_URL): the statements go through the ORM and raw SQL, each in its own savepoint."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from samverkan.journal.guard import retention_purge_permit
from samverkan.trefas import guard
from samverkan.trefas.models import ActionItem, ForumMeeting, MeetingAttendance, MeetingStatus
from samverkan.trefas.services import meetings as services
from tests.trefas.meeting_rows import access, meeting
from tests.trefas.world import trefas_world

pytestmark = pytest.mark.django_db

DB_ERRORS = DatabaseError  # SQLite: IntegrityError; PostgreSQL: an InternalError/RaiseException


@pytest.fixture
def world():
    return trefas_world(personas=("city_coord", "police", "soc"))


def _recorded(world, *, sign: bool) -> ForumMeeting:
    coord, coord_access = world.users["city_coord"], access(world, "city_coord")
    m = meeting(world, days=0)
    m = services.attendance_record(actor=coord, access=coord_access, meeting=m,
                                   present_user_ids=[coord.pk, world.users["police"].pk], expected_version=m.version)
    m = services.minutes_save(actor=coord, access=coord_access, meeting=m, text="Originalet",
                              expected_version=m.version)
    if sign:
        m = services.minutes_sign(actor=coord, access=coord_access, meeting=m, expected_version=m.version)
    return ForumMeeting.objects.get(pk=m.pk)


def _refused(statement) -> None:
    with pytest.raises(DB_ERRORS), transaction.atomic():
        statement()


def test_the_guard_is_installed_on_this_database():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'trefas_%'")
            names = {row[0] for row in cursor.fetchall()}
            assert {t.name for t in guard.GUARD.sqlite} <= names
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgname LIKE 'trefas_%'")
            names = {row[0] for row in cursor.fetchall()}
            assert {t.name for t in guard.GUARD.postgresql} <= names


def test_draft_minutes_and_their_attendance_can_change(world):
    m = _recorded(world, sign=False)
    ForumMeeting.objects.filter(pk=m.pk).update(minutes="Ändrat utkast", place="Annan lokal")
    MeetingAttendance.objects.filter(meeting=m).update(present=False)
    assert ForumMeeting.objects.get(pk=m.pk).minutes == "Ändrat utkast"


def test_signed_minutes_refuse_every_change_of_content_or_signature(world):
    m = _recorded(world, sign=True)
    rows = ForumMeeting.objects.filter(pk=m.pk)
    for change in ({"minutes": "Förfalskat"}, {"signed_at": None}, {"signed_by": world.users["police"]},
                   {"signed_at": timezone.now() - timedelta(days=3)}, {"scheduled_for": timezone.now()},
                   {"place": "Någon annanstans"}, {"status": MeetingStatus.CANCELLED}):
        _refused(lambda change=change: rows.update(**change))
    _refused(lambda: connection.cursor().execute(
        f"UPDATE {guard.MEETINGS} SET minutes = %s WHERE id = %s", ["Rå SQL", m.pk]))
    stored = ForumMeeting.objects.get(pk=m.pk)
    assert (stored.minutes, stored.signed_at, stored.signed_by_id) == ("Originalet", m.signed_at, m.signed_by_id)
    # The version is no part of the record: it may still move.
    rows.update(version=m.version + 1)


def test_the_attendance_of_signed_minutes_is_frozen(world):
    m = _recorded(world, sign=True)
    attendance = MeetingAttendance.objects.filter(meeting=m)
    _refused(lambda: attendance.update(present=False))
    _refused(lambda: MeetingAttendance.objects.create(meeting=m, user=world.users["soc"],
                                                      organisation=world.orgs["soc"], present=True))
    _refused(lambda: attendance.delete())
    assert attendance.filter(present=True).count() == 2


def test_signed_minutes_are_deleted_only_under_the_purge_permit(world):
    m = _recorded(world, sign=True)
    _refused(lambda: ForumMeeting.objects.filter(pk=m.pk).delete())
    _refused(lambda: connection.cursor().execute(
        f"DELETE FROM {guard.MEETINGS} WHERE id = %s", [m.pk]))
    assert ForumMeeting.objects.filter(pk=m.pk).exists()
    with transaction.atomic(), retention_purge_permit():
        ForumMeeting.objects.filter(pk=m.pk).delete()
    assert not ForumMeeting.objects.filter(pk=m.pk).exists()
    assert not MeetingAttendance.objects.filter(meeting_id=m.pk).exists()


def test_unsigned_meetings_may_be_deleted(world):
    m = _recorded(world, sign=False)
    ForumMeeting.objects.filter(pk=m.pk).delete()
    assert not ForumMeeting.objects.filter(pk=m.pk).exists()


def test_a_signed_meeting_still_links_its_actions(world):
    """Actions are not part of the minutes' text: they may still be marked done."""
    m = _recorded(world, sign=True)
    item = ActionItem.objects.create(forum=world.forum, organisation=world.orgs["police"], title="Åtgärd",
                                     due_at=timezone.now(), meeting=m)
    ActionItem.objects.filter(pk=item.pk).update(status="done")
    assert ActionItem.objects.get(pk=item.pk).status == "done"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE: PostgreSQL only")
def test_truncate_is_refused(world):
    _recorded(world, sign=True)
    _refused(lambda: connection.cursor().execute(f"TRUNCATE {guard.ATTENDANCE}"))
    _refused(lambda: connection.cursor().execute(f"TRUNCATE {guard.MEETINGS} CASCADE"))
