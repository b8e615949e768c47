"""Everything stored for a case, found from the model graph rather than a hand-kept
list, so a model another app adds later (with a foreign key to the case, or to a row
of the case) is purged and exported without a change here.

``case_graph(case)`` follows reverse foreign keys and one-to-one keys from the case
to every row that hangs off it, recursively (not back up to Person, Organisation or
User: those are not owned by the case).

``trefas_records(person_ids)`` gathers what Trefas holds about the person's records
(they are not part of a case): listings with their rating history, shares about them and
the disclosure register's Trefas rows (approvals and refusals), incident links, releases
and exits, each under the organisation that owns it (police records fall under
brottsdatalagen, social services' under GDPR and SoL: each record keeps its owner).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

from django.db import models

from samverkan.cases.models import Case
from samverkan.consent.models import Disclosure, DisclosureTrack
from samverkan.trefas.models import ExitLink, IncidentLink, Listing, RatingChange, Release, Share

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


# (section key, model) in the order the extract shows them.
TREFAS_SECTIONS = ("listing", "ratingchange", "share", "disclosure", "incidentlink", "release", "exitlink")


def trefas_records(person_ids: list[int]) -> dict[int, dict[str, list[models.Model]]]:
    """Trefas rows about the person records ``person_ids``, by owning organisation id and
    section key (TREFAS_SECTIONS). Every share about a listing of theirs is included,
    whatever its state (proposed, refused and withdrawn too: they are held)."""
    by_org: dict[int, dict[str, list[models.Model]]] = {}

    def add(org_id: int, key: str, rows: Any) -> None:
        for row in rows:
            by_org.setdefault(org_id, {}).setdefault(key, []).append(row)

    listings = list(Listing.objects.filter(person_id__in=person_ids).select_related(
        "forum", "nominated_by_organisation", "area").order_by("listed_at", "pk"))
    listing_ids = [li.pk for li in listings]
    for li in listings:
        add(li.nominated_by_organisation_id, "listing", [li])
    owner = {li.pk: li.nominated_by_organisation_id for li in listings}
    for change in RatingChange.objects.filter(listing_id__in=listing_ids).order_by("set_at", "pk"):
        add(owner[change.listing_id], "ratingchange", [change])
    for share in (Share.objects.filter(listing_id__in=listing_ids).select_related("basis")
                  .prefetch_related("recipients").order_by("proposed_at", "pk")):
        add(share.from_organisation_id, "share", [share])
    for row in (Disclosure.objects.filter(track=DisclosureTrack.TREFAS, person_id__in=person_ids)
                .select_related("basis").order_by("decided_at", "pk")):
        add(row.from_organisation_id, "disclosure", [row])
    for link in (IncidentLink.objects.filter(models.Q(listing_id__in=listing_ids) | models.Q(person_id__in=person_ids))
                 .select_related("incident").order_by("incident__occurred_at", "pk")):
        add(link.recorded_by_organisation_id, "incidentlink", [link])
    for release in Release.objects.filter(listing_id__in=listing_ids).order_by("date", "pk"):
        add(release.registered_by_organisation_id, "release", [release])
    for exit_link in ExitLink.objects.filter(listing_id__in=listing_ids).order_by("created_at", "pk"):
        add(exit_link.created_by_organisation_id, "exitlink", [exit_link])
    return by_org
