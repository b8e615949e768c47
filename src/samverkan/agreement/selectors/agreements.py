"""Reading agreements through the area scope (picture.decision.LocalAccess): the list a
person sees, one agreement (404 outside the scope), the agreement's page, and the choices
its forms offer. Every query here is filtered by ``access.documents_q()`` or hangs off an
agreement already fetched through it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.http import Http404

from samverkan.agreement.models import (
    Agreement,
    AgreementKind,
    AgreementParty,
    CitizenPromise,
    CollaborationForum,
    Commitment,
    FollowUpMeeting,
    PromiseProgress,
    PromiseState,
    Signatory,
)
from samverkan.directory.models import Area, District, Organisation, OrganisationKind
from samverkan.picture.decision import LocalAccess, LocalAction
from samverkan.prevention.models import Problem, SituationReport

# An agreement is signed by the police and the city or district: at least two signatories.
MIN_SIGNATORIES = 2


@dataclass
class CityGroup:
    """A city-wide agreement with the local agreements under it that the person sees;
    ``agreement`` is None for local agreements whose city-wide one is not visible."""

    agreement: Agreement | None
    local: list[Agreement] = field(default_factory=list)


def _visible(access: LocalAccess) -> QuerySet[Agreement]:
    if not access.may(LocalAction.VIEW_AGREEMENT):
        return Agreement.objects.none()
    return Agreement.objects.filter(access.documents_q())


def agreement_groups(*, access: LocalAccess) -> list[CityGroup]:
    """The agreements the person sees, the local ones grouped under their city-wide one
    (one query)."""
    rows = list(_visible(access).select_related("district", "police", "parent"))
    groups: dict[int | None, CityGroup] = {}
    for row in rows:
        if row.kind == AgreementKind.CITY:
            groups.setdefault(row.pk, CityGroup(agreement=row)).agreement = row
    for row in rows:
        if row.kind == AgreementKind.LOCAL:
            key = row.parent_id if row.parent_id in groups else None
            groups.setdefault(key, CityGroup(agreement=None)).local.append(row)
    ordered = [g for k, g in groups.items() if k is not None]
    if None in groups:
        ordered.append(groups[None])
    return ordered


def agreement_for(*, access: LocalAccess, agreement_id: int) -> Agreement:
    """One agreement the person sees, with its parties (the decision reads them); 404
    otherwise, whatever the reason, so nothing tells an outsider that it exists."""
    agreement = (
        _visible(access).select_related("district", "police", "parent")
        .prefetch_related(Prefetch("parties", queryset=AgreementParty.objects.select_related("organisation")))
        .filter(pk=agreement_id).first()
    )
    if agreement is None or not access.may(LocalAction.VIEW_AGREEMENT, agreement):
        raise Http404
    return agreement


# --- the agreement's page ---------------------------------------------------------


@dataclass
class PromiseLine:
    promise: CitizenPromise
    state: str | None
    state_label: str
    recorded_on: Any
    public_text: str


def promises_with_progress(*, agreement: Agreement) -> list[PromiseLine]:
    """The citizen promises made within the agreement with their latest progress (one
    query; read-only here: the promises have their own pages)."""
    latest = PromiseProgress.objects.filter(promise_id=OuterRef("pk")).order_by("-recorded_on", "-pk")
    rows = (
        CitizenPromise.objects.filter(agreement=agreement).select_related("area")
        .annotate(latest_state=Subquery(latest.values("state")[:1]),
                  latest_on=Subquery(latest.values("recorded_on")[:1]),
                  latest_text=Subquery(latest.values("public_text")[:1]))
        .order_by("area__name", "title")
    )
    labels = dict(PromiseState.choices)
    return [
        PromiseLine(promise=p, state=p.latest_state, state_label=str(labels.get(p.latest_state, "")),
                    recorded_on=p.latest_on, public_text=p.latest_text or "")
        for p in rows
    ]


@dataclass
class PartyCommitments:
    organisation: Organisation
    role: str
    commitments: list[Commitment]


@dataclass
class AgreementPage:
    agreement: Agreement
    parties: list[AgreementParty]
    signatories: list[Signatory]
    problems: list[Problem]
    areas: list[Area]
    by_party: list[PartyCommitments]
    promises: list[PromiseLine]
    forums: list[CollaborationForum]
    follow_ups: list[FollowUpMeeting]
    local: list[Agreement]
    all_signed: bool


def commitments_by_party(agreement: Agreement, parties: list[AgreementParty]) -> list[PartyCommitments]:
    """Each party with its commitments (one query); commitments of an organisation that
    is no longer a party come last under that organisation."""
    commitments = list(agreement.commitments.select_related("organisation", "problem"))
    groups = {p.organisation_id: PartyCommitments(organisation=p.organisation, role=p.role, commitments=[])
              for p in parties}
    for c in commitments:
        groups.setdefault(c.organisation_id, PartyCommitments(organisation=c.organisation, role="",
                                                              commitments=[])).commitments.append(c)
    return list(groups.values())


def agreement_page(*, access: LocalAccess, agreement: Agreement) -> AgreementPage:
    """Everything the agreement's page shows, in a fixed number of queries."""
    parties = list(agreement.parties.all())  # prefetched by agreement_for
    signatories = list(agreement.signatories.select_related("organisation"))
    return AgreementPage(
        agreement=agreement,
        parties=parties,
        signatories=signatories,
        problems=list(agreement.problems.select_related("report").order_by("priority", "pk")),
        areas=list(agreement.areas.order_by("name")),
        by_party=commitments_by_party(agreement, parties),
        promises=promises_with_progress(agreement=agreement),
        forums=list(agreement.forums.order_by("name")),
        follow_ups=list(agreement.follow_ups.order_by("-held_on", "-pk")),
        local=list(_visible(access).filter(parent=agreement).select_related("district", "police")),
        all_signed=len(signatories) >= MIN_SIGNATORIES and all(s.signed_on for s in signatories),
    )


# --- choices of the forms -----------------------------------------------------------


def police_choices(*, kind: str | None = None) -> list[Organisation]:
    """Police regions (city-wide agreements) and local police areas (local ones)."""
    kinds = {AgreementKind.CITY: [OrganisationKind.POLICE_REGION], AgreementKind.LOCAL: [OrganisationKind.POLICE_AREA]}
    wanted = kinds.get(kind or "", [OrganisationKind.POLICE_REGION, OrganisationKind.POLICE_AREA])  # type: ignore[call-overload]
    return list(Organisation.objects.filter(active=True, kind__in=wanted).order_by("name"))


def district_choices(*, access: LocalAccess) -> list[District]:
    return list(District.objects.filter(pk__in=sorted(access.district_ids), active=True).order_by("name"))


def area_choices(*, access: LocalAccess) -> list[Area]:
    """Areas of the districts the person sees (the service checks each against the
    agreement's municipality or district)."""
    return list(Area.objects.filter(district_id__in=sorted(access.district_ids)).select_related("district")
                .order_by("district__name", "name"))


def parent_choices(*, access: LocalAccess) -> list[Agreement]:
    return list(_visible(access).filter(kind=AgreementKind.CITY).order_by("municipality", "-valid_from"))


def problems_seen(*, access: LocalAccess) -> QuerySet[Problem]:
    """The prioritised problems of the situation reports (lägesbilder) the person sees."""
    if not access.may(LocalAction.VIEW_AGREEMENT):
        return Problem.objects.none()
    return Problem.objects.filter(report__in=SituationReport.objects.filter(access.documents_q()))


def problem_choices(*, access: LocalAccess) -> list[Problem]:
    return list(problems_seen(access=access).select_related("report").order_by("report__title", "priority", "pk"))


def organisation_choices() -> list[Organisation]:
    """Parties and forum members come from the directory: any active organisation."""
    return list(Organisation.objects.filter(active=True).order_by("name"))


def party_for(*, agreement: Agreement, party_id: int) -> AgreementParty:
    """One party of an agreement already fetched through the scope (404 otherwise)."""
    party = agreement.parties.select_related("organisation").filter(pk=party_id).first()
    if party is None:
        raise Http404
    return party


def party_has_commitments(*, party: AgreementParty) -> bool:
    """Whether the party's organisation has commitments in the agreement (it cannot be
    removed before they are)."""
    return Commitment.objects.filter(agreement_id=party.agreement_id, organisation_id=party.organisation_id).exists()


def signatory_for(*, agreement: Agreement, signatory_id: int) -> Signatory:
    signatory = agreement.signatories.select_related("organisation").filter(pk=signatory_id).first()
    if signatory is None:
        raise Http404
    return signatory
