"""The shooting two days ago with its checklist half done and the people linked to it,
a release in three weeks with its release plan, and a referral to an exit programme."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db.models import Q

from samverkan.demo.trefas.common import SIBLING_SERIAL, Loader, aware
from samverkan.demo.trefas.people import birth_for, members_of
from samverkan.demo.trefas.shares import Plan, make_share
from samverkan.lib.identity_numbers import make_fictitious
from samverkan.people.models import IdentityKind, Person
from samverkan.trefas.models import (
    ActionItem,
    ActionStatus,
    ChecklistTemplate,
    ExitKind,
    ExitLink,
    Group,
    Incident,
    IncidentKind,
    IncidentLink,
    LinkRole,
    Listing,
    MemberKind,
    Rating,
    Release,
    ReleaseKind,
    ShareState,
    ShareTopic,
)

# The checklist when no templates are configured: (done by, action, within hours).
DEFAULT_CHECKLIST: list[tuple[str, str, int]] = [
    (MemberKind.POLICE, "Vapenkontroll hos personer i grupperna", 4),
    (MemberKind.POLICE, "Gripanden och förhör", 12),
    (MemberKind.CITY_COORDINATOR, "Samordnaren kallar forumet till avstämning", 24),
    (MemberKind.SOCIAL_SERVICES, "Skyddsbedömning för syskon under 18 år", 24),
    (MemberKind.PRISON, "Kriminalvården kontrollerar klienter i nätverket som har permission", 24),
    (MemberKind.SOCIAL_SERVICES, "Kontakt med familjen", 48),
]
KIND_TO_KEY = {
    MemberKind.SOCIAL_SERVICES: "soc",
    MemberKind.POLICE: "police",
    MemberKind.PROBATION: "probation",
    MemberKind.PRISON: "prison",
    MemberKind.CITY_COORDINATOR: "city",
}
RELEASE_IN_DAYS = 21


def _checklist(kind: str) -> list[tuple[str, str, int, ChecklistTemplate | None]]:
    """The configured templates for this kind of incident, else the default checklist."""
    templates = list(
        ChecklistTemplate.objects.filter(Q(incident_kind=kind) | Q(incident_kind=""), active=True)
        .order_by("order", "pk")
    )
    if templates:
        return [(t.member_kind, t.title, t.deadline_hours, t) for t in templates]
    return [(member, title, hours, None) for member, title, hours in DEFAULT_CHECKLIST]


def _occurred(loader: Loader) -> datetime:
    return aware(loader.today - timedelta(days=2), 21, 40)


def make_incident(loader: Loader, groups: tuple[Group, Group]) -> Incident:
    """A shooting two days ago in Rinkeby: a victim and a suspect from the two groups in
    conflict (both on the list), a younger sibling recorded by social services; the
    checklist per member organisation, the first half of it done."""
    assert loader.forum is not None
    police = loader.users["police"]
    occurred = _occurred(loader)
    registered = occurred + timedelta(minutes=35)
    incident = Incident.objects.create(
        forum=loader.forum, kind=IncidentKind.SHOOTING, occurred_at=occurred,
        place="Gångvägen vid Rinkeby centrum", area=loader.areas["rinkeby-tensta"],
        description="Flera skott avlossades mot en person som skadades. En person greps samma natt.",
        registered_by=police, registered_by_organisation=loader.orgs["police"], registered_at=registered,
    )
    a_members, b_members = members_of(groups[0]), members_of(groups[1])
    victim = next((x for x in a_members if x.rating == Rating.RED), a_members[0])
    suspect = next((x for x in b_members if x.rating == Rating.RED), b_members[0])
    sibling_birth = birth_for(loader, 13)
    sibling = Person.objects.create(
        organisation=loader.orgs["soc"],
        identity_number=make_fictitious(sibling_birth, SIBLING_SERIAL),
        identity_kind=IdentityKind.PERSONNUMMER,
        first_name=loader.fake.first_name_female(),
        last_name=victim.person.last_name,
        birth_date=sibling_birth,
        city="Stockholm",
        is_fictitious=True,
    )
    IncidentLink.objects.bulk_create([
        IncidentLink(incident=incident, role=LinkRole.VICTIM, listing=victim,
                     recorded_by_organisation=loader.orgs["police"], recorded_by=police),
        IncidentLink(incident=incident, role=LinkRole.SUSPECT, listing=suspect,
                     recorded_by_organisation=loader.orgs["police"], recorded_by=police),
        IncidentLink(incident=incident, role=LinkRole.RELATIVE, person=sibling,
                     recorded_by_organisation=loader.orgs["soc"], recorded_by=loader.users["soc"]),
    ])
    # The linked people's ratings come up for review at once.
    Listing.objects.filter(pk__in=[victim.pk, suspect.pk]).update(
        review_requested_at=registered, review_request_reason="incident")
    member_kinds = set(KIND_TO_KEY)
    items = []
    for member_kind, title, hours, template in _checklist(IncidentKind.SHOOTING):
        if member_kind not in member_kinds:
            continue  # e.g. a school: not a member of this forum
        key = KIND_TO_KEY[MemberKind(member_kind)]
        user_key = "coordinator" if key == "city" else key
        items.append(ActionItem(
            forum=loader.forum, organisation=loader.orgs[key], responsible=loader.users[user_key],
            title=title, due_at=registered + timedelta(hours=hours), incident=incident, template=template,
            created_by=police,
        ))
    items.sort(key=lambda item: item.due_at)
    for item in items[: len(items) // 2]:
        item.status = ActionStatus.DONE
        item.done_by = item.responsible
        item.done_at = min(registered + (item.due_at - registered) * 0.6, loader.now)
    created = ActionItem.objects.bulk_create(items)
    ActionItem.objects.filter(pk__in=[a.pk for a in created]).update(created_at=registered)
    return incident


def make_release(loader: Loader) -> Release:
    """A release from the Täby prison in three weeks, registered by the prison: its
    conditions as a share (OSL 10 kap. 28 §, no review) and a release plan."""
    assert loader.forum is not None
    prison = loader.users["prison"]
    adults = [x for x in loader.listings if x.rating == Rating.YELLOW and x.person.age_on(loader.today) >= 18]
    listing = next(
        (x for x in adults if x.nominated_by_organisation_id == loader.orgs["probation"].pk), adults[0])
    day: date = loader.today + timedelta(days=RELEASE_IN_DAYS)
    release = Release.objects.create(
        forum=loader.forum, listing=listing, kind=ReleaseKind.RELEASE, date=day, registered_by=prison,
        registered_by_organisation=loader.orgs["prison"], reminders_sent=[4],
    )
    Release.objects.filter(pk=release.pk).update(registered_at=loader.days_ago(30))
    share = make_share(loader, Plan("prison", ShareTopic.RELEASE_CONDITIONS, "osl-10-28",
                                    ("probation", "police", "soc"), ShareState.NO_REVIEW, 12), listing=listing)
    type(share).objects.filter(pk=share.pk).update(release=release)
    plan = [
        ("probation", "Planera övervakning och första besöket efter frigivningen", 7),
        ("soc", "Ordna boende utanför Järva inför frigivningen", 10),
        ("police", "Bedöma hotbilden inför frigivningen", 3),
    ]
    items = ActionItem.objects.bulk_create([
        ActionItem(forum=loader.forum, organisation=loader.orgs[key], responsible=loader.users[key], title=title,
                   due_at=aware(day - timedelta(days=before), 12), release=release, listing=listing,
                   created_by=loader.users["coordinator"])
        for key, title, before in plan
    ])
    ActionItem.objects.filter(pk__in=[a.pk for a in items]).update(created_at=loader.days_ago(24))
    return release


def make_exit(loader: Loader) -> ExitLink:
    """A person who wants to leave: referred by social services to an exit programme."""
    green = [x for x in loader.listings if x.rating == Rating.GREEN]
    listing = next((x for x in green if x.nominated_by_organisation_id == loader.orgs["soc"].pk), green[0])
    link = ExitLink.objects.create(
        listing=listing, kind=ExitKind.EXIT_PROGRAMME, programme_name="Stockholms stads avhopparverksamhet",
        note="Vill lämna nätverket; första samtalet är bokat.", created_by=loader.users["soc"],
        created_by_organisation=loader.orgs["soc"],
    )
    ExitLink.objects.filter(pk=link.pk).update(created_at=loader.days_ago(16))
    return link
