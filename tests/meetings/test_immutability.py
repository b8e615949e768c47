"""Signed minutes and decisions are immutable in the database itself, not only in the
services (DB triggers from meetings/guard.py, installed by migration)."""

from datetime import timedelta

import pytest
from django.db import DatabaseError, transaction
from django.utils import timezone

from samverkan.cases.models import TeamMember
from samverkan.journal.guard import retention_purge_permit
from samverkan.meetings import services
from samverkan.meetings.models import Decision, Minutes

pytestmark = pytest.mark.django_db

DB_ERRORS = DatabaseError  # SQLite: IntegrityError; PostgreSQL: ProgrammingError


def _minutes(world, sign):
    access = world.access(world.lead)
    meeting = services.meeting_create(
        actor=world.lead,
        case=world.case,
        access=access,
        starts_at=timezone.now() - timedelta(hours=1),
        place="Kontoret",
        attendees=list(TeamMember.objects.filter(case=world.case, user=world.lead)),
    )
    minutes = services.minutes_create(
        actor=world.lead, case=world.case, access=access, meeting=meeting, text="Original"
    )
    services.decision_add(
        actor=world.lead, case=world.case, access=access, minutes=minutes, text="Beslut"
    )
    if sign:
        minutes.refresh_from_db()
        services.minutes_sign(
            actor=world.lead,
            case=world.case,
            access=access,
            minutes=minutes,
            expected_version=minutes.version,
        )
    return Minutes.objects.get(pk=minutes.pk)


def test_draft_minutes_can_change(world):
    minutes = _minutes(world, sign=False)
    Minutes.objects.filter(pk=minutes.pk).update(text="Ändrat utkast")
    assert Minutes.objects.get(pk=minutes.pk).text == "Ändrat utkast"


def test_signed_minutes_refuse_updates_in_the_database(world):
    minutes = _minutes(world, sign=True)
    with pytest.raises(DB_ERRORS), transaction.atomic():
        Minutes.objects.filter(pk=minutes.pk).update(text="Förfalskat")
    with pytest.raises(DB_ERRORS), transaction.atomic():
        Minutes.objects.filter(pk=minutes.pk).update(signed_at=None)
    assert Minutes.objects.get(pk=minutes.pk).text == "Original"


def test_decisions_never_change_and_signed_minutes_take_no_new_ones(world):
    minutes = _minutes(world, sign=True)
    with pytest.raises(DB_ERRORS), transaction.atomic():
        Decision.objects.filter(minutes=minutes).update(text="Annat beslut")
    with pytest.raises(DB_ERRORS), transaction.atomic():
        Decision.objects.create(minutes=minutes, case=world.case, text="Smugglat beslut")
    assert list(Decision.objects.values_list("text", flat=True)) == ["Beslut"]


def test_the_case_can_still_be_purged(world):
    """Deletion under the retention purge's permit (through the case's cascade) is not
    blocked."""
    minutes = _minutes(world, sign=True)
    services.minutes_create(
        actor=world.lead,
        case=world.case,
        access=world.access(world.lead),
        meeting=minutes.meeting,
        text="Rättelse",
        corrects=minutes,
        sign=True,
    )
    with transaction.atomic(), retention_purge_permit():
        minutes.meeting.delete()
    assert not Minutes.objects.exists() and not Decision.objects.exists()


def test_signed_minutes_and_their_decisions_are_deleted_only_under_a_purge_permit(world):
    minutes = _minutes(world, sign=True)
    with pytest.raises(DB_ERRORS), transaction.atomic():
        Decision.objects.filter(minutes=minutes).delete()
    with pytest.raises(DB_ERRORS), transaction.atomic():
        Minutes.objects.filter(pk=minutes.pk).delete()
    with pytest.raises(DB_ERRORS), transaction.atomic():
        minutes.meeting.delete()
    assert Minutes.objects.filter(pk=minutes.pk).exists()
    assert Decision.objects.filter(minutes=minutes).count() == 1


def test_draft_minutes_and_their_decisions_may_be_deleted(world):
    minutes = _minutes(world, sign=False)
    Decision.objects.filter(minutes=minutes).delete()
    Minutes.objects.filter(pk=minutes.pk).delete()
    assert not Minutes.objects.exists()
