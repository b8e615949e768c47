"""The forum "Trefas Järva": its member organisations with the kind each takes part as,
and the named members with their forum role."""

from __future__ import annotations

from datetime import timedelta

from samverkan.demo.trefas.common import FORUM_CODE, Loader
from samverkan.directory.models import District
from samverkan.trefas.models import Forum, ForumMember, ForumOrganisation, ForumRole, MemberKind

KINDS = {
    "soc": MemberKind.SOCIAL_SERVICES,
    "police": MemberKind.POLICE,
    "probation": MemberKind.PROBATION,
    "prison": MemberKind.PRISON,
    "city": MemberKind.CITY_COORDINATOR,
}
FORUM_ROLES = {
    "coordinator": ForumRole.COORDINATOR,
    "soc": ForumRole.MEMBER,
    "police": ForumRole.MEMBER,
    "probation": ForumRole.MEMBER,
    "prison": ForumRole.MEMBER,
    "soc_jurist": ForumRole.JURIST,
    "police_jurist": ForumRole.JURIST,
}


def make_forum(loader: Loader) -> Forum:
    forum = Forum.objects.create(name="Trefas Järva", code=FORUM_CODE, cadence_days=21)
    forum.districts.set(District.objects.filter(code="jarva"))
    forum.areas.set(loader.areas.values())
    joined = loader.today - timedelta(days=400)
    for key, kind in KINDS.items():
        ForumOrganisation.objects.create(forum=forum, organisation=loader.orgs[key], kind=kind, joined_on=joined)
    for key, role in FORUM_ROLES.items():
        ForumMember.objects.create(forum=forum, user=loader.users[key], role=role,
                                   added_by=loader.users["coordinator"])
    loader.forum = forum
    return forum
