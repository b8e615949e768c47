"""Reading the audit trail for its viewer (log reviewers), always through the access
policy. The trail itself (rows, chain, seals) is the audit app's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q, QuerySet

from samverkan.access import policy
from samverkan.accounts.models import User
from samverkan.audit.models import AuditEvent
from samverkan.directory.models import Organisation


@dataclass(frozen=True)
class AuditFilter:
    actor_id: int | None = None
    organisation_id: int | None = None
    subject_type: str = ""
    subject_id: str = ""
    action: str = ""
    date_from: date | None = None
    date_to: date | None = None


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def _micros(day: date, *, end: bool) -> int:
    """Exact first (or last) microsecond of ``day`` in the site's time zone."""
    tz = ZoneInfo(settings.TIME_ZONE)
    if end and day == date.max:  # no next midnight to count back from
        return (datetime.combine(day, time.max, tzinfo=tz) - _EPOCH) // _MICROSECOND
    if end:
        midnight = datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz)
        return (midnight - _EPOCH) // _MICROSECOND - 1
    return (datetime.combine(day, time.min, tzinfo=tz) - _EPOCH) // _MICROSECOND


def audit_events_visible_to(
    *, user: User, filters: AuditFilter | None = None
) -> QuerySet[AuditEvent]:
    """Audit events the user may review, newest first, narrowed by ``filters``.

    Cost grows with the matching rows only: every filter column is indexed together
    with ``seq``, and the policy scope is itself an indexed organisation filter.
    """
    qs = policy.scope_audit_events(actor=user, queryset=AuditEvent.objects.all())
    f = filters or AuditFilter()
    if f.actor_id is not None:
        qs = qs.filter(actor_id=f.actor_id)
    if f.organisation_id is not None:
        # Done by the organisation's users or concerning its records (as in the policy).
        org = f.organisation_id
        qs = qs.filter(Q(actor_organisation_id=org) | Q(subject_organisation_id=org))
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


def actor_names(*, events: list[AuditEvent]) -> tuple[dict[int, str], dict[int, str]]:
    """Usernames and organisation names of the actors of ``events`` (two queries).

    ``events`` must come from audit_events_visible_to: a reviewer learns only the
    names of actors in events the policy already lets them see.
    """
    user_ids = {e.actor_id for e in events if e.actor_id}
    org_ids = {e.actor_organisation_id for e in events if e.actor_organisation_id}
    users = dict(User.objects.filter(pk__in=user_ids).values_list("pk", "username"))
    orgs = dict(Organisation.objects.filter(pk__in=org_ids).values_list("pk", "name"))
    return users, orgs
