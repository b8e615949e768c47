"""The Trefas authorisation matrix's world (tests/trefas/world.py's forum and personas,
plus a manager, a data-protection officer and a system administrator): three listed
people (one red, one with a protected identity), shares in every state, groups with a
conflict, meetings (one planned, one held and signed) with actions, an incident with a
non-listed sibling, a release with its plan, an exit and notices of every kind. Rows are
written directly (as tests/trefas/world.py does). Built once per test module
(tests/authz/conftest.py's pattern) and shared by the matrix.

Every text that only some may read carries a unique marker ``MK<NAME>ZZ`` (NAME: capital
letters without Z, so no marker is a substring of another); ``Entry.orgs`` says which
member organisations may read it (``MEMBERS``: every member of the forum). Nobody outside
the forum may read any of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.utils import timezone

from samverkan.lib.identity_numbers import make_fictitious, parse
from samverkan.people.models import IdentityKind, Person
from samverkan.trefas.models import (
    ActionItem,
    ChecklistTemplate,
    Conflict,
    ConflictStatus,
    ExitKind,
    ExitLink,
    ForumMeeting,
    ForumMember,
    ForumOrganisation,
    Group,
    GroupMembership,
    Incident,
    IncidentKind,
    IncidentLink,
    LinkRole,
    Listing,
    MeetingAttendance,
    MeetingStatus,
    Notice,
    NoticeKind,
    Rating,
    RatingChange,
    Release,
    ReleaseKind,
    Share,
    ShareState,
    ShareTopic,
)
from tests.trefas.world import EXTRA_PERSONAS, TREFAS_PERSONAS, TrefasWorld, trefas_world
from tests.world import basis

MEMBERS = "*"  # Entry.orgs: every member of the forum

# The matrix's columns: persona -> (organisation key, forum role or None).
PERSONAS: dict[str, tuple[str, str | None]] = {
    name: (org, role) for name, (org, _roles, role) in {**TREFAS_PERSONAS, **EXTRA_PERSONAS}.items()
}


def marker(name: str) -> str:
    assert "Z" not in name and "MK" not in name and name.isalpha() and name.isupper(), name
    return f"MK{name}ZZ"


@dataclass(frozen=True)
class Entry:
    key: str
    kind: str  # name, source_ref, list_text, share, share_detail, group, conflict, meeting,
    #            action, incident, sibling, release, exit
    marker: str
    orgs: frozenset[str] | str  # member organisations that may read it, or MEMBERS
    share_of: str | None = None  # a share's key: the share it belongs to (counted once)


@dataclass
class MatrixWorld:
    trefas: TrefasWorld
    entries: dict[str, Entry] = field(default_factory=dict)
    objects: dict[str, Any] = field(default_factory=dict)
    identity_numbers: list[str] = field(default_factory=list)  # every person's, never shown to anyone

    @property
    def forum(self) -> Any:
        return self.trefas.forum

    @property
    def users(self) -> dict[str, Any]:
        return self.trefas.users


def sees(persona: str, entry: Entry) -> bool:
    """May ``persona`` read ``entry`` anywhere in the forum's pages?"""
    org, role = PERSONAS[persona]
    if role is None:
        return False
    return entry.orgs == MEMBERS or org in entry.orgs


def _person(world: TrefasWorld, *, org: str, first: str, last: str, age: int, n: int,
            protected: bool = False) -> tuple[Person, str]:
    today = timezone.localdate()
    birth = today.replace(year=today.year - age) - timedelta(days=40 + n)
    number = make_fictitious(birth, 700 + n)
    person = Person.objects.create(
        organisation=world.orgs[org], identity_number=number, identity_kind=IdentityKind.PERSONNUMMER,
        first_name=first, last_name=last, birth_date=birth, protected_identity=protected, is_fictitious=True,
    )
    return person, number


def build_world() -> MatrixWorld:
    names = tuple(TREFAS_PERSONAS) + tuple(EXTRA_PERSONAS)
    # Staff names are plain (no marker): pages name staff freely.
    tw = trefas_world(personas=names, extra={
        name: {"first_name": "Personal", "last_name": name.replace("_", "").capitalize()} for name in names})
    w = MatrixWorld(trefas=tw)
    users, orgs, forum = tw.users, tw.orgs, tw.forum
    now = timezone.now()
    today = timezone.localdate()

    def add(key: str, kind: str, orgs_: frozenset[str] | str, *, name: str | None = None,
            share_of: str | None = None) -> str:
        entry = Entry(key, kind, marker(name or key.upper().replace("_", "")), orgs_, share_of)
        assert key not in w.entries
        w.entries[key] = entry
        return entry.marker

    police_only = frozenset({"police"})
    soc_only = frozenset({"soc"})
    police_soc = frozenset({"police", "soc"})

    # --- The list ---------------------------------------------------------------------
    def listing(key: str, *, by: str, rating: str, first: str, last: str, n: int, protected: bool = False,
                name_orgs: frozenset[str] | str = MEMBERS, reviewed_days_ago: int = 2) -> Listing:
        who = users[by]
        person, number = _person(tw, org=TREFAS_PERSONAS[by][0], first=add(f"{key}_first", "name", name_orgs,
                                 name=first), last=add(f"{key}_last", "name", name_orgs, name=last),
                                 age=19 + n, n=n, protected=protected)
        w.identity_numbers.append(number)
        when = now - timedelta(days=reviewed_days_ago)
        row = Listing.objects.create(
            forum=forum, person=person, nominated_by_organisation=who.organisation, nominated_by=who,
            nomination_reason=add(f"{key}_why", "list_text", MEMBERS, name=f"{first}WHY"),
            source_reference=add(f"{key}_ref", "source_ref", frozenset({TREFAS_PERSONAS[by][0]}), name=f"{first}REF"),
            rating=rating, rating_reason=add(f"{key}_reason", "list_text", MEMBERS, name=f"{first}REASON"),
            rating_set_by=who, rating_set_at=when, rating_reviewed_at=when,
        )
        RatingChange.objects.create(listing=row, rating=rating, reason=row.rating_reason, set_by=who,
                                    set_by_organisation=who.organisation, set_at=when)
        w.objects[key] = row
        tw.listings.append(row)
        return row

    red = listing("listing_red", by="police", rating=Rating.RED, first="REDFIRST", last="REDLAST", n=1)
    prot = listing("listing_prot", by="soc", rating=Rating.YELLOW, first="PROTFIRST", last="PROTLAST", n=2,
                   protected=True, name_orgs=soc_only)
    plain = listing("listing_plain", by="police", rating=Rating.GREEN, first="PLAINFIRST", last="PLAINLAST", n=3)

    # --- Shares: police -> social services in every state, and the other way -------------
    def share(key: str, *, by: str, state: str, to: tuple[str, ...], about: Any, visible: frozenset[str],
              code: str = "osl-10-18a", topic: str = ShareTopic.SINCE_LAST, days_ago: float = 1,
              reason: str = "") -> Share:
        who = users[by]
        text = add(key, "share", visible)
        balancing = add(f"{key}_balance", "share_detail", visible, name=f"{key.upper().replace('_', '')}BALANCE",
                        share_of=key)
        decided = state in (ShareState.APPROVED, ShareState.REFUSED, ShareState.WITHDRAWN)
        reviewer = {"police": "police_jurist", "soc": "soc_jurist", "probation": "kv_jurist"}[TREFAS_PERSONAS[by][0]]
        row = Share.objects.create(
            forum=forum, listing=about if isinstance(about, Listing) else None,
            group=about if isinstance(about, Group) else None,
            from_organisation=who.organisation, proposed_by=who, proposed_at=now - timedelta(days=days_ago),
            topic=topic, text=text, basis=basis(code), balancing_test=balancing, state=state,
            decided_by=users[reviewer] if decided and state != ShareState.WITHDRAWN else None,
            decided_at=now - timedelta(days=days_ago / 2) if decided or state == ShareState.NO_REVIEW else None,
            decision_reason=add(f"{key}_reason", "share_detail", visible, name=reason, share_of=key) if reason else "",
            withdrawn_at=now - timedelta(hours=1) if state == ShareState.WITHDRAWN else None,
            withdrawn_by=who if state == ShareState.WITHDRAWN else None,
        )
        row.recipients.set([orgs[k] for k in to])
        w.objects[key] = row
        return row

    share("share_proposed", by="police", state=ShareState.PROPOSED, to=("soc",), about=red, visible=police_only)
    share("share_approved", by="police", state=ShareState.APPROVED, to=("soc",), about=red, visible=police_soc,
          reason="APPROVEDREASON")
    share("share_refused", by="police", state=ShareState.REFUSED, to=("soc",), about=red, visible=police_only,
          reason="REFUSEDREASON")
    share("share_noreview", by="police", state=ShareState.NO_REVIEW, to=("soc",), about=red, visible=police_soc,
          code="osl-10-20")
    share("share_withdrawn", by="police", state=ShareState.WITHDRAWN, to=("soc",), about=red, visible=police_only)
    share("share_soc", by="soc", state=ShareState.APPROVED, to=("police",), about=red, visible=police_soc,
          topic=ShareTopic.MEASURES)
    share("share_soc_proposed", by="soc", state=ShareState.PROPOSED, to=("police", "probation"), about=prot,
          visible=soc_only)

    # --- Groups and a conflict ----------------------------------------------------------
    def group(key: str, visible: frozenset[str]) -> Group:
        row = Group.objects.create(forum=forum, owner_organisation=orgs["police"], name=add(key, "group", visible),
                                   description=add(f"{key}_desc", "group", visible), created_by=users["police"])
        w.objects[key] = row
        return row

    g1 = group("group_one", police_soc)  # an approved share about it went to social services
    g2 = group("group_two", police_only)
    share("share_group", by="police", state=ShareState.APPROVED, to=("soc",), about=g1, visible=police_soc,
          topic=ShareTopic.GROUP)
    share("share_group_proposed", by="police", state=ShareState.PROPOSED, to=("soc", "probation"), about=g2,
          visible=police_only, topic=ShareTopic.GROUP)
    w.objects["membership"] = GroupMembership.objects.create(group=g1, listing=red, since=today - timedelta(days=90),
                                                             recorded_by=users["police"])
    GroupMembership.objects.create(group=g2, listing=plain, since=today - timedelta(days=60),
                                   recorded_by=users["police"])
    w.objects["conflict"] = Conflict.objects.create(
        forum=forum, group_a=g1, group_b=g2, status=ConflictStatus.ACTIVE, since=today - timedelta(days=30),
        note=add("conflict_note", "conflict", police_only), recorded_by=users["police"])

    # --- Meetings, minutes and actions (the forum's common record) ------------------------
    coord = users["city_coord"]
    held = ForumMeeting.objects.create(
        forum=forum, scheduled_for=now - timedelta(days=10), place=add("meeting_held_place", "meeting", MEMBERS),
        status=MeetingStatus.HELD, minutes=add("minutes", "meeting", MEMBERS), created_by=coord)
    for name in ("city_coord", "police", "soc"):
        MeetingAttendance.objects.create(meeting=held, user=users[name], organisation=users[name].organisation)
    ForumMeeting.objects.filter(pk=held.pk).update(signed_by=coord, signed_at=now - timedelta(days=9))
    w.objects["meeting_held"] = ForumMeeting.objects.get(pk=held.pk)
    w.objects["meeting_planned"] = ForumMeeting.objects.create(
        forum=forum, scheduled_for=now + timedelta(days=2), place=add("meeting_planned_place", "meeting", MEMBERS),
        created_by=coord)
    w.objects["action_soc"] = ActionItem.objects.create(
        forum=forum, organisation=orgs["soc"], title=add("action_soc", "action", MEMBERS), due_at=now - timedelta(days=1),
        meeting=held, listing=red, created_by=coord)
    ActionItem.objects.create(
        forum=forum, organisation=orgs["police"], title=add("action_prot", "action", MEMBERS),
        due_at=now + timedelta(days=5), meeting=held, listing=prot, created_by=coord)

    # --- An incident, with a listed suspect and a younger sibling only social services knows
    incident = Incident.objects.create(
        forum=forum, kind=IncidentKind.SHOOTING, occurred_at=now - timedelta(hours=20),
        place=add("incident_place", "incident", MEMBERS), description=add("incident_desc", "incident", MEMBERS),
        registered_by=users["police"], registered_by_organisation=orgs["police"], registered_at=now - timedelta(hours=19))
    w.objects["incident"] = incident
    IncidentLink.objects.create(incident=incident, role=LinkRole.SUSPECT, listing=red,
                                recorded_by_organisation=orgs["police"], recorded_by=users["police"])
    IncidentLink.objects.create(incident=incident, role=LinkRole.VICTIM, listing=prot,
                                recorded_by_organisation=orgs["soc"], recorded_by=users["soc"])
    sibling, number = _person(tw, org="soc", first=add("sibling_first", "sibling", soc_only),
                              last=add("sibling_last", "sibling", soc_only), age=13, n=9)
    w.identity_numbers.append(number)
    IncidentLink.objects.create(incident=incident, role=LinkRole.RELATIVE, person=sibling,
                                recorded_by_organisation=orgs["soc"], recorded_by=users["soc"])
    w.objects["incident_action"] = ActionItem.objects.create(
        forum=forum, organisation=orgs["police"], title=add("incident_action", "action", MEMBERS),
        due_at=now + timedelta(hours=4), incident=incident, listing=red, created_by=users["police"])
    ActionItem.objects.create(
        forum=forum, organisation=orgs["soc"], title=add("incident_action_soc", "action", MEMBERS),
        due_at=now - timedelta(hours=2), incident=incident, created_by=users["police"])

    # --- A release in three weeks with its plan, its conditions shared by frivården --------
    release = Release.objects.create(forum=forum, listing=red, kind=ReleaseKind.RELEASE, date=today + timedelta(days=21),
                                     registered_by=users["probation"], registered_by_organisation=orgs["probation"])
    w.objects["release"] = release
    w.objects["release_action"] = ActionItem.objects.create(
        forum=forum, organisation=orgs["probation"], title=add("release_action", "action", MEMBERS),
        due_at=now + timedelta(days=14), release=release, listing=red, created_by=users["probation"])
    share("share_release", by="probation", state=ShareState.APPROVED, to=("soc", "police"), about=red,
          visible=frozenset({"probation", "soc", "police"}), topic=ShareTopic.RELEASE_CONDITIONS)

    # --- An exit (a referral to an exit programme) -----------------------------------------
    ExitLink.objects.create(listing=plain, kind=ExitKind.EXIT_PROGRAMME,
                            programme_name=add("exit_programme", "exit", MEMBERS),
                            note=add("exit_note", "exit", MEMBERS), created_by=users["soc"],
                            created_by_organisation=orgs["soc"])

    # --- Notices of every kind to every member (they name the kind and the forum only) ----
    refs: dict[str, dict[str, Any]] = {
        NoticeKind.RED_RATING: {"listing": red},
        NoticeKind.SHARE_TO_REVIEW: {"share": w.objects["share_proposed"]},
        NoticeKind.SHARE_DECIDED: {"share": w.objects["share_refused"]},
        NoticeKind.REVIEW_DUE: {"listing": prot},
        NoticeKind.INCIDENT: {"incident": incident},
        NoticeKind.RELEASE_SOON: {"release": release, "listing": red},
    }
    for name, (_org, role) in PERSONAS.items():
        if role is not None:
            Notice.objects.bulk_create([Notice(user=users[name], forum=forum, kind=kind, **r) for kind, r in refs.items()])

    # --- Set-up rows the administration routes point at ------------------------------------
    w.objects["forum_org"] = ForumOrganisation.objects.get(forum=forum, organisation=orgs["school"])
    w.objects["forum_member"] = ForumMember.objects.get(forum=forum, user=users["school"])
    w.objects["template"] = ChecklistTemplate.objects.create(
        member_kind="police", title="Vapenkontroll (matris)", deadline_hours=4, code="authz-matrix-template")
    return w


def forbidden_numbers(world: MatrixWorld) -> list[str]:
    """Every person's identity number as pages could print it (12 and 10 digits, with and
    without the separator): no Trefas page, file or message shows one."""
    out = []
    for number in world.identity_numbers:
        n = parse(number)
        digits = n.digits
        out += [digits, digits[2:], f"{digits[:8]}-{digits[8:]}", f"{digits[2:8]}-{digits[8:]}"]
    return out
