"""Reading people. What a case's team may read of the participant's guardians is
decided through the case (cases.selectors.guardians_for_lead_team)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from samverkan.people.models import Guardianship


def guardianships_for_case(*, case: Any) -> QuerySet[Guardianship]:
    """The participant's active guardianships (for forms of the lead team)."""
    return (
        Guardianship.objects.filter(child_id=case.person_id, active=True)
        .select_related("guardian")
        .order_by("pk")
    )
