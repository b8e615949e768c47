"""Forum administration reads (system administrators, TREFAS_FORUM_MANAGE): a forum's
set-up only — its settings, member organisations and named members (staff). Nothing
here reads the list, shares or anything else about the people the forum discusses: an
administrator who is not a member of the forum sees none of it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from samverkan.access import policy
from samverkan.access.permissions import Permission
from samverkan.accounts.models import User
from samverkan.trefas.models import Forum, ForumMember, ForumOrganisation

if TYPE_CHECKING:
    from samverkan.accounts.models import User as Actor


def _require_manager(actor: Actor) -> None:
    if not policy.has_permission(actor, Permission.TREFAS_FORUM_MANAGE):
        raise Http404


def forums_for_admin(*, actor: Actor) -> QuerySet[Forum]:
    """Every forum with its number of active member organisations and named members."""
    _require_manager(actor)
    return Forum.objects.annotate(
        org_count=Count("organisations", filter=Q(organisations__active=True), distinct=True),
        member_count=Count("members", filter=Q(members__active=True), distinct=True),
    ).order_by("name")


def forum_for_admin(*, actor: Actor, forum_id: int) -> Forum:
    _require_manager(actor)
    forum = Forum.objects.filter(pk=forum_id).first()
    if forum is None:
        raise Http404
    return forum


def forum_organisations(*, forum: Forum) -> list[ForumOrganisation]:
    return list(
        ForumOrganisation.objects.filter(forum=forum).select_related("organisation").order_by(
            "-active", "organisation__name")
    )


def forum_organisation(*, forum: Forum, membership_id: int) -> ForumOrganisation:
    row = ForumOrganisation.objects.filter(forum=forum, pk=membership_id).select_related("organisation").first()
    if row is None:
        raise Http404
    return row


def forum_members(*, forum: Forum) -> list[ForumMember]:
    return list(
        ForumMember.objects.filter(forum=forum)
        .select_related("user", "user__organisation")
        .order_by("-active", "user__organisation__name", "user__last_name", "user__first_name", "pk")
    )


def forum_member(*, forum: Forum, member_id: int) -> ForumMember:
    row = ForumMember.objects.filter(forum=forum, pk=member_id).select_related("user", "user__organisation").first()
    if row is None:
        raise Http404
    return row


def member_candidates(*, forum: Forum) -> QuerySet[User]:
    """Who may be named: active staff of the forum's active member organisations."""
    org_ids = ForumOrganisation.objects.filter(forum=forum, active=True).values("organisation_id")
    return (
        User.objects.filter(is_active=True, organisation_id__in=org_ids)
        .select_related("organisation")
        .order_by("organisation__name", "last_name", "first_name", "pk")
    )
