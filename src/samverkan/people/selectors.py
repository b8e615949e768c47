"""Reading people through a case. Callers got the case and access from
cases.selectors.case_for_actor (404 outside the team)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from samverkan.access import policy
from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.people.models import Guardianship


def guardianships_for_case(*, case: Any) -> QuerySet[Guardianship]:
    """The participant's active guardianships (for forms of the lead team)."""
    return (
        Guardianship.objects.filter(child_id=case.person_id, active=True)
        .select_related("guardian")
        .order_by("pk")
    )


def guardians_for_lead_team(
    *, actor: Any, case: Any, access: policy.CaseAccess
) -> list[Guardianship]:
    """The participant's guardians, for the lead organisation's team only (403 for
    other team members). Audited as PERSON_VIEWED with the guardianship ids."""
    if not access.is_lead_team:
        raise PermissionDenied
    rows = list(guardianships_for_case(case=case))
    audit.record(
        action=Action.PERSON_VIEWED,
        actor=actor,
        subject_type="case",
        subject_id=case.public_id,
        subject_organisation_id=case.lead_organisation_id,
        detail={"guardianships": [g.pk for g in rows]},
    )
    return rows
