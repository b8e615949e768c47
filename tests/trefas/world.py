"""The Trefas test world: the Järva forum (district social services, the police area,
frivården, a prison, the city's coordinator against lethal violence and a school), its
named members with a jurist of each organisation, and the outsiders: a SIG coordinator of
the same district who is not in the forum, another district's social services, an
unrelated agency. Built on tests/world.py's reference data and persona factory.

Rows are written directly (no services), so every Trefas suite can stand on it; suites
that test a service call the service themselves. Every person is fictitious.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.utils import timezone

from samverkan.directory.models import Organisation
from samverkan.lib.identity_numbers import make_fictitious
from samverkan.people.models import IdentityKind, Person
from samverkan.trefas.models import (
    Forum,
    ForumMember,
    ForumOrganisation,
    ForumRole,
    Listing,
    MemberKind,
    Rating,
    RatingChange,
)
from tests.factories import UserFactory
from tests.world import reference_data

# key -> (short code, kind in the forum or None when not a member organisation)
TREFAS_ORGS: dict[str, tuple[str, str | None]] = {
    "soc": ("sdf-jarva", MemberKind.SOCIAL_SERVICES),
    "police": ("lpo-rinkeby", MemberKind.POLICE),
    "probation": ("frivarden-stockholm", MemberKind.PROBATION),
    "prison": ("kv-anstalt-taby", MemberKind.PRISON),
    "city": ("sthlm-stadsledningskontoret", MemberKind.CITY_COORDINATOR),
    "school": ("sthlm-utbildningsforvaltningen", MemberKind.SCHOOL),
    "skarholmen": ("sdf-skarholmen", None),  # another district: not in the forum
    "tax": ("skatteverket", None),
}

# persona -> (organisation key, role codes, forum role or None when not a member)
TREFAS_PERSONAS: dict[str, tuple[str, tuple[str, ...], str | None]] = {
    "city_coord": ("city", ("coordinator",), ForumRole.COORDINATOR),  # runs the meetings
    "soc": ("soc", ("caseworker",), ForumRole.MEMBER),
    "police": ("police", ("caseworker",), ForumRole.MEMBER),
    "probation": ("probation", ("caseworker",), ForumRole.MEMBER),
    "prison": ("prison", ("caseworker",), ForumRole.MEMBER),
    "school": ("school", ("caseworker",), ForumRole.MEMBER),
    "soc_jurist": ("soc", ("jurist",), ForumRole.JURIST),
    "police_jurist": ("police", ("jurist",), ForumRole.JURIST),
    "kv_jurist": ("probation", ("jurist",), ForumRole.JURIST),
    "city_jurist": ("city", ("jurist",), ForumRole.JURIST),
    # Outsiders
    "sig_coord": ("soc", ("coordinator",), None),  # SIG coordinator of Järva, not in the forum
    "skarholmen": ("skarholmen", ("coordinator",), None),
    "tax": ("tax", ("coordinator",), None),
}
# Organisation-wide roles outside the forum, for the authorisation matrix (not in the
# default world, so OUTSIDERS above stays the forum's outsiders): a manager of a member
# organisation (the forum's statistics), the district's data-protection officer (Trefas
# retention) and a system administrator (the forum's set-up).
EXTRA_PERSONAS: dict[str, tuple[str, tuple[str, ...], str | None]] = {
    "police_manager": ("police", ("manager",), None),
    "soc_dpo": ("soc", ("dpo",), None),
    "sysadmin": ("city", ("system_admin",), None),
}
MEMBERS = tuple(p for p, (_o, _r, role) in TREFAS_PERSONAS.items() if role is not None)
OUTSIDERS = tuple(p for p, (_o, _r, role) in TREFAS_PERSONAS.items() if role is None)


@dataclass
class TrefasWorld:
    forum: Forum
    orgs: dict[str, Organisation]
    users: dict[str, Any]
    listings: list[Listing] = field(default_factory=list)


def trefas_world(*, personas: tuple[str, ...] | None = None,
                 extra: dict[str, dict[str, Any]] | None = None) -> TrefasWorld:
    """The forum with ``personas`` (default: TREFAS_PERSONAS; EXTRA_PERSONAS may be named
    too); ``extra[name]``: more UserFactory fields."""
    reference_data()
    by_code = {o.short_code: o for o in Organisation.objects.filter(
        short_code__in=[code for code, _kind in TREFAS_ORGS.values()])}
    orgs = {key: by_code[code] for key, (code, _kind) in TREFAS_ORGS.items()}
    forum = Forum.objects.create(name="Trefas Järva (test)", code=f"jarva-test-{Forum.objects.count()}")
    today = timezone.localdate()
    for key, (_code, kind) in TREFAS_ORGS.items():
        if kind is not None:
            ForumOrganisation.objects.create(forum=forum, organisation=orgs[key], kind=kind, joined_on=today)
    users = {}
    for name in personas or tuple(TREFAS_PERSONAS):
        org, roles, forum_role = TREFAS_PERSONAS[name] if name in TREFAS_PERSONAS else EXTRA_PERSONAS[name]
        users[name] = UserFactory(organisation=orgs[org], roles=list(roles), **(extra or {}).get(name, {}))
        if forum_role is not None:
            ForumMember.objects.create(forum=forum, user=users[name], role=forum_role)
    return TrefasWorld(forum=forum, orgs=orgs, users=users)


def list_person(world: TrefasWorld, *, by: str = "police", rating: str = Rating.YELLOW,
                first_name: str = "Testperson", age: int = 19, protected: bool = False,
                reviewed_days_ago: int = 0) -> Listing:
    """A fictitious person on the list, nominated by ``by``'s organisation (its own record)."""
    user = world.users[by]
    today = timezone.localdate()
    birth = today.replace(year=today.year - age) - timedelta(days=30)
    person = Person.objects.create(
        organisation=user.organisation,
        identity_number=make_fictitious(birth, 900 + len(world.listings)),
        identity_kind=IdentityKind.PERSONNUMMER,
        first_name=first_name,
        last_name=f"Fiktiv{len(world.listings) + 1}",
        birth_date=birth,
        protected_identity=protected,
        is_fictitious=True,
    )
    when = timezone.now() - timedelta(days=reviewed_days_ago)
    listing = Listing.objects.create(
        forum=world.forum, person=person, nominated_by_organisation=user.organisation,
        nominated_by=user, nomination_reason="Kartlagd i nätverk (test)", source_reference="TEST-REF-1",
        rating=rating, rating_reason="Testskäl", rating_set_by=user, rating_set_at=when,
        rating_reviewed_at=when,
    )
    RatingChange.objects.create(listing=listing, rating=rating, reason="Testskäl", set_by=user,
                                set_by_organisation=user.organisation, set_at=when)
    world.listings.append(listing)
    return listing
