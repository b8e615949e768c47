"""A user's notices: only in forums they still take part in; each names its kind, the
forum and a link. The page a link opens asks the forum decision itself."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.urls import NoReverseMatch, reverse

from samverkan.trefas.models import Notice
from samverkan.trefas.selectors.forums import forums_for

if TYPE_CHECKING:
    from samverkan.accounts.models import User

NOTICES_SHOWN = 200


@dataclass(frozen=True)
class NoticeRow:
    notice_id: int
    kind: str
    forum: str
    url: str
    created_at: datetime
    unread: bool


def _mine(actor: User) -> QuerySet[Notice]:
    return Notice.objects.filter(user_id=actor.pk, forum_id__in=forums_for(actor).values("pk"))


def _url(notice: Notice) -> str:
    """Where the notice leads (ids only); the forum's page when that topic's page is not
    installed."""
    forum_id = notice.forum_id
    candidates: list[tuple[str, dict[str, int]]] = []
    if notice.listing_id:
        candidates.append(("trefas:person", {"forum_id": forum_id, "listing_id": notice.listing_id}))
    if notice.incident_id:
        candidates.append(("trefas:incident", {"forum_id": forum_id, "incident_id": notice.incident_id}))
    if notice.release_id:
        candidates.append(("trefas:releases", {"forum_id": forum_id}))
    if notice.share_id:
        candidates.append(("trefas:shares", {"forum_id": forum_id}))
    candidates.append(("trefas:forum", {"forum_id": forum_id}))
    for name, kwargs in candidates:
        try:
            return reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue
    return reverse("trefas:forums")


def notices_for(*, actor: User) -> list[NoticeRow]:
    """The actor's notices, unread first, newest first within each (one query)."""
    rows = (
        _mine(actor)
        .select_related("forum")
        .only("id", "kind", "forum_id", "forum__name", "listing_id", "incident_id", "release_id", "share_id",
              "created_at", "read_at")
        .annotate(read=Case(When(read_at__isnull=True, then=Value(0)), default=Value(1),
                            output_field=IntegerField()))
        .order_by("read", "-created_at", "-pk")[:NOTICES_SHOWN]
    )
    return [
        NoticeRow(notice_id=n.pk, kind=n.get_kind_display(), forum=n.forum.name, url=_url(n),
                  created_at=n.created_at, unread=n.read_at is None)
        for n in rows
    ]


def unread_count(*, actor: User) -> int:
    return _mine(actor).filter(read_at__isnull=True).count()
