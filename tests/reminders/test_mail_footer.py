"""E-mails end with the organisation's name and contact details (directory.Identity)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import timezone

from samverkan.demo.identity import DEMO_NAME, load_identity
from samverkan.reminders import services
from samverkan.reminders.models import Reminder
from tests.world import records_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return records_world()


def _remind(world):
    Reminder.objects.create(user=world.users["jarva_cw"], case=world.case, kind="custom", note="x",
                            due_on=timezone.localdate(), recorded_by_organisation=world.orgs["jarva"])


def test_the_digest_ends_with_the_organisations_name_and_contact_details(world):
    load_identity()
    _remind(world)
    mail.outbox.clear()
    services.digest_send()
    body = next(m.body for m in mail.outbox if m.to == [world.users["jarva_cw"].email])
    footer = body[body.index("\n--\n"):]
    assert DEMO_NAME in footer and "08-465 004 00" in footer and "kontakt@exempelstad.invalid" in footer


def test_without_an_identity_the_digest_has_no_footer(world):
    _remind(world)
    mail.outbox.clear()
    services.digest_send()
    body = next(m.body for m in mail.outbox if m.to == [world.users["jarva_cw"].email])
    assert "\n--\n" not in body
