"""Demo data for the individual track (SIG unga / SIG unga vuxna in Järva and
Skärholmen): fictitious participants and guardians, ~60 cases in every state, teams with
the demo personas, consents in every state, statutory disclosures, journal notes from
several organisations, action plans with commitments, meetings with minutes, closures
with outcomes — and a drawn log review for Järva.

Everything is written through the domain services (so it is audited and obeys the
access policy); afterwards, dates are moved back in time (received, decided, closed,
commitments completed) so that the statistics show plausible durations.

Fictitious by construction: names from Faker sv_SE with a fixed seed, identity numbers
from lib.identity_numbers.make_fictitious, every Person marked ``is_fictitious``.
Idempotent: a participant whose fixed identity number already exists is skipped, so
re-running ``make demo`` creates nothing twice. Birth dates are fixed relative to
ANCHOR (not to today), so the numbers stay the same from day to day; the one participant
who "turned 18 recently" is born relative to today and found again by its reserved
serial number.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from faker import Faker

from samverkan.accounts import services as accounts_services
from samverkan.accounts.models import Role, User
from samverkan.caseaccess.decision import CaseAccess
from samverkan.caseaccess.selectors import case_access_for, case_for_actor
from samverkan.cases import services as cases
from samverkan.cases.models import Case, CaseStatus, Closure, EmergencyAccess, FollowUp, Programme, TeamMember
from samverkan.consent.models import LegalBasis
from samverkan.consent.services import consent_record, consent_withdraw, disclosure_record
from samverkan.demo.personas import DEMO_PASSWORD
from samverkan.directory.models import Organisation
from samverkan.journal.services import note_create
from samverkan.lib.identity_numbers import make_fictitious, parse
from samverkan.logreview.services import review_sample
from samverkan.meetings.services import (
    meeting_create,
    meeting_record_attendance,
    minutes_create,
)
from samverkan.people.models import Guardianship, Person
from samverkan.plans.models import Commitment
from samverkan.plans.services import commitment_create, commitment_follow_up, goal_create

SEED = 20260315
ANCHOR = date(2026, 1, 1)  # birth dates are fixed relative to this day (stable identity numbers)
RECENT_ADULT_SERIAL = 918  # reserved serial: the participant who turned 18 recently
CONSENT_CATEGORIES = [
    "basic",
    "plan",
    "meeting",
    "social",
    "school",
    "crime",
    "family",
    "work",
    "housing",
    "leisure",
]

# Extra demo staff the individual track needs in Skärholmen (the personas list has only
# a caseworker there): a coordinator who takes decisions and manages teams, and a
# manager for the statistics. Same password and authenticator set-up as the personas.
EXTRA_STAFF = [
    ("skarholmen.samordnare", "sdf-skarholmen", ("coordinator",), "SIG coordinator, Skärholmen"),
    ("skarholmen.chef", "sdf-skarholmen", ("manager",), "Unit manager, Skärholmen"),
]

# (district, programme kind, number of cases, statuses in order)
PLAN: list[tuple[str, str, dict[str, int]]] = [
    ("jarva", "young", {"intake": 4, "active": 14, "closed": 8, "declined": 2}),
    ("jarva", "adult", {"intake": 2, "active": 9, "closed": 6, "declined": 1}),
    ("skarholmen", "young", {"intake": 1, "active": 5, "closed": 3, "declined": 1}),
    ("skarholmen", "adult", {"intake": 1, "active": 3, "closed": 2}),
]
OUTCOMES = [
    "plan_completed",
    "plan_completed",
    "new_crime_or_custody",
    "plan_completed",
    "moved",
    "plan_completed",
    "consent_withdrawn",
    "transferred",
    "plan_completed",
    "new_crime_or_custody",
    "other",
    "plan_completed",
    "moved",
    "plan_completed",
    "new_crime_or_custody",
    "plan_completed",
    "deceased",
    "plan_completed",
    "other",
]
CONSENT_STATES = [
    "valid",
    "valid",
    "expired",
    "valid",
    "withdrawn",
    "valid",
    "missing",
    "partial",
    "valid",
    "valid",
    "expired",
    "valid",
]
NOTE_TEXTS = {
    "social": [
        "Samtal med deltagaren om skolgång och fritid. Motivationen är god.",
        "Hembesök genomfört. Vårdnadshavarna deltog och stöttar planen.",
        "Deltagaren har fått kontakt med fältassistenter i området.",
    ],
    "crime": [
        "Ingen ny brottsmisstanke sedan förra uppföljningen.",
        "Deltagaren har förekommit i en kontroll i området, inget brott misstänks.",
    ],
    "school": [
        "Närvaron har ökat till över 80 procent den senaste månaden.",
        "Elevhälsan har haft ett uppföljande samtal; fortsatt stöd i matematik.",
    ],
    "work": [
        "Deltagaren har skrivit in sig på Arbetsförmedlingen och söker praktik.",
        "Möte med frivården om villkor och sysselsättning genomfört.",
    ],
}
GOALS = [
    ("school", "Gå i skolan varje dag och klara kärnämnena", "school"),
    ("leisure", "Ha en meningsfull fritidsaktivitet varje vecka", "leisure"),
    ("leaving_network", "Bryta kontakten med det kriminella nätverket", "plan"),
    ("work", "Få en praktikplats eller ett arbete", "work"),
    ("housing", "Ha en trygg och stabil boendesituation", "housing"),
    ("family", "Förbättrade relationer i familjen", "family"),
]
COMMITMENTS = [
    ("Samordnar planen och kallar till uppföljningsmöten.", "lead"),
    ("Erbjuder samtalsstöd varannan vecka.", "lead"),
    ("Kontaktar deltagaren efter varje polisiär kontakt och följer upp.", "polis.rinkeby"),
    ("Ordnar studiestöd och följer närvaron varje vecka.", "skola"),
    ("Stöttar med villkor, sysselsättning och motivationssamtal.", "frivarden"),
    ("Hjälper till med ansökan om praktik hos Arbetsförmedlingen.", "lead"),
]


@dataclass(frozen=True)
class Spec:
    index: int
    district: str  # district code
    kind: str  # "young" | "adult"
    status: str
    birth: date
    serial: int
    received_days_ago: int
    intake_source: str
    protected: bool
    consent: str
    guardians: int
    outcome: str = ""
    duration_days: int = 0


def _user(username: str) -> User:
    return User.objects.get(username=username, is_demo=True)


def _ensure_staff() -> list[dict[str, Any]]:
    """The extra Skärholmen demo staff (idempotent; never touches a non-demo account)."""
    fake = Faker("sv_SE")
    fake.seed_instance(SEED)
    rows = []
    for username, org_code, roles, description in EXTRA_STAFF:
        first, last = fake.first_name(), fake.last_name()
        user = User.objects.filter(username=username).first()
        if user is not None and not user.is_demo:
            raise RuntimeError(f"{username} exists and is not a demo account; refusing to touch it")
        if user is None:
            user = User(
                username=username,
                is_demo=True,
                first_name=first,
                last_name=last,
                email=f"{username}@demo.invalid",
            )
        user.organisation = Organisation.objects.get(short_code=org_code)
        user.is_active = True
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.roles.set(Role.objects.filter(code__in=roles))
        if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            TOTPDevice.objects.create(user=user, name="demo authenticator", confirmed=True)
        static, _created = StaticDevice.objects.get_or_create(user=user, name="recovery")
        if not static.token_set.exists():
            accounts_services.recovery_codes_store(
                device=static, codes=[f"demo-{username[:3]}-{i}" for i in range(10)]
            )
        rows.append(
            {
                "username": username,
                "organisation": user.organisation.name,
                "roles": ", ".join(roles),
                "description": description,
            }
        )
    return rows


def _specs(today: date) -> list[Spec]:
    rng = random.Random(SEED)  # noqa: S311 - reproducible demo data, not security
    specs: list[Spec] = []
    index = 0
    outcome_iter = iter(OUTCOMES * 3)
    for district, kind, statuses in PLAN:
        for status, n in statuses.items():
            for _k in range(n):
                index += 1
                # Ages at ANCHOR well inside the programme's range, so intakes stay
                # eligible for years as the demo is re-loaded.
                age = rng.randint(13, 15) if kind == "young" else rng.randint(20, 26)
                birth = ANCHOR - timedelta(days=365 * age + rng.randint(0, 364))
                received = {
                    "intake": rng.randint(3, 25),
                    "declined": rng.randint(60, 300),
                    "active": rng.randint(40, 420),
                    "closed": rng.randint(300, 640),
                }[status]
                specs.append(
                    Spec(
                        index=index,
                        district=district,
                        kind=kind,
                        status=status,
                        birth=birth,
                        serial=100 + index,
                        received_days_ago=received,
                        intake_source=rng.choice(
                            ["police", "police", "social_services", "own_application", "other"]
                        ),
                        protected=index in (5, 33),
                        consent=CONSENT_STATES[index % len(CONSENT_STATES)],
                        guardians=(2 if rng.random() < 0.7 else 1) if kind == "young" else 0,
                        outcome=next(outcome_iter) if status == "closed" else "",
                        duration_days=rng.randint(90, 260) if status == "closed" else 0,
                    )
                )
    # The participant who turned 18 recently: the guardians' consent lapsed at 18.
    specs.append(
        Spec(
            index=index + 1,
            district="jarva",
            kind="young",
            status="active",
            birth=today.replace(year=today.year - 18) - timedelta(days=20),
            serial=RECENT_ADULT_SERIAL,
            received_days_ago=250,
            intake_source="social_services",
            protected=False,
            consent="lapsed_at_18",
            guardians=2,
        )
    )
    return specs


def _existing(spec: Spec) -> bool:
    if spec.serial == RECENT_ADULT_SERIAL:  # born relative to today: found by its serial
        return Person.objects.filter(
            is_fictitious=True, identity_number__regex=rf"^[0-9]{{8}}{RECENT_ADULT_SERIAL}[0-9]$"
        ).exists()
    return Person.objects.filter(identity_number=make_fictitious(spec.birth, spec.serial)).exists()


def _aware(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


class _Loader:
    def __init__(self, today: date) -> None:
        self.today = today
        self.fake = Faker("sv_SE")
        self.fake.seed_instance(SEED)
        self.rng = random.Random(SEED + 1)  # noqa: S311 - reproducible demo data
        self.orgs = {
            o.short_code: o
            for o in Organisation.objects.filter(
                short_code__in=[
                    "sdf-jarva",
                    "sdf-skarholmen",
                    "lpo-rinkeby",
                    "frivarden-stockholm",
                    "sthlm-utbildningsforvaltningen",
                ]
            )
        }
        self.users = {
            u: _user(u)
            for u in [
                "jarva.samordnare",
                "jarva.handlaggare",
                "polis.rinkeby",
                "frivarden",
                "skola",
                "skarholmen.handlaggare",
                "skarholmen.samordnare",
            ]
        }
        self.programmes = {
            p.code: p
            for p in Programme.objects.filter(
                code__in=[
                    "sig-unga-jarva",
                    "sig-unga-vuxna-jarva",
                    "sig-unga-skarholmen",
                    "sig-unga-vuxna-skarholmen",
                ]
            )
        }
        self.created = 0

    def access(self, user: User, case: Case) -> CaseAccess:
        return case_access_for(actor=user, case=case, today=self.today)

    def load(self, spec: Spec) -> None:
        jarva = spec.district == "jarva"
        lead = self.users["jarva.samordnare" if jarva else "skarholmen.samordnare"]
        code = (
            f"sig-unga-{spec.district}"
            if spec.kind == "young"
            else f"sig-unga-vuxna-{spec.district}"
        )
        programme = self.programmes[code]
        received = self.today - timedelta(days=spec.received_days_ago)
        identity = parse(make_fictitious(spec.birth, spec.serial), today=self.today)
        referred = self.orgs["lpo-rinkeby"] if spec.intake_source == "police" and jarva else None
        case = cases.case_intake(
            actor=lead,
            programme=programme,
            identity=identity,
            first_name=self.fake.first_name(),
            last_name=self.fake.last_name(),
            intake_source=spec.intake_source,
            received_on=received,
            referred_by=referred,
            intake_summary="Aktualiserad efter samtal om oro för kriminalitet i området.",
            protected_identity=spec.protected,
            address=self.fake.street_address(),
            phone="070-000 00 00",
            is_fictitious=True,
        )
        self.created += 1
        access = self.access(lead, case)
        # Guardians of a minor (both with joint custody); they are fictitious as well.
        for g in range(spec.guardians):
            parent_birth = spec.birth.replace(year=spec.birth.year - 28 - g * 3)
            cases.case_guardian_add(
                actor=lead,
                case=case,
                access=access,
                identity=parse(
                    make_fictitious(parent_birth, 500 + spec.serial % 400 + g), today=self.today
                ),
                first_name=self.fake.first_name(),
                last_name=case.person.last_name,
            )
        decided_at = _aware(received + timedelta(days=self.rng.randint(7, 20)))
        if spec.status == "intake":
            self._backdate(case, received, None, None)
            return
        accepted = spec.status != "declined"
        case = cases.case_decide(
            actor=lead,
            case=case,
            access=access,
            accepted=accepted,
            reason="" if accepted else "Personen vill inte delta och uppfyller inte kriterierna.",
        )
        if not accepted:
            self._backdate(case, received, decided_at, None)
            return
        team = self._team(case, spec, lead)
        access = self.access(lead, case)
        self._consents(case, spec, lead, access)
        self._notes(case, team, received)
        if jarva and spec.kind == "young" and spec.index % 7 == 3:
            self._disclosure(case, lead)
        self._plan(case, spec, team, lead)
        if spec.status == "active" and spec.index % 2 == 0:
            self._meetings(case, team, lead)
        closed_at = None
        if spec.status == "closed":
            closed_at = decided_at + timedelta(days=spec.duration_days)
            cases.case_close(
                actor=lead,
                case=case,
                access=self.access(lead, case),
                outcome=spec.outcome,
                note="Avslutat enligt plan och uppföljning.",
            )
        self._backdate(case, received, decided_at, closed_at)

    def _team(self, case: Case, spec: Spec, lead: User) -> dict[str, User]:
        access = self.access(lead, case)
        team: dict[str, User] = {"lead": lead}
        if spec.district == "jarva":
            wanted = [("jarva.handlaggare", "caseworker"), ("polis.rinkeby", "contact")]
        else:
            # Skärholmen: the caseworker leads the case together with the coordinator.
            wanted = [("skarholmen.handlaggare", "lead_coordinator")]
        wanted.append(("skola", "contact") if spec.kind == "young" else ("frivarden", "caseworker"))
        for username, role in wanted:
            if spec.index % 5 == 4 and username in ("polis.rinkeby", "frivarden"):
                continue  # not every organisation takes part in every case
            cases.team_add(
                actor=lead, case=case, access=access, user=self.users[username], team_role=role
            )
            team[username] = self.users[username]
        return team

    def _consent(
        self,
        case: Case,
        lead: User,
        access: CaseAccess,
        *,
        giver: str,
        guardianship: Any,
        start: date,
        end: date,
        orgs: list[Organisation],
        categories: list[str],
    ) -> Any:
        return consent_record(
            actor=lead,
            case=case,
            access=access,
            giver=giver,
            guardianship=guardianship,
            given_on=start,
            valid_from=start,
            valid_to=end,
            organisations=orgs,
            categories=categories,
            document=None,
        )

    def _consents(self, case: Case, spec: Spec, lead: User, access: CaseAccess) -> None:
        if spec.consent == "missing":
            return
        orgs = [
            case.lead_organisation,
            self.orgs["lpo-rinkeby"],
            self.orgs["sthlm-utbildningsforvaltningen"]
            if spec.kind == "young"
            else self.orgs["frivarden-stockholm"],
        ]
        categories = list(CONSENT_CATEGORIES)
        if spec.consent == "partial":  # scope excludes the police and crime information
            orgs = orgs[:1] + orgs[2:]
            categories = [c for c in categories if c != "crime"]
        if spec.consent == "expired":
            start = self.today - timedelta(days=min(spec.received_days_ago - 5, 360))
            end = self.today - timedelta(days=10)
        elif spec.consent == "lapsed_at_18":
            start, end = self.today - timedelta(days=240), self.today + timedelta(days=120)
        else:
            start = max(
                self.today - timedelta(days=self.rng.randint(20, 200)),
                self.today - timedelta(days=spec.received_days_ago - 10),
            )
            end = start + timedelta(days=360)
        age_at_start = (start - case.person.birth_date).days // 365
        recorded = []
        if age_at_start < 18:
            for guardianship in Guardianship.objects.filter(
                child=case.person, active=True
            ).order_by("pk"):
                recorded.append(
                    self._consent(
                        case,
                        lead,
                        access,
                        giver="guardian",
                        guardianship=guardianship,
                        start=start,
                        end=end,
                        orgs=orgs,
                        categories=categories,
                    )
                )
            if age_at_start >= case.programme.own_consent_from_age:
                recorded.append(
                    self._consent(
                        case,
                        lead,
                        access,
                        giver="young_person",
                        guardianship=None,
                        start=start,
                        end=end,
                        orgs=orgs,
                        categories=categories,
                    )
                )
        else:
            recorded.append(
                self._consent(
                    case,
                    lead,
                    access,
                    giver="person",
                    guardianship=None,
                    start=start,
                    end=end,
                    orgs=orgs,
                    categories=categories,
                )
            )
        if spec.consent == "withdrawn" and recorded:
            consent_withdraw(
                actor=lead,
                case=case,
                access=self.access(lead, case),
                consent=recorded[0],
                note="Återkallat muntligt vid möte.",
            )

    def _notes(self, case: Case, team: dict[str, User], received: date) -> None:
        writers = [
            ("lead", "social"),
            ("jarva.handlaggare", "social"),
            ("skarholmen.handlaggare", "social"),
            ("polis.rinkeby", "crime"),
            ("skola", "school"),
            ("frivarden", "work"),
        ]
        for key, category in writers:
            user = team.get(key)
            if user is None:
                continue
            occurred = min(self.today, received + timedelta(days=self.rng.randint(15, 60)))
            note_create(
                actor=user,
                case=case,
                access=self.access(user, case),
                category=category,
                occurred_on=occurred,
                text=self.rng.choice(NOTE_TEXTS[category]),
                sign=True,
            )

    def _disclosure(self, case: Case, lead: User) -> None:
        basis = LegalBasis.objects.filter(code="osl-10-18a", active=True).first()
        if basis is None:
            return
        disclosure_record(
            actor=lead,
            case=case,
            access=self.access(lead, case),
            basis=basis,
            to_organisation=self.orgs["lpo-rinkeby"],
            categories=["social"],
            description="Uppgifter om risk för fortsatt brottslig verksamhet.",
            balancing_test="Risken för allvarlig brottslighet väger tyngre än men "
            "för den enskilde; "
            "utlämnandet skadar inte pågående insatser.",
        )

    def _plan(self, case: Case, spec: Spec, team: dict[str, User], lead: User) -> None:
        goals = self.rng.sample(GOALS, 2)
        goal_rows = [
            goal_create(
                actor=lead,
                case=case,
                access=self.access(lead, case),
                life_area=area,
                title=title,
                category=category,
            )
            for area, title, category in goals
        ]
        base = self.today - timedelta(days=spec.received_days_ago) + timedelta(days=30)
        for n, (text, who) in enumerate(COMMITMENTS):
            responsible = team.get(who) if who != "lead" else lead
            if responsible is None or (n % 2 and self.rng.random() < 0.3):
                continue
            due = base + timedelta(days=30 * (n + 1))
            commitment = commitment_create(
                actor=lead,
                case=case,
                access=self.access(lead, case),
                description=text,
                responsible=responsible,
                due_on=due,
                goal=goal_rows[n % len(goal_rows)],
            )
            if due >= self.today:
                continue
            # Due: most done on time, some late, a few not done.
            roll = self.rng.random()
            status = "done" if roll < 0.8 else "not_done"
            commitment = commitment_follow_up(
                actor=responsible,
                case=case,
                access=self.access(responsible, case),
                commitment=commitment,
                expected_version=commitment.version,
                status=status,
                follow_up_note="Uppföljt på uppföljningsmötet.",
            )
            if status == "done":
                late = roll > 0.6
                completed = (
                    due + timedelta(days=self.rng.randint(3, 25))
                    if late
                    else due - timedelta(days=self.rng.randint(0, 10))
                )
                Commitment.objects.filter(pk=commitment.pk).update(
                    completed_on=min(completed, self.today)
                )

    def _meetings(self, case: Case, team: dict[str, User], lead: User) -> None:
        members = list(TeamMember.objects.filter(case=case, active=True))
        place = f"{case.district.name}, stadsdelsförvaltningen"
        held = meeting_create(
            actor=lead,
            case=case,
            access=self.access(lead, case),
            starts_at=_aware(self.today - timedelta(days=self.rng.randint(5, 20)), 14),
            place=place,
            attendees=members,
            agenda="Uppföljning av planen.",
        )
        held = meeting_record_attendance(
            actor=lead,
            case=case,
            access=self.access(lead, case),
            meeting=held,
            expected_version=held.version,
            attended_user_ids=[m.user_id for m in members][:3],
            participant_attendance="attended",
        )
        minutes_create(
            actor=lead,
            case=case,
            access=self.access(lead, case),
            meeting=held,
            sign=True,
            text="Genomgång av åtagandena. Deltagaren berättade om skolan och fritiden.",
        )
        meeting_create(
            actor=lead,
            case=case,
            access=self.access(lead, case),
            starts_at=_aware(self.today + timedelta(days=self.rng.randint(7, 21)), 14),
            place=place,
            attendees=members,
            agenda="Nästa uppföljning.",
        )

    def _backdate(
        self, case: Case, received: date, decided: datetime | None, closed: datetime | None
    ) -> None:
        """Move the case's own timestamps back to the story's dates (demo only)."""
        opened = _aware(received, 9)
        updates: dict[str, Any] = {"opened_at": opened}
        if decided is not None:
            updates["decided_at"] = decided
        if closed is not None:
            closed = min(closed, timezone.now() - timedelta(days=1))
            updates.update(closed_at=closed, last_entry_at=closed)
            Closure.objects.filter(case=case).update(created_at=closed)
            closed_on = timezone.localdate(closed)
            for months in (6, 12):
                FollowUp.objects.filter(case=case, months_after=months).update(
                    due_on=cases.add_months(closed_on, months)
                )
        Case.objects.filter(pk=case.pk).update(**updates)


def _log_review_demo(today: date) -> None:
    """A break-the-glass access and a drawn log review of the current month for Järva."""
    chef = User.objects.filter(username="jarva.chef", is_demo=True).first()
    if chef is not None and not EmergencyAccess.objects.filter(user=chef).exists():
        case = (
            Case.objects.filter(
                lead_organisation=chef.organisation,
                person__is_fictitious=True,
                status=CaseStatus.ACTIVE,
            )
            .order_by("pk")
            .first()
        )
        if case is not None:
            cases.emergency_access_grant(
                actor=chef,
                case=case,
                reason="Akut oro för deltagarens säkerhet en helgkväll; handläggaren nås inte.",
            )
            case_for_actor(actor=chef, public_id=case.public_id, purpose="Akut läge")
    jarva = Organisation.objects.filter(short_code="sdf-jarva").first()
    if jarva is not None:
        review_sample(organisation_id=jarva.pk, month=today.replace(day=1))


def load_individual_track(today: date | None = None) -> list[dict[str, Any]]:
    """Load (or complete) the individual-track demo. Returns rows for the extra demo
    staff, for the persona table that ``load_demo`` prints."""
    today = today or timezone.localdate()
    rows = _ensure_staff()
    loader = _Loader(today)
    for spec in _specs(today):
        if not _existing(spec):
            loader.load(spec)
    _log_review_demo(today)
    return rows
