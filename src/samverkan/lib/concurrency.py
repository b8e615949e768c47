"""Optimistic locking, shared by every app that edits versioned records.

An editable record carries a ``version``; a form sends back the version the editor
loaded, and the service saves only if it is still the stored one (``UPDATE … WHERE
version = expected``). Otherwise it raises StaleEdit and writes nothing, and the view
calls ``show_conflict``: the page tells the editor, keeps everything they entered, and
now carries the stored version, so saving again is a deliberate choice to replace the
other person's changes. Nobody's update is lost silently and nobody's input is thrown away.
"""

from __future__ import annotations

from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

CONFLICT_STATUS = 409

STALE_KEPT = _(
    "Someone else saved this while you were editing, so nothing was saved. What you entered "
    "is still in the form. Save again to replace their changes with yours, or open this page "
    "again in a new tab to see what they saved first."
)


class StaleEdit(Exception):
    """The record changed after the editor loaded it; nothing was written."""


def stored_version(instance: Any) -> int | None:
    """The version now stored for a record the caller already holds (None if it is gone).

    Only the version number is read: the caller has already passed the access policy
    for ``instance``."""
    if instance.pk is None:
        return None
    manager = type(instance)._default_manager
    return manager.filter(pk=instance.pk).values_list("version", flat=True).first()


def show_conflict(
    form: Any,
    current_version: int | None,
    *,
    message: Any = STALE_KEPT,
    field: str = "version",
) -> int:
    """A save met StaleEdit: keep the editor's input, let a second save knowingly replace
    the version now stored, say what happened, and return the status for the page (409)."""
    if current_version is not None:
        data: Any = form.data.copy() if isinstance(form.data, QueryDict) else dict(form.data)
        data[form.add_prefix(field)] = str(current_version)
        form.data = data
    form.add_error(None, message)
    return CONFLICT_STATUS
