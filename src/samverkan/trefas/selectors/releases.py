"""Reading releases and leaves: the forum's coming (and recently ended or cancelled)
releases, one release with its plan. Every member of the forum sees them (the list is the
forum's common picture); a protected identity is named only as the list names it.
Callers hold the viewer's ``TrefasAccess``; each read is audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.directory.models import Organisation
from samverkan.trefas.decision import TrefasAccess
from samverkan.trefas.models import ActionItem, ActionStatus, ForumOrganisation, Rating, Release

if TYPE_CHECKING:
    from samverkan.accounts.models import User

RECENT_DAYS = 30  # ended or cancelled releases stay on the page this long


@dataclass(frozen=True)
class ReleaseRow:
    release: Release
    name: str
    red: bool
    open_actions: int
    upcoming: bool


def _name(access: TrefasAccess, release: Release) -> str:
    listing = release.listing
    return listing.person.full_name if access.sees_identity(listing, listing.person) else _("Protected identity")


def releases_for_forum(*, actor: User, access: TrefasAccess) -> list[ReleaseRow]:
    """The forum's releases and leaves from RECENT_DAYS ago on, soonest first, with their
    open plan actions (one query). Audited, flagged when a red-rated person is among them."""
    today = timezone.localdate()
    releases = list(
        Release.objects.filter(forum_id=access.forum_id, date__gte=today - timedelta(days=RECENT_DAYS),
                               listing__removed_at__isnull=True)
        .select_related("listing__person", "registered_by_organisation")
        .annotate(open_actions=Count("actions", filter=Q(actions__status=ActionStatus.OPEN)))
        .order_by("date", "pk")
    )
    rows = [
        ReleaseRow(release=r, name=_name(access, r), red=r.listing.rating == Rating.RED,
                   open_actions=r.open_actions,
                   upcoming=r.cancelled_at is None and r.date >= today)
        for r in releases
    ]
    red = any(row.red for row in rows)
    audit.record(
        action=Action.TREFAS_RELEASES_VIEWED, actor=actor, subject_type="trefas_forum", subject_id=access.forum_id,
        detail={"shown": len(rows), "listings": sorted({r.release.listing_id for r in rows}),
                **({"red": True} if red else {})},
    )
    return rows


def release_for(*, access: TrefasAccess, release_id: int) -> Release:
    """One of the forum's releases; 404 for any other id."""
    release = (
        Release.objects.filter(pk=release_id, forum_id=access.forum_id, listing__removed_at__isnull=True)
        .select_related("listing__person", "registered_by_organisation").first()
    )
    if release is None:
        raise Http404
    return release


@dataclass(frozen=True)
class PlanAction:
    action: ActionItem
    organisation: str
    overdue: bool


@dataclass(frozen=True)
class ReleasePage:
    release: Release
    name: str
    red: bool
    actions: list[PlanAction]
    upcoming: bool


def release_page(*, actor: User, access: TrefasAccess, release: Release) -> ReleasePage:
    """A release or leave with its plan (actions per organisation). Audited."""
    now = timezone.now()
    actions = [
        PlanAction(action=a, organisation=a.organisation.name,
                   overdue=a.status == ActionStatus.OPEN and a.due_at < now)
        for a in ActionItem.objects.filter(release=release).select_related("organisation").order_by("due_at", "pk")
    ]
    red = release.listing.rating == Rating.RED
    audit.record(
        action=Action.TREFAS_RELEASES_VIEWED, actor=actor, subject_type="trefas_release", subject_id=release.pk,
        subject_organisation_id=release.registered_by_organisation_id,
        detail={"forum": release.forum_id, "listing": release.listing_id, **({"red": True} if red else {})},
    )
    return ReleasePage(release=release, name=_name(access, release), red=red, actions=actions,
                       upcoming=release.cancelled_at is None and release.date >= timezone.localdate())


def release_action_for(*, access: TrefasAccess, release: Release, action_id: int) -> ActionItem:
    action = ActionItem.objects.filter(pk=action_id, release=release, forum_id=access.forum_id).first()
    if action is None:
        raise Http404
    return action


def forum_organisations(*, access: TrefasAccess) -> QuerySet[Organisation]:
    """The forum's active member organisations (public bodies), by name."""
    member_orgs = ForumOrganisation.objects.filter(forum_id=access.forum_id, active=True).values("organisation_id")
    return Organisation.objects.filter(pk__in=member_orgs).order_by("name")
