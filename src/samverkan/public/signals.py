"""Clear the public page cache when anything those pages show is saved elsewhere
(action groups, premises, required agencies, roster versions being published)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from samverkan.actiongroups.models import ActionGroup, PositionRequirement, Premises
from samverkan.public import cache as public_cache
from samverkan.rostering.models import RosterVersion


def _invalidate(sender: Any, **kwargs: Any) -> None:
    transaction.on_commit(public_cache.invalidate)


def connect() -> None:
    for model in (ActionGroup, Premises, PositionRequirement, RosterVersion):
        post_save.connect(
            _invalidate, sender=model, dispatch_uid=f"public-cache-{model._meta.label}-save"
        )
        post_delete.connect(
            _invalidate, sender=model, dispatch_uid=f"public-cache-{model._meta.label}-delete"
        )
