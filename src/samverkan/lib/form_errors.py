"""A service's ValidationError shown on the form that called it.

Services validate what a form cannot know (rules across fields and rows) and raise
``ValidationError``, with a dict when the message belongs to one field. The view puts it
back on its form with ``apply_validation_error``, so every page says it the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError


def apply_validation_error(form: Any, exc: ValidationError, *, rename: Mapping[str, str] | None = None) -> None:
    """Add ``exc``'s messages to ``form``: a message about a field the form has goes on
    that field, every other message (no field, or a field the form does not show) on the
    form as a whole. ``rename`` maps a service's field name to the form's where they
    differ. The codes and parameters of the errors are kept."""
    rename = rename or {}
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            field = rename.get(name, name)
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
