"""System checks for the audit trail's keys and checkpoints (docs/adr/0009)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register


@register(Tags.security)
def audit_keys_configured(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """No keys: nothing could be appended to the trail (record refuses), so refuse to
    start; production also needs a checkpoint file outside the database."""
    errors: list[CheckMessage] = []
    if not getattr(settings, "AUDIT_KEYS", None):
        errors.append(Error(
            "AUDIT_KEYS is empty: set AUDIT_KEYS or AUDIT_KEYS_FILE (see README, Running in "
            "production).",
            id="samverkan.E022",
        ))
    # SAMVERKAN_PRODUCTION: set by settings.production (accounts.checks.production_settings
    # also knows it; the audit app imports no other app).
    if getattr(settings, "SAMVERKAN_PRODUCTION", False) and not getattr(settings, "AUDIT_CHECKPOINT_FILE", ""):
        errors.append(Error(
            "AUDIT_CHECKPOINT_FILE is empty under production settings: set it to a file "
            "outside the database that the service may append to.",
            id="samverkan.E023",
        ))
    return errors
