"""Loading the local-picture demo: the staff and fictitious organisations (always
refreshed), then the rest unless it is loaded already."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from samverkan.demo.localpicture.agreements import make_agreements
from samverkan.demo.localpicture.common import SITUATION_TITLE, Loader
from samverkan.demo.localpicture.documents import make_coordination, make_documents
from samverkan.demo.localpicture.meetings import hold_weekly_meetings
from samverkan.demo.localpicture.reports import make_places, make_year_of_reports
from samverkan.demo.localpicture.staff import ensure_local_picture_staff
from samverkan.picture import reference as categories
from samverkan.prevention.models import SituationReport


def load_local_picture(today: date | None = None) -> list[dict[str, Any]]:
    """Load the local-picture demo (idempotent). Returns rows for its demo staff, for the
    persona table that ``load_demo`` prints."""
    users, orgs, rows = ensure_local_picture_staff()
    if SituationReport.objects.filter(title__startswith=SITUATION_TITLE).exists():
        return rows
    categories.load()
    loader = Loader.start(today or timezone.localdate(), users, orgs)
    make_places(loader)
    make_year_of_reports(loader)
    hold_weekly_meetings(loader)
    _report, _plan, problems = make_documents(loader)
    make_agreements(loader, problems)
    make_coordination(loader)
    return rows
