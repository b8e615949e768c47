"""The city-police agreement (city-wide, signed) and Järva's local one under it: parties,
signatories (fictitious names, marked), commitments in mixed states, two follow-up
meetings that record them, the citizen promises of Rinkeby/Tensta and Husby linked to
the local agreement with their progress, the police presence promised against what was
reported for eight weeks, and a forum with business and civil society with one meeting
and its decisions."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from faker import Faker

from samverkan.agreement.models import (
    Agreement,
    AgreementKind,
    AgreementParty,
    AgreementStatus,
    CitizenPromise,
    CollaborationForum,
    Commitment,
    CommitmentReview,
    CommitmentStatus,
    FollowUpMeeting,
    ForumDecision,
    ForumSession,
    PresencePromise,
    PresenceReport,
    PromiseProgress,
    PromiseState,
    Signatory,
)
from samverkan.demo.localpicture.common import FICTITIOUS, SEED, Loader
from samverkan.demo.localpicture.reports import latest_week
from samverkan.prevention.models import Problem

S = CommitmentStatus
# (party key, text, problem priority or None, status at the first follow-up, now, evidence)
CITY_COMMITMENTS = (
    ("city", "Staden tar fram en gemensam lägesbild varje år tillsammans med polisen.", None, S.ONGOING, S.DONE,
     "Lägesbilden beslutades i mars."),
    ("police_region", "Polisen bemannar kommunpolistjänster i varje lokalpolisområde.", 1, S.ONGOING, S.ONGOING,
     "Fyra av fem tjänster tillsatta."),
    ("city", "Staden säkerställer belysning och renhållning på prioriterade platser.", 2, S.NOT_STARTED, S.DELAYED,
     "Upphandlingen av belysningsunderhåll är försenad."),
    ("police_region", "Polisen deltar i stadens nyårssamverkan.", 3, S.NOT_STARTED, S.NOT_STARTED, ""),
)
LOCAL_COMMITMENTS = (
    ("jarva", "Stadsdelsförvaltningen leder EST-mötet varje vecka.", None, S.DONE, S.DONE,
     "Mötet har hållits varje vecka sedan januari."),
    ("police_rinkeby", "Lokalpolisområdet har två kommunpoliser med särskilt ansvar för Rinkeby och Husby.", 1,
     S.ONGOING, S.ONGOING, "En kommunpolis på plats, en rekrytering pågår."),
    ("housing", "Bostadsbolaget lagar anmäld belysning inom fem dagar.", 2, S.ONGOING, S.DELAYED,
     "Genomsnittet är nio dagar."),
    ("jarva", "Fältassistenter finns på Torget fredag och lördag kväll.", 1, S.ONGOING, S.DONE,
     "Bemanningen är på plats sedan augusti."),
    ("police_rinkeby", "Polisen återkopplar utvecklingen till boende två gånger per år.", None, S.NOT_STARTED,
     S.NOT_DONE, "Ersätts av medborgardialoger i stadens regi."),
)
PROMISE_PROGRESS = (
    (PromiseState.NOT_STARTED, "Arbetet förbereds. Vi börjar efter sommaren."),
    (PromiseState.ON_TRACK, "Vi har varit på torget nästan varje helgkväll sedan augusti."),
    (PromiseState.BEHIND, "Några kvällar i december blev inställda. Vi tar igen det i januari."),
)


def _agreement(loader: Loader, **fields: object) -> Agreement:
    return Agreement.objects.create(created_by=loader.users["city"], **fields)


def _signatories(loader: Loader, agreement: Agreement, offices: list[tuple[str, str]], fake: Faker,
                 signed_on: date) -> None:
    Signatory.objects.bulk_create([
        Signatory(agreement=agreement, organisation=loader.orgs[key], office=office,
                  name=f"{fake.first_name()} {fake.last_name()} {FICTITIOUS}", signed_on=signed_on)
        for key, office in offices
    ])


def _commitments(loader: Loader, agreement: Agreement, rows: tuple[tuple, ...], problems: dict[int, Problem],
                 follow_ups: list[FollowUpMeeting]) -> int:
    reviews = []
    for order, (key, text, priority, first, now, evidence) in enumerate(rows):
        commitment = Commitment.objects.create(
            agreement=agreement, organisation=loader.orgs[key], text=text, status=now, evidence=evidence,
            problem=problems.get(priority) if priority else None, order=order * 10,
            due_on=agreement.valid_from + timedelta(days=365),
        )
        reviews.append(CommitmentReview(meeting=follow_ups[0], commitment=commitment, status=first))
        reviews.append(CommitmentReview(meeting=follow_ups[1], commitment=commitment, status=now, evidence=evidence))
    CommitmentReview.objects.bulk_create(reviews)
    return len(rows)


def _follow_ups(loader: Loader, agreement: Agreement, keys: tuple[str, ...]) -> list[FollowUpMeeting]:
    meetings = []
    for days, notes in ((150, "Första uppföljningen: de flesta åtaganden har startat."),
                        (30, "Andra uppföljningen: belysningen är försenad, närvaron på torget fungerar.")):
        meeting = FollowUpMeeting.objects.create(
            agreement=agreement, held_on=loader.today - timedelta(days=days), notes=notes, closed=True,
            created_by=loader.users["city"],
        )
        meeting.participants.set([loader.orgs[k] for k in keys])
        meetings.append(meeting)
    return meetings


def make_agreements(loader: Loader, problems: list[Problem]) -> dict[str, int]:
    fake = Faker("sv_SE")
    fake.seed_instance(SEED + 7)
    by_priority = {p.priority: p for p in problems}
    year = loader.doc_year
    valid_from, valid_to = date(year, 1, 1), date(year + 2, 12, 31)
    city_agreement = _agreement(
        loader, kind=AgreementKind.CITY, municipality="Stockholm", police=loader.orgs["police_region"],
        title=f"Samverkansöverenskommelse Stockholms stad och Polisregion Stockholm {FICTITIOUS}",
        valid_from=valid_from, valid_to=valid_to, status=AgreementStatus.SIGNED,
        goals="Minska brottsligheten och öka tryggheten i stadens utsatta områden genom gemensam lägesbild, "
              "gemensamma prioriteringar och uppföljning. Demo: påhittat innehåll.",
    )
    city_agreement.areas.set(list(loader.areas.values()))
    city_agreement.problems.set(problems)
    AgreementParty.objects.bulk_create([
        AgreementParty(agreement=city_agreement, organisation=loader.orgs["city"], role="Kommunen"),
        AgreementParty(agreement=city_agreement, organisation=loader.orgs["police_region"], role="Polisen"),
    ])
    _signatories(loader, city_agreement, [("city", "Kommunstyrelsens ordförande"),
                                          ("police_region", "Regionpolischef")], fake, date(year, 2, 1))
    city_follow_ups = _follow_ups(loader, city_agreement, ("city", "police_region"))
    n = _commitments(loader, city_agreement, CITY_COMMITMENTS, by_priority, city_follow_ups)

    jarva = loader.districts["jarva"]
    local = _agreement(
        loader, kind=AgreementKind.LOCAL, municipality="Stockholm", district=jarva,
        police=loader.orgs["police_rinkeby"], parent=city_agreement,
        title=f"Lokal samverkansöverenskommelse Järva och Lokalpolisområde Rinkeby {FICTITIOUS}",
        valid_from=valid_from, valid_to=valid_to, status=AgreementStatus.SIGNED,
        goals="Tryggare torg och uppgångar i Rinkeby/Tensta och Husby. Demo: påhittat innehåll.",
    )
    local_areas = [loader.areas[c] for c in ("rinkeby-tensta", "husby")]
    local.areas.set(local_areas)
    local.problems.set([by_priority[1], by_priority[2]])
    AgreementParty.objects.bulk_create([
        AgreementParty(agreement=local, organisation=loader.orgs["jarva"], role="Stadsdelsförvaltningen"),
        AgreementParty(agreement=local, organisation=loader.orgs["police_rinkeby"], role="Lokalpolisområdet"),
        AgreementParty(agreement=local, organisation=loader.orgs["housing"], role="Fastighetsägare"),
    ])
    _signatories(loader, local, [("jarva", "Stadsdelsnämndens ordförande"),
                                 ("police_rinkeby", "Lokalpolisområdeschef")], fake, date(year, 2, 20))
    local_follow_ups = _follow_ups(loader, local, ("jarva", "police_rinkeby", "housing"))
    n += _commitments(loader, local, LOCAL_COMMITMENTS, by_priority, local_follow_ups)

    promises = _promises(loader, local, local_areas)
    presence = _presence(loader, local)
    decisions = _forum(loader, city_agreement)
    return {"agreements": 2, "commitments": n, "promise_progress": promises, "presence_reports": presence,
            "forum_decisions": decisions}


def _promises(loader: Loader, agreement: Agreement, areas: list) -> int:
    """Link the areas' citizen promises (the public demo's, or new ones) to the local
    agreement, each with three progress entries."""
    promises = list(CitizenPromise.objects.filter(area__in=areas))
    if not promises:
        promises = [
            CitizenPromise.objects.create(
                area=area, title="Fler vuxna på torget på kvällarna", period=f"{loader.doc_year}–{loader.doc_year + 1}",
                text="Polisen och staden finns på torget fredag och lördag kväll.", published=True,
            )
            for area in areas
        ]
    CitizenPromise.objects.filter(pk__in=[p.pk for p in promises]).update(agreement=agreement)
    rows = []
    for promise in promises:
        for i, (state, text) in enumerate(PROMISE_PROGRESS):
            rows.append(PromiseProgress(
                promise=promise, recorded_on=loader.today - timedelta(days=150 - 60 * i), state=state,
                public_text=text, internal_note="Följt upp på uppföljningsmötet.",
                recorded_by=loader.users["jarva"],
            ))
    PromiseProgress.objects.bulk_create(rows)
    return len(rows)


def _presence(loader: Loader, agreement: Agreement) -> int:
    """Community police officers and foot patrol promised per area, against what the
    police reported for the last eight weeks (mostly short of the promise in winter)."""
    promised = (("rinkeby-tensta", "Kommunpoliser i tjänst", "poliser", Decimal("2.0")),
                ("rinkeby-tensta", "Fotpatrullering", "timmar per vecka", Decimal("20.0")),
                ("husby", "Fotpatrullering", "timmar per vecka", Decimal("12.0")))
    week = latest_week(loader)
    rows = []
    for code, what, unit, per_week in promised:
        promise = PresencePromise.objects.create(agreement=agreement, area=loader.areas[code], what=what, unit=unit,
                                                 per_week=per_week)
        for i in range(8):
            share = loader.rng.uniform(0.6, 1.15)
            value = (per_week * Decimal(f"{share:.2f}")).quantize(Decimal("0.5"))
            rows.append(PresenceReport(
                promise=promise, week_start=week - timedelta(days=7 * i), value=value,
                note="" if share >= 0.9 else "Personal omdisponerad till annat ärende.",
                reported_by=loader.users["police"],
            ))
    PresenceReport.objects.bulk_create(rows)
    return len(rows)


def _forum(loader: Loader, agreement: Agreement) -> int:
    forum = CollaborationForum.objects.create(
        agreement=agreement, name=f"Trygghetsforum Järva med näringsliv och civilsamhälle {FICTITIOUS}",
        purpose="Att fastighetsägare, handlare och föreningar tillsammans med staden och polisen gör platserna "
                "kring centrum tryggare.",
    )
    members = [loader.orgs[k] for k in ("city", "jarva", "police_rinkeby", "housing", "shop")]
    forum.parties.set(members)
    session = ForumSession.objects.create(
        forum=forum, held_on=loader.today - timedelta(days=40),
        notes="Genomgång av lägesbilden för centrum. Handlarna upplever färre störningar sedan i somras.",
    )
    session.participants.set(members)
    decisions = [
        ForumDecision(session=session, text="Gemensam städdag vid Husby centrum i vår.",
                      organisation=loader.orgs["shop"], due_on=loader.today + timedelta(days=120)),
        ForumDecision(session=session, text="Bostadsbolaget byter till starkare belysning vid parkeringsdäcket.",
                      organisation=loader.orgs["housing"], due_on=loader.today - timedelta(days=10), done=True),
        ForumDecision(session=session, text="Polisen bjuder in handlarna till nästa EST-möte.",
                      organisation=loader.orgs["police_rinkeby"], due_on=loader.today + timedelta(days=14)),
    ]
    ForumDecision.objects.bulk_create(decisions)
    return len(decisions)
