"""The forum's actions page: the viewer's organisation's actions first (open ones, the
overdue highlighted, then the latest closed), then every other open action of the forum.

Actions are the forum's common record (titles say what is done, never intelligence), so
every member sees them; a person an action is about is named as the list names them
(``listing_label``: a protected identity only to its organisation). A fixed number of
queries. Audited as a read of the list (TREFAS_LIST_VIEWED, page "actions", with the
listings named and ``red`` when one of them is red-rated).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.http import Http404
from django.utils import timezone

from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.audit.services import MAX_DETAIL_LIST
from samverkan.trefas.decision import TrefasAccess
from samverkan.trefas.models import ActionItem, ActionStatus, Forum, Rating
from samverkan.trefas.selectors.meetings import listing_label

if TYPE_CHECKING:
    from samverkan.accounts.models import User

CLOSED_SHOWN = 20
OPEN_SHOWN = 500


@dataclass(frozen=True)
class ActionRow:
    action: ActionItem
    person: str  # "" when about no one
    overdue: bool


@dataclass(frozen=True)
class ActionsOverview:
    now: datetime
    own_open: list[ActionRow]
    own_closed: list[ActionRow]
    others_open: list[ActionRow]


def _rows(access: TrefasAccess, items: list[ActionItem], now: datetime) -> list[ActionRow]:
    return [ActionRow(item, listing_label(access, item.listing) if item.listing is not None else "",
                      item.status == ActionStatus.OPEN and item.due_at < now) for item in items]


def actions_overview(*, actor: User, forum: Forum, access: TrefasAccess) -> ActionsOverview:
    """The actions page for this member; three queries whatever the number of actions."""
    now = timezone.now()
    base = (ActionItem.objects.filter(forum=forum)
            .select_related("organisation", "responsible", "listing__person", "meeting", "incident", "release"))
    own = base.filter(organisation_id=access.viewer_org_id)
    own_open = list(own.filter(status=ActionStatus.OPEN).order_by("due_at", "pk")[:OPEN_SHOWN])
    own_closed = list(own.exclude(status=ActionStatus.OPEN).order_by("-done_at", "-due_at", "-pk")[:CLOSED_SHOWN])
    others = list(base.filter(status=ActionStatus.OPEN).exclude(organisation_id=access.viewer_org_id)
                  .order_by("due_at", "organisation__name", "pk")[:OPEN_SHOWN])
    named = [item.listing for item in (*own_open, *own_closed, *others) if item.listing is not None]
    listing_ids = sorted({listing.pk for listing in named})
    detail: dict[str, object] = {"forum": forum.pk, "page": "actions",
                                 "actions": len(own_open) + len(own_closed) + len(others)}
    if len(listing_ids) <= MAX_DETAIL_LIST:
        detail["listings"] = listing_ids
    if any(listing.rating == Rating.RED for listing in named):
        detail["red"] = True
    audit.record(action=Action.TREFAS_LIST_VIEWED, actor=actor, subject_type="trefas_forum", subject_id=forum.pk,
                 detail=detail)
    return ActionsOverview(now=now, own_open=_rows(access, own_open, now), own_closed=_rows(access, own_closed, now),
                           others_open=_rows(access, others, now))


def action_for_forum(*, forum: Forum, action_id: int) -> ActionItem:
    """One action of the forum; 404 for any other id."""
    item = ActionItem.objects.filter(forum=forum, pk=action_id).first()
    if item is None:
        raise Http404
    return item
