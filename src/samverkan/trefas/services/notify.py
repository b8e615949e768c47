"""In-app notices to a forum's members (incidents, releases coming up).

A notice names the forum and links to the record; what the record says is shown only on
its page, through the forum decision. Called by the services of this app inside their
own transaction (they have checked the forum decision and write the audit entry).
"""

from __future__ import annotations

from typing import Any

from samverkan.trefas.models import ForumMember, ForumOrganisation, Notice


def forum_member_ids(*, forum_id: int) -> list[int]:
    """The users who take part in the forum now: an active named member, an active user,
    and their organisation an active member organisation (the forum decision's rule)."""
    orgs = ForumOrganisation.objects.filter(forum_id=forum_id, active=True).values("organisation_id")
    return list(
        ForumMember.objects.filter(
            forum_id=forum_id, active=True, user__is_active=True, user__organisation_id__in=orgs,
        ).order_by("user_id").values_list("user_id", flat=True)
    )


def notify_forum(*, forum_id: int, kind: str, user_ids: list[int] | None = None, **refs: Any) -> list[int]:
    """One notice of ``kind`` per member (``refs``: incident, release, listing); returns
    the users notified."""
    users = forum_member_ids(forum_id=forum_id) if user_ids is None else user_ids
    Notice.objects.bulk_create([Notice(user_id=uid, forum_id=forum_id, kind=kind, **refs) for uid in users])
    return users
