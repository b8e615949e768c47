"""Services that views and commands call as their own transaction are durable (issue 13):
wrapping one in another transaction fails loudly instead of silently widening it, while
the test case's own transaction (pytest-django's ``db``) stays allowed."""

from __future__ import annotations

import pytest
from django.db import transaction

from samverkan.rostering.services import rules as rule_services
from tests.actiongroups.helpers import make_group

pytestmark = pytest.mark.django_db


def test_a_durable_service_refuses_to_run_inside_another_transaction(personas):
    coord = personas["city_coord"]
    group = make_group(coord, positions={"tullverket": 1})
    rule_services.pattern_set(actor=coord, group=group, kind="2x12")  # the test's atomic is allowed
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        rule_services.pattern_set(actor=coord, group=group, kind="3x8")
