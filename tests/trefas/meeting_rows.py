"""Rows for the meeting, agenda and action tests, written directly (like world.py):
meetings, shares in every state and actions. Every person is fictitious."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from samverkan.audit.models import AuditEvent
from samverkan.trefas.models import ActionItem, ForumMeeting, Listing, MeetingStatus, Share, ShareState
from samverkan.trefas.selectors.forums import forum_access
from tests.trefas.world import TrefasWorld
from tests.world import basis


def access(world: TrefasWorld, name: str) -> Any:
    found = forum_access(world.users[name], world.forum.pk)
    assert found is not None, name
    return found


def meeting(world: TrefasWorld, *, at: datetime | None = None, days: float = 0,
            status: str = MeetingStatus.PLANNED, place: str = "Rinkeby stadsdelsförvaltning") -> ForumMeeting:
    """A meeting ``days`` from now (negative: in the past)."""
    when = at or timezone.now() + timedelta(days=days)
    return ForumMeeting.objects.create(forum=world.forum, scheduled_for=when, place=place, status=status,
                                       created_by=next(iter(world.users.values())))


def share(world: TrefasWorld, listing: Listing, *, by: str, state: str, to: tuple[str, ...], text: str,
          days_ago: float = 1, code: str = "osl-10-18a") -> Share:
    user = world.users[by]
    row = Share.objects.create(
        forum=world.forum, listing=listing, from_organisation=user.organisation, proposed_by=user,
        proposed_at=timezone.now() - timedelta(days=days_ago), topic="since_last", text=text, basis=basis(code),
        balancing_test="Avvägning (test)", state=state,
        decided_at=timezone.now() - timedelta(days=days_ago) if state != ShareState.PROPOSED else None,
    )
    row.recipients.set([world.orgs[key] for key in to])
    return row


def action(world: TrefasWorld, *, org: str, title: str = "Kontakta familjen", days: float = 3,
           listing: Listing | None = None, meeting: ForumMeeting | None = None) -> ActionItem:
    return ActionItem.objects.create(forum=world.forum, organisation=world.orgs[org], title=title,
                                     due_at=timezone.now() + timedelta(days=days), listing=listing, meeting=meeting,
                                     created_by=next(iter(world.users.values())))


def last_event(action_name: str) -> tuple[AuditEvent, dict[str, Any]]:
    event = AuditEvent.objects.filter(action=action_name).order_by("-seq").first()
    assert event is not None, action_name
    return event, json.loads(event.detail or "{}")
