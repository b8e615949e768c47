"""Shares in every state — approved by the owning organisation's jurist, waiting for
the jurist, refused with a reason, shared under a basis that needs no review, and
withdrawn — under statutory bases from the catalogue, with their rows in the disclosure
register (track "trefas": one per recipient for every decided share, approved or refused;
none for a share still waiting or withdrawn before a decision)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from samverkan.consent.models import Disclosure, DisclosureOutcome, DisclosureTrack, LegalBasis
from samverkan.demo.trefas.common import Loader
from samverkan.trefas.models import Group, Listing, Rating, Share, ShareState, ShareTopic

SOURCE_TYPE = "trefas.share"

TEXTS: dict[tuple[str, str], list[str]] = {
    ("police", ShareTopic.SINCE_LAST): [
        "Kontrollerad i samband med skottlossningen; inga vapen påträffades. Fortsatt umgänge med gruppen.",
        "Anmäld för olaga hot mot en person i den andra gruppen förra veckan.",
        "Har synts i området sent på kvällarna tillsammans med andra personer på listan.",
    ],
    ("soc", ShareTopic.MEASURES): [
        "Socialtjänsten har inlett en utredning och erbjudit familjen stödsamtal varannan vecka.",
        "Placerad i familjehem utanför Stockholm sedan tre veckor; trivs och går i skolan.",
        "Kontaktperson beviljad; första mötet har hållits.",
    ],
    ("soc", ShareTopic.SINCE_LAST): [
        "Familjen har hört av sig om hot mot hemmet; skyddsbedömning pågår.",
        "Har inte varit i skolan de senaste två veckorna enligt vårdnadshavare.",
    ],
    ("probation", ShareTopic.MEASURES): [
        "Övervakning med kontakt två gånger i veckan; har följt villkoren hittills.",
        "Påbörjat behandlingsprogram mot våld inom frivården.",
    ],
    ("prison", ShareTopic.RELEASE_CONDITIONS): [
        "Villkorlig frigivning med särskild föreskrift om boende utanför Järva och drogtester.",
    ],
    ("police", ShareTopic.GROUP): [
        "Gruppen har vuxit med tre yngre personer sedan i somras och säljer narkotika öppet i centrum.",
        "Gruppen bedöms ha tillgång till skjutvapen; flera i gruppen är hotade av den andra gruppen.",
    ],
}
BALANCING = {
    "osl-10-15a": "Uppgiften behövs för att förebygga grovt våld i konflikten; behovet väger tyngre än "
                  "menet för den enskilde, och bara det som forumet behöver lämnas.",
    "osl-10-18a": "Konkreta omständigheter tyder på risk för fortsatt brottslig verksamhet; personen är under "
                  "21 år och utlämnandet skadar inte pågående insatser.",
    "osl-10-20": "Personen är under 18 år och i allvarlig fara; uppgiften behövs för ett omedelbart ingripande.",
    "osl-10-28": "Uppgiftsskyldighet enligt lag; ingen avvägning krävs.",
}
REFUSALS = {
    "soc": "Uppgifterna om psykisk hälsa behövs inte för forumets arbete; menet för den enskilde väger tyngre.",
    "police": "Uppgiften kan skada en pågående förundersökning; lämnas inte nu.",
}


@dataclass(frozen=True)
class Plan:
    by: str  # user key of the proposer
    topic: str
    basis: str
    recipients: tuple[str, ...]  # organisation keys
    state: str
    days_ago: int


def _basis(code: str) -> LegalBasis:
    return LegalBasis.objects.get(code=code)


def _jurist(by: str) -> str:
    return {"police": "police_jurist", "soc": "soc_jurist"}[by]


def make_share(loader: Loader, plan: Plan, *, listing: Listing | None = None, group: Group | None = None,
               text: str | None = None) -> Share:
    """One share and its register rows, as a jurist's decision (or the basis without
    review) would leave them."""
    assert loader.forum is not None
    basis = _basis(plan.basis)
    proposer = loader.users[plan.by]
    proposed_at = loader.days_ago(plan.days_ago, 9) + timedelta(minutes=loader.rng.randint(0, 300))
    options = TEXTS.get((plan.by, plan.topic)) or TEXTS[("soc", ShareTopic.MEASURES)]
    share = Share.objects.create(
        forum=loader.forum, listing=listing, group=group, from_organisation=loader.org_of(plan.by),
        proposed_by=proposer, proposed_at=proposed_at, topic=plan.topic,
        text=text or loader.rng.choice(options), basis=basis, balancing_test=BALANCING[plan.basis],
        state=plan.state,
    )
    share.recipients.set([loader.orgs[key] for key in plan.recipients])
    decided_at: datetime | None = None
    decider = None
    if plan.state in (ShareState.APPROVED, ShareState.REFUSED):
        decider = loader.users[_jurist(plan.by)]
        decided_at = min(proposed_at + timedelta(hours=loader.rng.randint(2, 40)), loader.now - timedelta(hours=1))
    elif plan.state == ShareState.NO_REVIEW:
        decider, decided_at = proposer, proposed_at
    if plan.state == ShareState.WITHDRAWN:
        Share.objects.filter(pk=share.pk).update(
            withdrawn_at=proposed_at + timedelta(hours=loader.rng.randint(1, 30)), withdrawn_by=proposer)
    if decider is not None and decided_at is not None:
        refused = plan.state == ShareState.REFUSED
        Share.objects.filter(pk=share.pk).update(
            decided_by=decider, decided_at=decided_at, decision_reason=REFUSALS[plan.by] if refused else "")
        Disclosure.objects.bulk_create([
            Disclosure(
                track=DisclosureTrack.TREFAS, case=None,
                outcome=DisclosureOutcome.REFUSED if refused else DisclosureOutcome.DISCLOSED,
                refusal_reason=REFUSALS[plan.by] if refused else "",
                person=listing.person if listing is not None else None,
                source_type=SOURCE_TYPE, source_id=str(share.pk), basis=basis,
                from_organisation=share.from_organisation, to_organisation=loader.orgs[key],
                categories=[plan.topic], description=share.text, balancing_test=share.balancing_test,
                decided_by=decider, decided_at=decided_at,
            )
            for key in plan.recipients
        ])
    share.refresh_from_db()
    return share


def _under(loader: Loader, listing: Listing, age: int) -> bool:
    return listing.person.age_on(loader.today) < age


def make_shares(loader: Loader, groups: tuple[Group, Group]) -> list[Share]:
    """About fifty shares: the routine picture of each meeting, then one or more of
    every other state."""
    shares: list[Share] = []
    everyone_but = {key: tuple(k for k in ("soc", "police", "probation", "prison", "city") if k != key)
                    for key in ("soc", "police", "probation", "prison")}
    police_org, soc_org = loader.orgs["police"].pk, loader.orgs["soc"].pk
    for n, listing in enumerate(loader.listings):
        days = loader.rng.randint(6, 80)
        by_police = listing.nominated_by_organisation_id == police_org
        if by_police and listing.rating != Rating.GREEN:
            shares.append(make_share(loader, Plan("police", ShareTopic.SINCE_LAST, "osl-10-15a",
                                                  everyone_but["police"], ShareState.APPROVED, days),
                                     listing=listing))
        if listing.nominated_by_organisation_id == soc_org:
            if _under(loader, listing, 18) and listing.rating == Rating.RED:
                plan = Plan("soc", ShareTopic.SINCE_LAST, "osl-10-20", ("police",), ShareState.NO_REVIEW, days)
            elif _under(loader, listing, 21):
                plan = Plan("soc", ShareTopic.MEASURES, "osl-10-18a", ("police",), ShareState.APPROVED, days)
            else:
                plan = Plan("soc", ShareTopic.MEASURES, "osl-10-15a", everyone_but["soc"], ShareState.APPROVED, days)
            shares.append(make_share(loader, plan, listing=listing))
        if listing.nominated_by_organisation_id == loader.orgs["probation"].pk or n % 9 == 4:
            shares.append(make_share(loader, Plan("probation", ShareTopic.MEASURES, "osl-10-28",
                                                  ("police", "soc"), ShareState.NO_REVIEW, days), listing=listing))
    # An under-18 in danger: social services to the police at once (10 kap. 20 §, no review).
    minors = [x for x in loader.listings if _under(loader, x, 18)]
    if minors:
        shares.append(make_share(loader, Plan("soc", ShareTopic.SINCE_LAST, "osl-10-20", ("police",),
                                              ShareState.NO_REVIEW, 2), listing=minors[0]))
    police_listed = [x for x in loader.listings if x.nominated_by_organisation_id == police_org]
    young = [x for x in loader.listings if _under(loader, x, 21)]
    # Waiting for the jurist (the queues of both jurists have something in them).
    for k, listing in enumerate(police_listed[:3]):
        shares.append(make_share(loader, Plan("police", ShareTopic.SINCE_LAST, "osl-10-15a", everyone_but["police"],
                                              ShareState.PROPOSED, k), listing=listing))
    for k, listing in enumerate(young[:2]):
        shares.append(make_share(loader, Plan("soc", ShareTopic.MEASURES, "osl-10-18a", ("police",),
                                              ShareState.PROPOSED, k + 1), listing=listing))
    # Refused with a reason, by each jurist.
    shares.append(make_share(loader, Plan("soc", ShareTopic.SINCE_LAST, "osl-10-15a", everyone_but["soc"],
                                          ShareState.REFUSED, 30), listing=loader.listings[5]))
    shares.append(make_share(loader, Plan("police", ShareTopic.SINCE_LAST, "osl-10-15a", ("soc", "city"),
                                          ShareState.REFUSED, 12), listing=police_listed[4]))
    # Withdrawn by the proposer before the jurist decided.
    shares.append(make_share(loader, Plan("police", ShareTopic.SINCE_LAST, "osl-10-15a", ("soc",),
                                          ShareState.WITHDRAWN, 20), listing=police_listed[6]))
    shares.append(make_share(loader, Plan("soc", ShareTopic.MEASURES, "osl-10-15a", ("police", "probation"),
                                          ShareState.WITHDRAWN, 9), listing=loader.listings[8]))
    # What the police know about each group, approved for the others (so they see the conflict).
    for k, group in enumerate(groups):
        shares.append(make_share(loader, Plan("police", ShareTopic.GROUP, "osl-10-15a", everyone_but["police"],
                                              ShareState.APPROVED, 40 - k * 10), group=group,
                                 text=TEXTS[("police", ShareTopic.GROUP)][k]))
    return shares
