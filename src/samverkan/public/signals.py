"""Clear the public page cache when anything those pages show is saved elsewhere
(action groups, premises, required agencies, roster versions being published; citizen
promises and their progress; the åtgärdsplan's measures; safety-poll answers; the
organisation's identity shown in the header).

Versioned writes (lib.concurrency) are UPDATE queries and send no post_save: for those
the cache listens to ``lib.concurrency.versioned_update`` of the same models. Either way
the cache is cleared only once the transaction commits."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from samverkan.actiongroups.models import ActionGroup, PositionRequirement, Premises
from samverkan.agreement.models import CitizenPromise, PromiseProgress
from samverkan.directory.models import Identity
from samverkan.lib.concurrency import versioned_update
from samverkan.prevention.models import Measure, MeasureProgress, PreventionPlan
from samverkan.public import cache as public_cache
from samverkan.public.models import SafetyPollAnswer
from samverkan.rostering.models import RosterVersion

WATCHED = (
    ActionGroup,
    Premises,
    PositionRequirement,
    RosterVersion,
    CitizenPromise,
    PromiseProgress,
    PreventionPlan,
    Measure,
    MeasureProgress,
    SafetyPollAnswer,
    Identity,  # the header's name, logo and colour
)


def _invalidate(sender: Any, **kwargs: Any) -> None:
    transaction.on_commit(public_cache.invalidate)


def connect() -> None:
    for model in WATCHED:
        post_save.connect(
            _invalidate, sender=model, dispatch_uid=f"public-cache-{model._meta.label}-save"
        )
        post_delete.connect(
            _invalidate, sender=model, dispatch_uid=f"public-cache-{model._meta.label}-delete"
        )
        versioned_update.connect(
            _invalidate, sender=model, dispatch_uid=f"public-cache-{model._meta.label}-versioned"
        )
