"""Form helpers for view tests."""

from __future__ import annotations

from typing import Any


def post_data(form: Any) -> dict[str, Any]:
    """What a browser would post back for a rendered form, unchanged (prefixes included)."""
    data: dict[str, Any] = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        data[form.add_prefix(name)] = "on" if value is True else value
    return data
