"""What the consent topics share: the case's consents, one of them, category labels."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from samverkan.access import policy
from samverkan.cases.models import InformationCategory
from samverkan.consent.models import Consent


def consents_for_case(*, case: Any) -> QuerySet[Consent]:
    return (
        Consent.objects.filter(case_id=case.pk)
        .select_related("guardianship__guardian", "recorded_by")
        .prefetch_related("organisations")
        .order_by("-valid_from", "-pk")
    )


def consent_for_case(*, case: Any, consent_id: int) -> Consent:
    """One consent of this case; 404 for any other."""
    return policy.get_or_404(consents_for_case(case=case), pk=consent_id)


def category_labels(values: Any) -> list[str]:
    labels = dict(InformationCategory.choices)
    return [str(labels[v]) for v in InformationCategory.values if v in set(values)]
