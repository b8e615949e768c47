"""Which forums a user takes part in, and their standing in one (the forum decision)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404

from samverkan.access import policy
from samverkan.access.permissions import Permission
from samverkan.trefas.decision import TrefasAccess
from samverkan.trefas.models import Forum, ForumMember, ForumOrganisation

if TYPE_CHECKING:
    from samverkan.accounts.models import User


def _memberships(actor: User) -> QuerySet[ForumMember]:
    """The actor's active memberships that count: their organisation takes part too."""
    if not getattr(actor, "is_authenticated", False) or actor.organisation_id is None:
        return ForumMember.objects.none()
    if not policy.has_permission(actor, Permission.TREFAS_VIEW):
        return ForumMember.objects.none()
    return ForumMember.objects.filter(
        user_id=actor.pk,
        active=True,
        forum__active=True,
        forum__organisations__organisation_id=actor.organisation_id,
        forum__organisations__active=True,
    )


def forums_for(actor: User) -> QuerySet[Forum]:
    """The forums the actor takes part in (the Trefas start page)."""
    return Forum.objects.filter(pk__in=_memberships(actor).values("forum_id")).order_by("name")


def forum_access(actor: User, forum_id: int) -> TrefasAccess | None:
    """The actor's standing in the forum, or None when they do not take part in it."""
    member = _memberships(actor).filter(forum_id=forum_id).first()
    if member is None:
        return None
    kind = (
        ForumOrganisation.objects.filter(forum_id=forum_id, organisation_id=actor.organisation_id, active=True)
        .values_list("kind", flat=True)
        .first()
    )
    if kind is None:
        return None
    assert actor.organisation_id is not None  # (checked in _memberships)
    return TrefasAccess(
        forum_id=forum_id,
        viewer_id=actor.pk,
        viewer_org_id=actor.organisation_id,
        forum_role=member.role,
        member_kind=kind,
        permissions=frozenset(policy.permissions_of(actor)),
    )


def forum_for_actor(actor: User, forum_id: int) -> tuple[Forum, TrefasAccess]:
    """The forum and the actor's standing in it; 404 for anyone who does not take part
    (an outsider cannot tell a forum that exists from one that does not)."""
    access = forum_access(actor, forum_id)
    if access is None:
        raise Http404
    forum = Forum.objects.filter(pk=forum_id, active=True).first()
    if forum is None:
        raise Http404
    return forum, access
