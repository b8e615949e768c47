"""The scopes of the prevention documents and of the coordinating function: a
municipality, or one of its districts. A scope is named in URLs by a key that carries
no personal data: the district's code, or ``kommun-<municipality slug>``.

Which scopes a person sees is the area scope's decision (picture.decision.LocalAccess:
``municipalities`` and ``district_ids``); this module only turns it into objects."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404
from django.utils.text import slugify

from samverkan.directory.models import District
from samverkan.picture.decision import LocalAccess, LocalAction

MUNICIPALITY_PREFIX = "kommun-"


@dataclass(frozen=True)
class ScopeRef:
    """A municipality (``district`` None) or a district. Has ``municipality`` and
    ``district_id`` like the documents, so ``LocalAccess.may(..., scope)`` decides on it."""

    municipality: str
    district: District | None = None

    @property
    def district_id(self) -> int | None:
        return self.district.pk if self.district is not None else None

    @property
    def key(self) -> str:
        if self.district is not None:
            return self.district.code
        return MUNICIPALITY_PREFIX + slugify(self.municipality)

    @property
    def label(self) -> str:
        return self.district.name if self.district is not None else self.municipality

    @property
    def sort_key(self) -> tuple[str, int, str]:
        return (self.municipality, 0 if self.district is None else 1, self.label)


def scope_key(municipality: str, district_id: int | None, districts: dict[int, District]) -> str:
    """The key of a row's scope (a document, a coordinator, a step)."""
    if district_id is not None:
        return districts[district_id].code
    return MUNICIPALITY_PREFIX + slugify(municipality)


def scopes_for(*, access: LocalAccess) -> list[ScopeRef]:
    """Every scope whose documents the person sees (VIEW_DOCUMENTS), municipality first,
    then its districts by name; one query (the districts), none without a scope."""
    if not access.may(LocalAction.VIEW_DOCUMENTS):
        return []
    scopes = [ScopeRef(municipality=m) for m in access.municipalities]
    if access.district_ids:
        scopes += [
            ScopeRef(municipality=d.municipality, district=d)
            for d in District.objects.filter(pk__in=sorted(access.district_ids))
        ]
    return sorted(scopes, key=lambda s: s.sort_key)


def scope_for_actor(*, access: LocalAccess, key: str) -> ScopeRef:
    """The scope named by ``key`` if the person sees its documents; 404 otherwise (a
    scope outside theirs does not exist for them)."""
    if not access.may(LocalAction.VIEW_DOCUMENTS):
        raise Http404
    if key.startswith(MUNICIPALITY_PREFIX):
        for municipality in access.municipalities:
            if MUNICIPALITY_PREFIX + slugify(municipality) == key:
                return ScopeRef(municipality=municipality)
        raise Http404
    district = District.objects.filter(code=key, pk__in=sorted(access.district_ids)).first()
    if district is None:
        raise Http404
    return ScopeRef(municipality=district.municipality, district=district)
