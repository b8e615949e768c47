""""Something in this case changed": a hook for what upper apps derive from a case.

Apps above the case spine (reminders) keep rows derived from a case's facts: its
meetings, plan commitments, consents, team, status and follow-ups. The services that
change those facts live in lower apps (cases, consent, plans, meetings), which may not
import the upper app (.importlinter). So the upper app registers a listener here in its
AppConfig.ready, and the lower services call ``case_changed`` once they have written,
inside their own transaction: the derived rows follow at once, and roll back with the
change if it fails.

``cases.services.case_touch`` (every new or changed entry) calls it; so do the case
services that change the team, the status or the follow-ups without touching.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

CaseListener = Callable[[Any], object]  # what it returns is ignored

_LISTENERS: dict[str, CaseListener] = {}


def on_case_changed(name: str, listener: CaseListener) -> None:
    """Register ``listener(case)`` under ``name`` (registering a name again replaces it)."""
    _LISTENERS[name] = listener


def case_changed(case: Any) -> None:
    """Tell every listener that ``case`` (a Case) changed. Runs in the caller's transaction."""
    for listener in list(_LISTENERS.values()):
        listener(case)
