"""Reading citizen promises for the staff pages. Every function takes the person's
``LocalAccess``: a promise is managed by those who may ``MANAGE_PROMISES`` in its area
(picture.decision); a promise outside that scope is not found (404)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from samverkan.agreement.models import Agreement, CitizenPromise, PromiseProgress
from samverkan.directory.models import Area
from samverkan.picture.decision import LocalAccess, LocalAction


def manageable_areas(access: LocalAccess) -> list[Area]:
    """The areas whose promises the person may manage (one query; the decision is asked
    per area, so the rule is stated only in picture.decision)."""
    return [
        area
        for area in Area.objects.select_related("district").order_by("name")
        if access.may(LocalAction.MANAGE_PROMISES, area)
    ]


def _latest_progress() -> Prefetch[str]:
    return Prefetch(
        "progress",
        queryset=PromiseProgress.objects.order_by("-recorded_on", "-pk"),
        to_attr="progress_newest_first",
    )


@dataclass(frozen=True)
class PromiseRow:
    promise: CitizenPromise
    latest: PromiseProgress | None


def promises_for_actor(access: LocalAccess) -> list[PromiseRow]:
    """The promises of the areas the person may manage, each with its latest progress
    (three queries whatever the count)."""
    area_ids = [a.pk for a in manageable_areas(access)]
    promises = (
        CitizenPromise.objects.filter(area_id__in=area_ids)
        .select_related("area", "agreement")
        .prefetch_related(_latest_progress())
        .order_by("area__name", "-period", "title")
    )
    return [
        PromiseRow(promise=p, latest=(p.progress_newest_first or [None])[0])  # type: ignore[attr-defined]
        for p in promises
    ]


def promise_for_actor(access: LocalAccess, pk: int) -> CitizenPromise:
    """One promise the person may manage; 404 when there is none or it is outside the
    person's areas (the caller's role permission was checked by the view's guard)."""
    promise = CitizenPromise.objects.select_related("area__district", "agreement").filter(pk=pk).first()
    if promise is None or not access.may(LocalAction.MANAGE_PROMISES, promise.area):
        raise Http404
    return promise


def progress_history(promise: CitizenPromise) -> list[PromiseProgress]:
    """Every progress entry of the promise, newest first, with who recorded it."""
    return list(
        PromiseProgress.objects.filter(promise=promise)
        .select_related("recorded_by")
        .order_by("-recorded_on", "-pk")
    )


def agreements_for_promises(access: LocalAccess, *, keep: int | None = None) -> QuerySet[Agreement]:
    """Agreements a promise may be made within: those the person sees (the service
    checks that the chosen one covers the promise's area), and ``keep`` (the promise's
    current agreement, which its editor may leave as it is)."""
    seen = Q(access.documents_q()) if access.may(LocalAction.VIEW_AGREEMENT) else Q(pk__in=[])
    if keep is not None:
        seen |= Q(pk=keep)
    return Agreement.objects.filter(seen).select_related("district").order_by(
        "municipality", "district__name", "-valid_from"
    )


def agreement_covers_area(agreement: Agreement, area: Area) -> bool:
    """A local agreement covers its district's areas; a city-wide one (no district)
    every area of its municipality; an agreement that names its areas only those."""
    if agreement.district_id is not None:
        covered = agreement.district_id == area.district_id
    else:
        covered = bool(agreement.municipality) and agreement.municipality == area.district.municipality
    if not covered:
        return False
    named = agreement.areas.all()
    return not named.exists() or named.filter(pk=area.pk).exists()
