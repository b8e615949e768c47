"""Job handlers by kind. Apps register theirs in <app>/jobs.py with ``@handler`` (the
audit trail, below this app, has its upkeep registered in jobs/maintenance.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from samverkan.jobs.context import JobContext

Handler = Callable[..., dict[str, Any] | None]
# What a person is told a job does, from its parameters, in the active language
# ("Planning the roster for Husby, 7 December 2026 – 3 January 2027").
Label = Callable[[dict[str, Any]], str]
_HANDLERS: dict[str, Handler] = {}
_RESULT_TEMPLATES: dict[str, str] = {}
_LABELS: dict[str, Label] = {}
_COUNTED: set[str] = set()


def handler(
    kind: str, *, result_template: str = "", label: Label | None = None, counted: bool = True
) -> Callable[[Handler], Handler]:
    """Register ``func`` for ``kind``; ``result_template`` renders ``job.result``;
    ``label`` names the job for people (the kind is only a key); ``counted=False`` when
    the job's progress counts mean nothing to a reader (only the bar is shown)."""

    def register(func: Handler) -> Handler:
        if kind in _HANDLERS and _HANDLERS[kind] is not func:
            raise RuntimeError(f"job kind {kind!r} registered twice")
        _HANDLERS[kind] = func
        if result_template:
            _RESULT_TEMPLATES[kind] = result_template
        if label is not None:
            _LABELS[kind] = label
        if counted:
            _COUNTED.add(kind)
        return func

    return register


def get(kind: str) -> Handler:
    try:
        return _HANDLERS[kind]
    except KeyError:
        raise LookupError(f"no job handler for {kind!r}") from None


def result_template(kind: str) -> str:
    return _RESULT_TEMPLATES.get(kind, "")


def label(kind: str, params: dict[str, Any]) -> str:
    """The job's name for people; a job registered without one is "A background job"."""
    from django.utils.translation import gettext as _  # deferred: the registry loads before translations are ready

    name = _LABELS.get(kind)
    if name is not None:
        try:
            return name(params)
        except LookupError:  # what the job was about is gone (e.g. the plan was deleted)
            pass
    return _("A background job")


def counted(kind: str) -> bool:
    return kind in _COUNTED


def kinds() -> list[str]:
    return sorted(_HANDLERS)


__all__ = ["JobContext", "get", "handler", "kinds"]
