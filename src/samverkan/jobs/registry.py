"""Job handlers by kind. Apps register theirs in <app>/jobs.py with ``@handler`` (the
audit trail, below this app, has its upkeep registered in jobs/maintenance.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from samverkan.jobs.context import JobContext

Handler = Callable[..., dict[str, Any] | None]
_HANDLERS: dict[str, Handler] = {}
_RESULT_TEMPLATES: dict[str, str] = {}


def handler(kind: str, *, result_template: str = "") -> Callable[[Handler], Handler]:
    """Register ``func`` for ``kind``; ``result_template`` renders ``job.result``."""

    def register(func: Handler) -> Handler:
        if kind in _HANDLERS and _HANDLERS[kind] is not func:
            raise RuntimeError(f"job kind {kind!r} registered twice")
        _HANDLERS[kind] = func
        if result_template:
            _RESULT_TEMPLATES[kind] = result_template
        return func

    return register


def get(kind: str) -> Handler:
    try:
        return _HANDLERS[kind]
    except KeyError:
        raise LookupError(f"no job handler for {kind!r}") from None


def result_template(kind: str) -> str:
    return _RESULT_TEMPLATES.get(kind, "")


def kinds() -> list[str]:
    return sorted(_HANDLERS)


__all__ = ["JobContext", "get", "handler", "kinds"]
