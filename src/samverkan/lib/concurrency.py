"""Optimistic locking, shared by every app that edits versioned records.

An editable record carries a ``version``; a form sends back the version the editor
loaded, and the service saves only if it is still the stored one (``UPDATE … WHERE
version = expected``). Otherwise it raises StaleEdit and writes nothing, and the view
calls ``show_conflict``: the page tells the editor, keeps everything they entered, and
now carries the stored version, so saving again is a deliberate choice to replace the
other person's changes. Nobody's update is lost silently and nobody's input is thrown away.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.db import models
from django.db.models import F
from django.dispatch import Signal
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

M = TypeVar("M", bound=models.Model)

CONFLICT_STATUS = 409

STALE_KEPT = _(
    "Someone else saved this while you were editing, so nothing was saved. What you entered "
    "is still in the form. Save again to replace their changes with yours, or open this page "
    "again in a new tab to see what they saved first."
)


# Sent after a successful ``update_versioned`` with ``sender=<model class>`` and
# ``pk=<the row's key>``. A versioned write is an UPDATE query, which sends no post_save;
# listeners that must hear of every change (the residents' page cache,
# samverkan.public.signals) connect here as well.
versioned_update = Signal()


class StaleEdit(Exception):
    """The record changed after the editor loaded it; nothing was written."""


# For a write with no editor's version to compare (demo data, commands, tests): matches
# whatever version is stored, so only the target's other conditions guard the write.
ANY_VERSION = F("version")


def update_versioned(
    target: type[models.Model] | models.QuerySet[Any],
    /,
    *,
    pk: Any,
    version: int | F | None,
    **changes: Any,
) -> None:
    """``UPDATE … SET <changes>, version = version + 1 WHERE pk = <pk> AND version =
    <version>`` (and the conditions of ``target`` when it is a queryset, e.g. "not
    signed"); one query. Raises StaleEdit, having written nothing, when no row matched:
    the record changed or left the target's conditions since the editor loaded it.
    ``version=None`` (no version sent) matches no row: a missing version is stale, never
    a blind overwrite. ``ANY_VERSION`` skips the comparison."""
    queryset = target._default_manager.all() if isinstance(target, type) else target
    if not queryset.filter(pk=pk, version=version).update(version=F("version") + 1, **changes):
        raise StaleEdit
    versioned_update.send(sender=queryset.model, pk=pk)


def save_versioned(*, instance: M, expected_version: int | None, fields: Iterable[str] | None = None) -> M:
    """Write ``fields`` of ``instance`` (default: every column but the key and the
    version) through ``update_versioned``, with ``updated_at`` set to now when the model
    has one; then reload ``instance`` and return it. StaleEdit as there."""
    model = type(instance)
    concrete = model._meta.concrete_fields
    if fields is None:
        fields = [f.attname for f in concrete if not f.primary_key and f.attname != "version"]
    values = {name: getattr(instance, name) for name in fields}
    if any(f.name == "updated_at" for f in concrete):
        values["updated_at"] = timezone.now()
    update_versioned(model, pk=instance.pk, version=expected_version, **values)
    instance.refresh_from_db()
    return instance


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
