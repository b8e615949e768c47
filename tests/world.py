"""The one test world (like healthchecks' hc/test.py): the organisations and personas
every suite uses, a case led by Järva's social services with a team from them, and the
helpers that put the case's consent in a state or record notes on it.

Personas are people in the shipped reference organisations; which of them sit on a
case's team (and as what) belongs to the case: ``build_world(team=...)``. Suites build
what they need on top (tests/authz/entries.py adds an entry of every kind with markers).
Log personas in with ``fast_login`` / the ``login`` fixture (tests/conftest.py).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from samverkan.caseaccess.decision import CaseAccess
from samverkan.caseaccess.selectors import case_access_for
from samverkan.cases import services as case_services
from samverkan.cases.changes import changes_batched
from samverkan.cases.models import Case, Programme
from samverkan.consent import services as consent_services
from samverkan.consent.models import Consent, LegalBasis
from samverkan.directory.models import Organisation
from samverkan.journal import services as journal_services
from samverkan.journal.models import JournalNote
from samverkan.lib.identity_numbers import IdentityNumber, make_fictitious, parse
from samverkan.people.models import Guardianship
from samverkan.people.services import guardian_add
from tests.factories import UserFactory

# key -> short code of a shipped reference organisation.
ORGS = {
    "jarva": "sdf-jarva",  # the lead: Järva district administration's social services
    "police": "lpo-rinkeby",
    "probation": "frivarden-stockholm",
    "school": "sthlm-utbildningsforvaltningen",
    "tax": "skatteverket",  # an unrelated agency, never on a team
    "skarholmen": "sdf-skarholmen",  # another district's social services
    "city": "sthlm-stadsledningskontoret",  # the city's administration (system administrators)
}
TEAM_ORGS = ("jarva", "police", "probation", "school")

# persona -> (organisation key, role codes). Outsiders hold the strongest case role, so
# their 404 comes from the case, not the role; the observer is a coordinator, so what
# stops them is the team role, not the role.
PERSONAS: dict[str, tuple[str, tuple[str, ...]]] = {
    "jarva_coord": ("jarva", ("coordinator",)),  # the case's lead coordinator
    "jarva_cw": ("jarva", ("caseworker",)),
    "jarva_observer": ("jarva", ("coordinator",)),
    "jarva_outsider": ("jarva", ("caseworker",)),  # the lead organisation, never on the team
    "police": ("police", ("caseworker",)),
    "probation": ("probation", ("caseworker",)),
    "school": ("school", ("caseworker",)),
    "tax": ("tax", ("coordinator",)),
    "skarholmen": ("skarholmen", ("coordinator",)),
    # Organisation-wide roles (statistics, registers, retention, register extracts).
    "jarva_manager": ("jarva", ("manager",)),
    "police_manager": ("police", ("manager",)),
    "skarholmen_manager": ("skarholmen", ("manager",)),
    "jarva_dpo": ("jarva", ("dpo",)),
    "skarholmen_dpo": ("skarholmen", ("dpo",)),
    "admin": ("city", ("system_admin",)),
}
LEAD = "jarva_coord"

# The usual team: persona -> team role (the lead is the lead coordinator).
TEAM: dict[str, str] = {
    "jarva_cw": "caseworker",
    "jarva_observer": "observer",
    "police": "caseworker",
    "probation": "caseworker",
    "school": "caseworker",
}
# The personas a case world makes by default: the team and the outsiders.
CASE_PERSONAS = ("jarva_coord", "jarva_cw", "jarva_observer", "police", "probation", "school", "tax", "skarholmen")

ALL_CATEGORIES = ["basic", "plan", "meeting", "social", "school", "health", "crime", "family", "work", "housing",
                  "leisure"]


# --- Reference data and personas ------------------------------------------------------

def reference_data() -> None:
    """The shipped organisations, districts, areas, programmes and legal bases. Loading
    them costs a quarter of a second; when they are already in the database (the same
    transaction, or committed by an earlier loader) this is three queries."""
    from samverkan.cases import reference as programmes
    from samverkan.consent import reference as legal_bases
    from samverkan.directory.services import reference_data_load

    if (Organisation.objects.filter(short_code__in=ORGS.values()).count() == len(ORGS)
            and Programme.objects.filter(code="sig-unga-vuxna-jarva").exists()
            and LegalBasis.objects.filter(code="osl-10-18a").exists()):
        return
    reference_data_load()
    programmes.load()
    legal_bases.load()


def organisations() -> dict[str, Organisation]:
    reference_data()
    by_code = {o.short_code: o for o in Organisation.objects.filter(short_code__in=ORGS.values())}
    return {key: by_code[code] for key, code in ORGS.items()}


def make_personas(orgs: dict[str, Organisation], names: tuple[str, ...] | list[str],
                  extra: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """A user per persona name (``extra[name]``: more UserFactory fields)."""
    users = {}
    for name in names:
        org, roles = PERSONAS[name]
        users[name] = UserFactory(organisation=orgs[org], roles=list(roles), **(extra or {}).get(name, {}))
    return users


def years_ago(years: int, *, days: int = 0, today: date | None = None) -> date:
    """The date ``years`` before ``today`` (28 February for 29 February), ``days`` earlier."""
    today = today or timezone.localdate()
    try:
        born = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        born = today.replace(year=today.year - years, day=28)
    return born - timedelta(days=days)


def days_since_birthday(years: int, *, extra_days: int = 1) -> int:
    """How many days ago someone turned ``years`` whose birthday is at most the 28th,
    plus ``extra_days``."""
    today = timezone.localdate()
    return (today - date(today.year - years, today.month, min(today.day, 28))).days + extra_days


# --- The world ----------------------------------------------------------------------------

@contextmanager
def rolled_back() -> Iterator[None]:
    """A transaction rolled back when the block ends, as a TestCase's class-wide block is:
    services whose outermost transaction is durable (``atomic(durable=True)``) run inside
    it as they do inside a test's. For a world a module builds once (a module-scoped
    fixture, inside ``django_db_blocker.unblock()``: each test then runs in a savepoint
    of it) and for a request whose changes must not reach the next one."""
    atomic = transaction.atomic()
    atomic._from_testcase = True  # type: ignore[attr-defined]
    with atomic:
        try:
            yield
        finally:
            transaction.set_rollback(True)


@dataclass
class World:
    case: Case
    orgs: dict[str, Organisation]
    users: dict[str, Any]
    identity: IdentityNumber
    guardianships: list[Guardianship] = field(default_factory=list)
    notes: dict[str, JournalNote] = field(default_factory=dict)
    entries: dict[str, Any] = field(default_factory=dict)  # tests/authz/entries.py
    objects: dict[str, Any] = field(default_factory=dict)
    disclosures: list[tuple[str, str, frozenset[str], Any]] = field(default_factory=list)
    consent_document: str = ""

    @property
    def lead(self) -> Any:
        return self.users[LEAD]

    @property
    def programme(self) -> Programme:
        return self.case.programme

    @property
    def url(self) -> str:
        return f"/arenden/{self.case.public_id}/"

    def access(self, who: Any) -> CaseAccess:
        """The case access of a persona (by name) or a user."""
        user = self.users[who] if isinstance(who, str) else who
        return case_access_for(actor=user, case=self.case)

    def org_of(self, persona: str) -> str:
        return PERSONAS[persona][0]

    def team_orgs(self) -> list[Organisation]:
        return [self.orgs[o] for o in TEAM_ORGS]


def open_case(lead: Any, *, identity: IdentityNumber | str, programme: Programme | str | None = None,
              first_name: str = "Deltagare", last_name: str = "Testsson", accept: bool = True,
              reason: str = "", team: dict[Any, str] | None = None, **intake: Any) -> Case:
    """A case taken in (by ``lead``, from the police) and, by default, accepted, with
    ``team`` (user -> team role) added."""
    if isinstance(programme, str):
        programme = Programme.objects.get(code=programme)
    elif programme is None:
        from samverkan.cases.selectors import programmes_for_intake

        programme = programmes_for_intake(actor=lead).first()
    intake.setdefault("intake_source", "police")
    intake.setdefault("received_on", timezone.localdate())
    case = case_services.case_intake(
        actor=lead, programme=programme, identity=parse(identity) if isinstance(identity, str) else identity,
        first_name=first_name, last_name=last_name, is_fictitious=True, **intake,
    )
    if accept:
        access = case_access_for(actor=lead, case=case)
        case = case_services.case_decide(actor=lead, case=case, access=access, accepted=True, reason=reason)
    if team:
        access = case_access_for(actor=lead, case=case)
        for user, team_role in team.items():
            case_services.team_add(actor=lead, case=case, access=access, user=user, team_role=team_role)
    return case


def build_world(*, age_years: int = 16, age_days: int = 40, birth: date | None = None, programme: str | None = None,
                serial: int = 311, personas: tuple[str, ...] | list[str] = CASE_PERSONAS,
                team: dict[str, str] | None = None, first_name: str = "Deltagare", last_name: str = "Testsson",
                guardians: int = 2, notes: bool = True, intake_summary: str = "", reason: str = "") -> World:
    """A case in SIG unga (under 19) or SIG unga vuxna Järva for a participant of
    ``age_years`` and ``age_days`` (or born on ``birth``), led by jarva_coord with ``team`` (TEAM by default),
    ``guardians`` guardians registered and, with ``notes``, a signed note by each team
    organisation (``world.notes["<persona>-<category>"]``). What reminders derive from the
    case is brought up to date once, at the end (cases.changes.changes_batched)."""
    with changes_batched():
        return _build_world(age_years=age_years, age_days=age_days, birth=birth, programme=programme,
                            serial=serial, personas=personas, team=team, first_name=first_name,
                            last_name=last_name, guardians=guardians, notes=notes,
                            intake_summary=intake_summary, reason=reason)


def _build_world(*, age_years: int, age_days: int, birth: date | None, programme: str | None, serial: int,
                 personas: tuple[str, ...] | list[str], team: dict[str, str] | None, first_name: str,
                 last_name: str, guardians: int, notes: bool, intake_summary: str, reason: str) -> World:
    orgs = organisations()
    users = make_personas(orgs, personas)
    today = timezone.localdate()
    birth = birth or years_ago(age_years, days=age_days, today=today)
    identity = parse(make_fictitious(birth, serial), today=today)
    if programme is None:
        programme = "sig-unga-vuxna-jarva" if age_years >= 19 else "sig-unga-jarva"
    team = TEAM if team is None else team
    case = open_case(users[LEAD], identity=identity, programme=programme, first_name=first_name,
                     last_name=last_name, reason=reason, intake_summary=intake_summary,
                     team={users[name]: role for name, role in team.items() if name in users})
    world = World(case=Case.objects.select_related("programme", "person").get(pk=case.pk), orgs=orgs,
                  users=users, identity=identity)
    for n in range(guardians):
        g_identity = parse(make_fictitious(years_ago(45 + n, today=today), 400 + n), today=today)
        world.guardianships.append(guardian_add(
            actor=world.lead, child=case.person, identity=g_identity, first_name=f"Vårdnadshavare{n}",
            last_name="Testsson", is_fictitious=True,
        ))
    if notes:
        for who, category in (("jarva_coord", "social"), ("jarva_coord", "basic"), ("police", "crime"),
                              ("probation", "work"), ("school", "school")):
            world.notes[f"{who}-{category}"] = write_note(world, who, category, f"SECRET-{who}-{category}-TEXT")
    return world


# The worlds the suites start from (all of them build_world with other parameters).

ADULT_PERSONAS = ("jarva_coord", "police", "probation", "school", "jarva_observer", "jarva_outsider", "tax",
                  "skarholmen")


def adult_world(**kwargs: Any) -> World:
    """A participant of 20 in SIG unga vuxna (who consents for themself): no guardians,
    no notes; the lead, the police, probation and the school on the team, a Järva
    observer, a Järva caseworker outside it, the tax agency and Skärholmen (plans,
    meetings, database roles)."""
    defaults: dict[str, Any] = {"age_years": 20, "serial": 321, "first_name": "Kim", "last_name": "Testperson",
                                "personas": ADULT_PERSONAS, "guardians": 0, "notes": False}
    return build_world(**(defaults | kwargs))


PARTICIPANT_FIRST = "Zlatana"
PARTICIPANT_LAST = "Testdottersson"
RECORDS_PERSONAS = ("jarva_coord", "jarva_manager", "jarva_cw", "jarva_observer", "police", "skarholmen",
                    "jarva_dpo", "skarholmen_dpo", "admin")
RECORDS_TEAM = {"jarva_manager": "caseworker", "jarva_cw": "caseworker", "jarva_observer": "observer",
                "police": "caseworker"}


def records_world(**kwargs: Any) -> World:
    """A participant of 15 with Järva's manager, a caseworker, an observer and the police
    on the team; Skärholmen's coordinator, both data-protection officers and a system
    administrator outside it (closure, reminders, retention, registerutdrag)."""
    today = timezone.localdate()
    defaults: dict[str, Any] = {
        "birth": today.replace(year=today.year - 15, day=min(today.day, 28)), "serial": 421,
        "first_name": PARTICIPANT_FIRST, "last_name": PARTICIPANT_LAST, "intake_summary": "Sammanfattning X",
        "reason": "ok", "personas": RECORDS_PERSONAS, "team": RECORDS_TEAM, "guardians": 0, "notes": False,
    }
    return build_world(**(defaults | kwargs))


def records_case(lead: Any, *, identity: IdentityNumber | str, first: str = PARTICIPANT_FIRST,
                 last: str = PARTICIPANT_LAST) -> Case:
    """Another accepted case taken in by ``lead`` as the records world's case was."""
    return open_case(lead, identity=identity, first_name=first, last_name=last, intake_summary="Sammanfattning X",
                     reason="ok")


# --- Recording on the case ------------------------------------------------------------------

def write_note(world: World, who: str, category: str, text: str, *, sign: bool = True,
               backdate: timedelta | None = None) -> JournalNote:
    note = journal_services.note_create(actor=world.users[who], case=world.case, access=world.access(who),
                                        category=category, occurred_on=timezone.localdate(), text=text, sign=False)
    if backdate:
        JournalNote.objects.filter(pk=note.pk).update(created_at=timezone.now() - backdate)
        note.refresh_from_db()
    if sign:
        note = journal_services.note_sign(actor=world.users[who], case=world.case, access=world.access(who),
                                          note=note)
    return note


def give_consent(world: World, *, giver: str = "person", guardianship: Guardianship | None = None,
                 orgs: list[str] | None = None, organisations: list[Organisation] | None = None,
                 categories: list[str] | None = None, valid_from: date | None = None,
                 valid_to: date | None = None, given_on: date | None = None) -> Consent:
    """A consent recorded by the lead: the participant's own (``giver="person"``) by
    default, for the team's organisations (keys in ``orgs`` or ``organisations``) and
    every category, valid from today for 180 days."""
    today = timezone.localdate()
    if organisations is None:
        organisations = [world.orgs[o] for o in (orgs or TEAM_ORGS)]
    return consent_services.consent_record(
        actor=world.lead, case=world.case, access=world.access(world.lead), giver=giver,
        guardianship=guardianship, given_on=given_on or today, valid_from=valid_from or today,
        valid_to=valid_to or today + timedelta(days=180), organisations=organisations,
        categories=categories if categories is not None else ALL_CATEGORIES, document=None,
    )


def full_consent(world: World, **kwargs: Any) -> list[Consent]:
    """Every guardian and (from 15) the young person: the complete set for a minor."""
    consents = [give_consent(world, giver="guardian", guardianship=g, **kwargs) for g in world.guardianships]
    consents.append(give_consent(world, giver="young_person", **kwargs))
    return consents


def withdraw(world: World, consent: Consent, note: str = "") -> None:
    consent_services.consent_withdraw(actor=world.lead, case=world.case, access=world.access(world.lead),
                                      consent=consent, note=note)


def expire(consent: Consent) -> None:
    """Make a consent's validity end yesterday (as if time had passed)."""
    yesterday = timezone.localdate() - timedelta(days=1)
    Consent.objects.filter(pk=consent.pk).update(valid_from=yesterday - timedelta(days=30), valid_to=yesterday)


def basis(code: str) -> LegalBasis:
    return LegalBasis.objects.get(code=code)


def disclose(world: World, *, to: Organisation, categories: list[str], basis: str = "osl-10-18a") -> Any:
    return consent_services.disclosure_record(
        actor=world.lead, case=world.case, access=world.access(world.lead),
        basis=LegalBasis.objects.get(code=basis),
        to_organisation=to, categories=categories, description="Planens mål om skolgång",
        balancing_test="Risk för fortsatt brottslighet väger tyngre än men.",
    )


def age_case(case: Case, *, days: int) -> None:
    """Move the case's last entry ``days`` into the past (and its opening with it)."""
    past = timezone.now() - timedelta(days=days)
    Case.objects.filter(pk=case.pk).update(last_entry_at=past, opened_at=past - timedelta(days=400))


def fresh_auth(client: Any) -> Any:
    """Mark ``client``'s session as recently re-authenticated (password and code again)."""
    from samverkan.accounts.reauth import SESSION_REAUTH_AT

    session = client.session
    session[SESSION_REAUTH_AT] = time.time()
    session.save()
    return client
