"""services.lifecycle on its own, as the lägesbild will use it too: steps, facts,
optimistic locking on the status as loaded, the previous decided version replaced, and
the audit event in the same transaction."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from samverkan.audit.actions import Action
from samverkan.audit.models import AuditEvent
from samverkan.lib.concurrency import StaleEdit
from samverkan.prevention.models import DocumentStatus, SituationReport
from samverkan.prevention.services.lifecycle import allowed_steps, transition
from tests.factories import UserFactory
from tests.prevention.plan_world import END, START, TODAY

pytestmark = pytest.mark.django_db


def _report(**fields):
    return SituationReport.objects.create(municipality="Stockholm", title="Lägesbild", period_start=START,
                                          period_end=END, **fields)


def _step(document, to, **facts):
    return transition(document, to, actor=UserFactory(), expected_version=document.version,
                      audit_action=Action.PREVENTION_PLAN_STATUS_CHANGED, subject_type="test_document", **facts)


def test_the_steps_allowed_from_each_status():
    assert allowed_steps(SituationReport(status=DocumentStatus.DRAFT)) == {DocumentStatus.AGREED,
                                                                            DocumentStatus.DECIDED}
    assert allowed_steps(SituationReport(status=DocumentStatus.AGREED)) == {DocumentStatus.DRAFT,
                                                                            DocumentStatus.DECIDED}
    assert allowed_steps(SituationReport(status=DocumentStatus.DECIDED)) == frozenset()
    assert allowed_steps(SituationReport(status=DocumentStatus.REPLACED)) == frozenset()


def test_a_decision_replaces_the_earlier_agreed_or_decided_versions():
    first = _report(status=DocumentStatus.DECIDED, decided_by_body="KS", decided_on=START, decision_reference="§ 1")
    second = _report(previous=first, number=2)
    second = _step(second, DocumentStatus.AGREED, date=TODAY)
    with pytest.raises(ValidationError) as exc:  # the decision cannot predate the agreement
        _step(second, DocumentStatus.DECIDED, body="KS", date=TODAY - timedelta(days=1), reference="§ 9")
    assert "date" in exc.value.error_dict
    second = _step(second, DocumentStatus.DECIDED, body=" KS ", date=TODAY, reference="§ 9")
    first.refresh_from_db()
    assert (second.status, second.decided_by_body, first.status) == (
        DocumentStatus.DECIDED, "KS", DocumentStatus.REPLACED)
    event = AuditEvent.objects.filter(subject_type="test_document", subject_id=str(second.pk)).last()
    assert json.loads(event.detail) == {"from": "agreed", "replaced": first.pk, "to": "decided"}


def test_a_step_from_a_status_someone_else_changed_is_stale():
    report = _report()
    copy = SituationReport.objects.get(pk=report.pk)
    _step(report, DocumentStatus.AGREED, date=TODAY)
    # The copy still says draft with the old version: nothing is written.
    with pytest.raises(StaleEdit):
        transition(copy, DocumentStatus.AGREED, actor=UserFactory(), expected_version=copy.version,
                   audit_action=Action.PREVENTION_PLAN_STATUS_CHANGED, subject_type="test_document", date=TODAY)
    with pytest.raises(StaleEdit):  # no version sent is never a blind write
        transition(SituationReport.objects.get(pk=report.pk), DocumentStatus.DRAFT, actor=UserFactory(),
                   expected_version=None, audit_action=Action.PREVENTION_PLAN_STATUS_CHANGED,
                   subject_type="test_document")
    assert SituationReport.objects.get(pk=report.pk).status == DocumentStatus.AGREED
