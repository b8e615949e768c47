"""Reading the audit trail, always through the access policy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import QuerySet

from samverkan.access import policy
from samverkan.audit.models import AuditEvent

if TYPE_CHECKING:
    from samverkan.accounts.models import User


@dataclass(frozen=True)
class AuditFilter:
    actor_id: int | None = None
    organisation_id: int | None = None
    subject_type: str = ""
    subject_id: str = ""
    action: str = ""
    date_from: date | None = None
    date_to: date | None = None


def _micros(day: date, *, end: bool) -> int:
    tz = ZoneInfo(settings.TIME_ZONE)
    moment = datetime.combine(day, time.max if end else time.min, tzinfo=tz)
    return int(moment.timestamp() * 1_000_000)


def audit_events_visible_to(*, user: User, filters: AuditFilter | None = None) -> QuerySet[AuditEvent]:
    """Audit events the user may review, newest first, narrowed by ``filters``.

    Cost grows with the matching rows only: every filter column is indexed together
    with ``seq``, and the policy scope is itself an indexed organisation filter.
    """
    qs = policy.scope_audit_events(actor=user, queryset=AuditEvent.objects.all())
    f = filters or AuditFilter()
    if f.actor_id is not None:
        qs = qs.filter(actor_id=f.actor_id)
    if f.organisation_id is not None:
        qs = qs.filter(actor_organisation_id=f.organisation_id)
    if f.subject_type:
        qs = qs.filter(subject_type=f.subject_type)
    if f.subject_id:
        qs = qs.filter(subject_id=f.subject_id)
    if f.action:
        qs = qs.filter(action=f.action)
    if f.date_from:
        qs = qs.filter(ts__gte=_micros(f.date_from, end=False))
    if f.date_to:
        qs = qs.filter(ts__lte=_micros(f.date_to, end=True))
    return qs.order_by("-seq")
