"""Everything stored for a case, found from the model graph rather than a hand-kept
list, so a model another app adds later (with a foreign key to the case, or to a row
of the case) is purged and exported without a change here.

``case_graph(case)`` follows reverse foreign keys and one-to-one keys from the case
to every row that hangs off it, recursively (not back up to Person, Organisation or
User: those are not owned by the case).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

from django.db import models

from samverkan.cases.models import Case

# Models reachable from a case that are not part of it.
_NOT_OWNED = {"people.person", "people.guardianship", "directory.organisation", "accounts.user"}


def _owned_relations(model: type[models.Model]) -> Iterator[Any]:
    for rel in model._meta.related_objects:
        if rel.many_to_many or not (rel.one_to_many or rel.one_to_one):
            continue
        related = cast(type[models.Model], rel.related_model)
        # A model's reference to itself (a correction) is reached via the case anyway.
        if related._meta.label_lower in _NOT_OWNED or related is model:
            continue
        yield rel


def case_graph(case: Case) -> dict[type[models.Model], list[models.Model]]:
    """Rows owned by ``case``, by model (the case itself not included), in discovery
    order: parents before children."""
    found: dict[type[models.Model], dict[Any, models.Model]] = {}
    queue: list[tuple[type[models.Model], list[Any]]] = [(Case, [case.pk])]
    while queue:
        model, ids = queue.pop(0)
        for rel in _owned_relations(model):
            related = cast(type[models.Model], rel.related_model)
            rows = list(
                related._default_manager.filter(**{f"{rel.field.name}__in": ids}).order_by("pk")
            )
            bucket = found.setdefault(related, {})
            new = [r for r in rows if r.pk not in bucket]
            for r in new:
                bucket[r.pk] = r
            if new:
                queue.append((related, [r.pk for r in new]))
    return {model: list(rows.values()) for model, rows in found.items() if rows}


def file_names(graph: dict[type[models.Model], list[models.Model]]) -> list[tuple[Any, str]]:
    """(storage, name) of every stored file the case's rows point at."""
    result = []
    for model, rows in graph.items():
        file_fields = [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
        for row in rows:
            for field in file_fields:
                value = getattr(row, field.attname)
                if value:
                    result.append((field.storage, str(value)))
    return result
