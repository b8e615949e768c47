"""Retention: tips older than TIPS_RETENTION_MONTHS are deleted by the job system."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from samverkan.audit.models import AuditEvent
from samverkan.tips import services
from samverkan.tips.models import Tip, TipMessage

pytestmark = pytest.mark.django_db


def _aged(world, days: int) -> Tip:
    tip, _ = services.tip_submit(area_code="husby", topic="crime", text=f"{days} dagar gammalt")
    services.tip_add_information(tip=tip, text="mer")
    Tip.objects.filter(pk=tip.pk).update(received_on=timezone.localdate() - timedelta(days=days))
    return tip


def test_cutoff_is_twelve_months_by_default(settings):
    assert services.retention_cutoff(today=date(2026, 3, 31)) == date(2025, 3, 31)
    assert services.retention_cutoff(today=date(2024, 2, 29)) == date(2023, 2, 28)
    settings.TIPS_RETENTION_MONTHS = 3
    assert services.retention_cutoff(today=date(2026, 1, 15)) == date(2025, 10, 15)


def test_purge_job_deletes_only_expired_tips(world, user_factory):
    from samverkan.jobs.models import Job
    from samverkan.jobs.services import job_start

    old = _aged(world, 400)
    young = _aged(world, 300)
    job = job_start(actor=user_factory(roles=["system_admin"]), kind="tips.purge")
    job.refresh_from_db()
    assert job.status == "succeeded", (job.status, job.error)
    assert job.result["deleted"] == 1
    assert not Tip.objects.filter(pk=old.pk).exists()
    assert not TipMessage.objects.filter(tip_id=old.pk).exists()
    assert Tip.objects.filter(pk=young.pk).exists()
    assert AuditEvent.objects.filter(action="tip.purged").exists()
    assert Job.objects.filter(kind="tips.purge").count() == 1


def test_retention_is_configurable_and_the_command_purges(world, settings, capsys):
    _aged(world, 40)
    settings.TIPS_RETENTION_MONTHS = 1
    call_command("purge_tips")
    assert "deleted 1" in capsys.readouterr().out
    assert not Tip.objects.exists()
