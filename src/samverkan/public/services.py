"""Writing public-page content (citizen promises). Audited; publishing clears the
public page cache."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from samverkan.agreement.models import CitizenPromise
from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.lib.concurrency import StaleEdit as StaleEdit  # re-exported: services.StaleEdit
from samverkan.public import cache as public_cache

if TYPE_CHECKING:
    from samverkan.accounts.models import User


@transaction.atomic
def promise_save(
    *, actor: User, promise: CitizenPromise, expected_version: int | None = None
) -> CitizenPromise:
    """Create or update a citizen promise (optimistic locking on ``version``). The
    caller checked Permission.CITIZEN_PROMISE_MANAGE."""
    created = promise.pk is None
    if created:
        promise.version = 1
        promise.save()
    else:
        current = CitizenPromise.objects.select_for_update().get(pk=promise.pk)
        if expected_version is not None and current.version != expected_version:
            raise StaleEdit
        promise.version = current.version + 1
        promise.save()
    audit.record(
        action=Action.CITIZEN_PROMISE_SAVED,
        actor=actor,
        subject_type="citizen_promise",
        subject_id=promise.pk,
        detail={"area": promise.area.code, "published": promise.published, "created": created},
    )
    transaction.on_commit(public_cache.invalidate)
    return promise
