"""The forums of an agreement already fetched through the scope: one forum with its
sessions and decisions (a fixed number of queries), one session or decision (404 when not
of this agreement)."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404

from samverkan.agreement.models import Agreement, CollaborationForum, ForumDecision, ForumSession


def forum_for(*, agreement: Agreement, forum_id: int) -> CollaborationForum:
    forum = (
        CollaborationForum.objects.filter(agreement=agreement, pk=forum_id)
        .prefetch_related(
            "parties",
            Prefetch("sessions", queryset=ForumSession.objects.order_by("-held_on", "-pk").prefetch_related(
                "participants", Prefetch("decisions", queryset=ForumDecision.objects.select_related("organisation")),
            )),
        ).first()
    )
    if forum is None:
        raise Http404
    return forum


def forums_with_decisions(*, agreement: Agreement) -> list[CollaborationForum]:
    """Every forum of the agreement with its sessions and their decisions (for the
    follow-up report)."""
    return list(
        agreement.forums.order_by("name").prefetch_related(
            "parties",
            Prefetch("sessions", queryset=ForumSession.objects.order_by("held_on", "pk").prefetch_related(
                "participants", Prefetch("decisions", queryset=ForumDecision.objects.select_related("organisation")),
            )),
        )
    )


def session_for(*, forum: CollaborationForum, session_id: int) -> ForumSession:
    session = ForumSession.objects.filter(forum=forum, pk=session_id).select_related("forum").first()
    if session is None:
        raise Http404
    return session


def decision_for(*, forum: CollaborationForum, decision_id: int) -> ForumDecision:
    decision = ForumDecision.objects.filter(session__forum=forum, pk=decision_id).select_related(
        "session__forum").first()
    if decision is None:
        raise Http404
    return decision
