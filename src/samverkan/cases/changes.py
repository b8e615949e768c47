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

A loader that writes many entries into each case (the demo, a test world) wraps its work
in ``changes_batched()``: the listeners then hear of each changed case once, at the end,
instead of after every entry (a reminder refresh reads the whole case).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

CaseListener = Callable[[Any], object]  # what it returns is ignored

_LISTENERS: dict[str, CaseListener] = {}
# The cases changed inside changes_batched(), by primary key; None outside one.
_PENDING: ContextVar[dict[Any, Any] | None] = ContextVar("samverkan_case_changes_pending", default=None)


def on_case_changed(name: str, listener: CaseListener) -> None:
    """Register ``listener(case)`` under ``name`` (registering a name again replaces it)."""
    _LISTENERS[name] = listener


def case_changed(case: Any) -> None:
    """Tell every listener that ``case`` (a Case) changed. Runs in the caller's transaction
    (inside ``changes_batched()``: once per case, when the batch ends)."""
    pending = _PENDING.get()
    if pending is not None:
        pending[case.pk] = case
        return
    for listener in list(_LISTENERS.values()):
        listener(case)


@contextmanager
def changes_batched() -> Iterator[None]:
    """Hold back ``case_changed`` until the block ends, then tell the listeners once per
    changed case. Nothing is told if the block raises (its writes are expected to roll
    back with it). Nested blocks join the outermost one."""
    if _PENDING.get() is not None:
        yield
        return
    pending: dict[Any, Any] = {}
    token = _PENDING.set(pending)
    try:
        yield
    finally:
        _PENDING.reset(token)
    for case in pending.values():
        case_changed(case)
