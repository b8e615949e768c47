"""Consents about to end, for the reminders (bevakning)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from samverkan.consent.models import Consent


def consents_expiring(
    *, within_days: int = 30, today: date | None = None, case_ids: list[int] | None = None
) -> QuerySet[Consent]:
    """Consents that are in force today, not withdrawn, and end within ``within_days``
    days (inclusive), soonest first — for the reminders (bevakning). Not scoped to a
    viewer: the caller shows each row only to the lead organisation's team of its case
    (e.g. by ``case_ids`` of cases where the user is on the lead team)."""
    today = today or timezone.localdate()
    qs = Consent.objects.filter(
        withdrawn_at__isnull=True,
        valid_from__lte=today,
        valid_to__gte=today,
        valid_to__lte=today + timedelta(days=within_days),
    )
    if case_ids is not None:
        qs = qs.filter(case_id__in=case_ids)
    return qs.select_related("case", "case__lead_organisation").order_by("valid_to", "pk")
