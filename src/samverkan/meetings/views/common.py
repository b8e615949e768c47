"""What every meeting page shares: the case (404 outside the team), its header context
and the meeting's address."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from samverkan.caseaccess.decision import CaseAccess
from samverkan.cases import selectors as case_selectors
from samverkan.cases.models import Case
from samverkan.meetings.models import Meeting


def page_context(case: Case, access: CaseAccess, **extra: Any) -> dict[str, Any]:
    return {
        "case": case,
        "access": access,
        "person": case_selectors.person_view(case=case, access=access),
        **extra,
    }


def detail_url(case: Case, meeting: Meeting) -> str:
    return reverse("meetings:detail", args=[case.public_id, meeting.public_id])
