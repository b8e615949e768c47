"""Whose eyes a forum's follow-up statistics are for (the rule: trefas.decision.
may_view_statistics). The counting itself is followup's (followup/selectors/trefas.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404

from samverkan.access import policy
from samverkan.trefas.decision import may_view_statistics
from samverkan.trefas.models import Forum, ForumOrganisation
from samverkan.trefas.selectors.forums import forum_access

if TYPE_CHECKING:
    from samverkan.accounts.models import User


def forum_for_statistics(actor: User, forum_id: int) -> Forum:
    """The forum, for a member or a manager of a member organisation; 404 for everyone
    else (as for every Trefas page: an outsider cannot tell that the forum exists)."""
    if not getattr(actor, "is_authenticated", False) or actor.organisation_id is None:
        raise Http404
    forum = Forum.objects.filter(pk=forum_id, active=True).first()
    if forum is None:
        raise Http404
    takes_part = ForumOrganisation.objects.filter(
        forum_id=forum_id, organisation_id=actor.organisation_id, active=True).exists()
    allowed = may_view_statistics(
        access=forum_access(actor, forum_id) if takes_part else None,
        permissions=frozenset(policy.permissions_of(actor)),
        organisation_takes_part=takes_part,
    )
    if not allowed:
        raise Http404
    return forum
