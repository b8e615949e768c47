"""Optimistic locking, shared by every app that edits versioned records.

An editable record carries a ``version``; a form sends back the version the editor
loaded, and the service saves only if it is still the stored one (``UPDATE … WHERE
version = expected``). Otherwise it raises StaleEdit and writes nothing, and the page
tells the editor (keeping what they typed) instead of losing someone's update.
"""

from __future__ import annotations


class StaleEdit(Exception):
    """The record changed after the editor loaded it; nothing was written."""
