"""Loading the whole individual track: staff, every participant not loaded yet, the log
review."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from samverkan.cases.changes import changes_batched
from samverkan.demo.individual_track.case_story import load_case
from samverkan.demo.individual_track.common import Loader
from samverkan.demo.individual_track.log_review import log_review_demo
from samverkan.demo.individual_track.specs import already_loaded, participant_specs
from samverkan.demo.individual_track.staff import ensure_staff


def load_individual_track(today: date | None = None) -> list[dict[str, Any]]:
    """Load (or complete) the individual-track demo. Returns rows for the extra demo
    staff, for the persona table that ``load_demo`` prints."""
    today = today or timezone.localdate()
    rows = ensure_staff()
    loader = Loader(today)
    with changes_batched():  # each case's reminders once, after its story is written
        for spec in participant_specs(today):
            if not already_loaded(spec):
                load_case(loader, spec)
    log_review_demo(today)
    return rows
