"""Reading incidents: the forum's incident list, one incident's page (its timeline and the
people linked to it), the people a member may choose from, and the checklist templates.

Callers hold the viewer's ``TrefasAccess`` (trefas.selectors.forums.forum_for_actor), so
everything here is already inside one forum; each read of a page is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.access import policy
from samverkan.access.permissions import Permission
from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.trefas.decision import TrefasAccess
from samverkan.trefas.models import (
    ActionItem,
    ActionStatus,
    ChecklistTemplate,
    Incident,
    IncidentLink,
    LinkRole,
    Listing,
    Rating,
)

if TYPE_CHECKING:
    from samverkan.accounts.models import User


def duration_text(start: datetime, end: datetime) -> str:
    """Hours and minutes from ``start`` to ``end`` as "H:MM" (0:00 if end is earlier)."""
    minutes = max(0, int((end - start).total_seconds() // 60))
    return f"{minutes // 60}:{minutes % 60:02d}"


# --- The incident list ---------------------------------------------------------------


@dataclass(frozen=True)
class IncidentRow:
    incident: Incident
    open_actions: int
    overdue_actions: int


def incidents_for_forum(*, actor: User, access: TrefasAccess) -> list[IncidentRow]:
    """The forum's incidents, newest first, with their open and overdue checklist items
    (two queries whatever the number). Audited."""
    now = timezone.now()
    incidents = list(
        Incident.objects.filter(forum_id=access.forum_id)
        .select_related("area", "registered_by_organisation")
        .annotate(
            open_actions=Count("actions", filter=Q(actions__status=ActionStatus.OPEN)),
            overdue_actions=Count("actions", filter=Q(actions__status=ActionStatus.OPEN, actions__due_at__lt=now)),
        )
        .order_by("-occurred_at", "-pk")
    )
    audit.record(
        action=Action.TREFAS_INCIDENT_VIEWED, actor=actor, subject_type="trefas_forum", subject_id=access.forum_id,
        detail={"list": True, "shown": len(incidents)},
    )
    return [IncidentRow(i, i.open_actions, i.overdue_actions) for i in incidents]


def incident_for(*, access: TrefasAccess, incident_id: int) -> Incident:
    """One of the forum's incidents; 404 for any other id."""
    incident = (
        Incident.objects.filter(pk=incident_id, forum_id=access.forum_id)
        .select_related("area", "registered_by_organisation").first()
    )
    if incident is None:
        raise Http404
    return incident


def incident_action_for(*, access: TrefasAccess, incident: Incident, action_id: int) -> ActionItem:
    """One checklist item of the incident; 404 for any other id."""
    action = ActionItem.objects.filter(pk=action_id, incident=incident, forum_id=access.forum_id).first()
    if action is None:
        raise Http404
    return action


# --- One incident's page -------------------------------------------------------------


@dataclass(frozen=True)
class TimelineAction:
    action: ActionItem
    organisation: str
    overdue: bool  # open and past its due time
    late: bool  # done after its due time
    since_incident: str  # "H:MM" from the incident to done ("" while open)


@dataclass(frozen=True)
class LinkedPerson:
    link: IncidentLink
    role: str
    name: str  # "" when the viewer may not see who it is
    listing_id: int | None
    rating: str  # the rating's label for a listed person, else ""
    red: bool
    recorded_by: str


@dataclass(frozen=True)
class IncidentPage:
    incident: Incident
    actions: list[TimelineAction]
    people: list[LinkedPerson]
    open_actions: int


def incident_page(*, actor: User, access: TrefasAccess, incident: Incident) -> IncidentPage:
    """The incident's timeline (each checklist item with its due time, when it was done
    and the time from the incident to done) and the people linked to it. A person who is
    not on the list is named only to the organisation that recorded them
    (``TrefasAccess.sees_linked_person``); a protected identity on the list only as the
    list shows it (``sees_identity``). Three queries and one audit entry."""
    now = timezone.now()
    actions = []
    for action in ActionItem.objects.filter(incident=incident).select_related("organisation").order_by("due_at", "pk"):
        done = action.status == ActionStatus.DONE and action.done_at is not None
        actions.append(TimelineAction(
            action=action,
            organisation=action.organisation.name,
            overdue=action.status == ActionStatus.OPEN and action.due_at < now,
            late=done and action.done_at is not None and action.done_at > action.due_at,
            since_incident=duration_text(incident.occurred_at, action.done_at) if done and action.done_at else "",
        ))
    people = []
    red = False
    for link in (
        IncidentLink.objects.filter(incident=incident)
        .select_related("listing__person", "person", "recorded_by_organisation").order_by("pk")
    ):
        name, rating, is_red = "", "", False
        if link.listing is not None:
            listing = link.listing
            is_red = listing.rating == Rating.RED
            rating = str(Rating(listing.rating).label)
            name = (listing.person.full_name if access.sees_identity(listing, listing.person)
                    else _("Protected identity"))
        elif access.sees_linked_person(link) and link.person is not None:
            name = link.person.full_name
        red = red or is_red
        people.append(LinkedPerson(
            link=link, role=str(LinkRole(link.role).label), name=name, listing_id=link.listing_id,
            rating=rating, red=is_red, recorded_by=link.recorded_by_organisation.name,
        ))
    audit.record(
        action=Action.TREFAS_INCIDENT_VIEWED, actor=actor, subject_type="trefas_incident", subject_id=incident.pk,
        subject_organisation_id=incident.registered_by_organisation_id,
        detail={"forum": incident.forum_id, "links": len(people),
                "listings": [p.listing_id for p in people if p.listing_id], **({"red": True} if red else {})},
    )
    return IncidentPage(
        incident=incident, actions=actions, people=people,
        open_actions=sum(1 for a in actions if a.action.status == ActionStatus.OPEN),
    )


def listing_choices(*, access: TrefasAccess) -> list[tuple[int, str]]:
    """The forum's listed people to choose from, as (listing id, what the viewer may see
    of them): the list's common picture, a protected identity by its listing number only
    (except to the nominating organisation). One query."""
    choices = []
    for listing in (
        Listing.objects.filter(forum_id=access.forum_id, removed_at__isnull=True)
        .select_related("person").order_by("person__last_name", "person__first_name", "pk")
    ):
        if access.sees_identity(listing, listing.person):
            label = f"{listing.person.full_name} ({listing.person.birth_date:%Y})"
        else:
            label = _("Protected identity (no. %(id)d on the list)") % {"id": listing.pk}
        choices.append((listing.pk, label))
    return choices


def listing_for(*, access: TrefasAccess, listing_id: int) -> Listing:
    """One person on the forum's list (not removed); 404 otherwise."""
    listing = (
        Listing.objects.filter(pk=listing_id, forum_id=access.forum_id, removed_at__isnull=True)
        .select_related("person").first()
    )
    if listing is None:
        raise Http404
    return listing


# --- Checklist templates (system administration) --------------------------------------


def checklist_templates(*, actor: User) -> QuerySet[ChecklistTemplate]:
    """Every checklist template, in order (system administrators only)."""
    if not policy.has_permission(actor, Permission.TREFAS_FORUM_MANAGE):
        raise PermissionDenied
    return ChecklistTemplate.objects.order_by("order", "pk")


def checklist_template(*, actor: User, pk: int) -> ChecklistTemplate:
    template = checklist_templates(actor=actor).filter(pk=pk).first()
    if template is None:
        raise Http404
    return template
