"""Loading the Trefas demo: the staff (always refreshed), then the forum and everything
in it unless the forum is loaded already."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from samverkan.demo.trefas.common import FORUM_CODE, Loader
from samverkan.demo.trefas.forum import make_forum
from samverkan.demo.trefas.incidents import make_exit, make_incident, make_release
from samverkan.demo.trefas.meetings import hold_meetings
from samverkan.demo.trefas.people import list_people, make_groups
from samverkan.demo.trefas.shares import make_shares
from samverkan.demo.trefas.staff import ensure_trefas_staff
from samverkan.trefas.models import Forum


def load_trefas(today: date | None = None) -> list[dict[str, Any]]:
    """Load the Trefas demo (idempotent). Returns rows for the forum's demo staff, for the
    persona table that ``load_demo`` prints."""
    users, rows = ensure_trefas_staff()
    if Forum.objects.filter(code=FORUM_CODE).exists():
        return rows
    loader = Loader.start(today or timezone.localdate(), users)
    make_forum(loader)
    list_people(loader)
    groups = make_groups(loader)
    make_shares(loader, groups)
    hold_meetings(loader)
    make_incident(loader, groups)
    make_release(loader)
    make_exit(loader)
    return rows
