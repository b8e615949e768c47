"""Incident response: register an incident and generate its checklist, link the people
concerned, mark checklist items done, and administer the checklist templates.

Every write checks the forum decision (``TrefasAccess``) and is audited in the same
transaction; audit details carry ids and counts only.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from uuid import uuid4

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.access import policy
from samverkan.access.permissions import Permission
from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.directory.models import Area
from samverkan.lib.concurrency import StaleEdit, update_versioned
from samverkan.lib.identity_numbers import IdentityNumber
from samverkan.people.services import person_get_or_create
from samverkan.trefas.decision import TrefasAccess, TrefasAction
from samverkan.trefas.models import (
    ChecklistTemplate,
    Forum,
    ForumOrganisation,
    Incident,
    IncidentLink,
    Listing,
    NoticeKind,
    Rating,
)
from samverkan.trefas.services.actions import action_generate
from samverkan.trefas.services.listing import request_review
from samverkan.trefas.services.notices import notify_forum

if TYPE_CHECKING:
    from samverkan.accounts.models import User

__all__ = [
    "StaleEdit", "checklist_template_save", "incident_link", "incident_register",
]

REVIEW_REASON_INCIDENT = "incident"


@transaction.atomic(durable=True)
def incident_register(
    *,
    actor: User,
    access: TrefasAccess,
    forum: Forum,
    kind: str,
    occurred_at: datetime,
    place: str,
    area: Area | None,
    description: str,
) -> Incident:
    """Register an incident in the forum and generate its checklist: for every active
    template of this kind (or of every kind) one action per active member organisation
    of the template's kind, due ``deadline_hours`` after registration. Every member is
    notified in the app. Needs REGISTER_INCIDENT; the time may not be in the future and
    the area must be one of the forum's. Place and description are the forum's words and
    must not name anyone (the form says so)."""
    access.require(TrefasAction.REGISTER_INCIDENT)
    if access.forum_id != forum.pk:
        raise PermissionDenied
    now = timezone.now()
    errors: dict[str, str] = {}
    if occurred_at > now:
        errors["occurred_at"] = _("The time is in the future.")
    if area is not None and not forum.areas.filter(pk=area.pk).exists():
        errors["area"] = _("Choose one of the forum's areas.")
    if not place.strip():
        errors["place"] = _("Say where it happened.")
    if errors:
        raise ValidationError(errors)
    assert actor.organisation_id is not None  # (a member: the forum decision checked it)
    incident = Incident.objects.create(
        forum=forum, kind=kind, occurred_at=occurred_at, place=place.strip(), area=area,
        description=description.strip(), registered_by=actor,
        registered_by_organisation_id=actor.organisation_id, registered_at=now,
    )
    templates = list(
        ChecklistTemplate.objects.filter(active=True).filter(Q(incident_kind=kind) | Q(incident_kind=""))
        .order_by("order", "pk")
    )
    members = list(
        ForumOrganisation.objects.filter(forum=forum, active=True).order_by("pk").select_related("organisation")
    )
    actions = 0
    for template in templates:
        for member in members:
            if member.kind != template.member_kind:
                continue
            action_generate(
                forum=forum, organisation=member.organisation, title=template.title,
                due_at=now + timedelta(hours=template.deadline_hours), incident=incident, template=template,
            )
            actions += 1
    notified = notify_forum(forum_id=forum.pk, kind=NoticeKind.INCIDENT, incident=incident)
    audit.record(
        action=Action.TREFAS_INCIDENT_REGISTERED, actor=actor, subject_type="trefas_incident",
        subject_id=incident.pk, subject_organisation_id=actor.organisation_id,
        detail={"forum": forum.pk, "kind": kind, "actions": actions, "notified": len(notified)},
    )
    return incident


@transaction.atomic(durable=True)
def incident_link(
    *,
    actor: User,
    access: TrefasAccess,
    incident: Incident,
    role: str,
    listing: Listing | None = None,
    identity: IdentityNumber | None = None,
    first_name: str = "",
    last_name: str = "",
) -> IncidentLink:
    """Link a person to the incident with a role: a person on the forum's list, or
    someone not listed (e.g. a younger sibling) as the linking organisation's own record
    (people: one record per organisation; an existing one is reused, never changed).
    Only the linking organisation sees a non-listed person's name
    (``TrefasAccess.sees_linked_person``). A listed person's rating comes up for review at
    once. When the organisation's own record is itself on the list, the listing is linked.
    Needs REGISTER_INCIDENT."""
    access.require(TrefasAction.REGISTER_INCIDENT)
    if incident.forum_id != access.forum_id:
        raise PermissionDenied
    assert actor.organisation_id is not None
    person = None
    if listing is None:
        if identity is None:
            raise ValidationError(_("Choose a person on the list or give the identity number of someone who is not."))
        if not first_name.strip() or not last_name.strip():
            raise ValidationError(_("Give the person's first and last name."))
        person, _created = person_get_or_create(
            actor=actor, identity=identity, first_name=first_name.strip(), last_name=last_name.strip(),
        )
        listing = Listing.objects.filter(forum_id=incident.forum_id, person=person, removed_at__isnull=True).first()
        if listing is not None:
            person = None
    elif listing.forum_id != incident.forum_id or listing.removed_at is not None:
        raise ValidationError(_("The person is not on this forum's list."))
    duplicate = IncidentLink.objects.filter(incident=incident)
    duplicate = duplicate.filter(listing=listing) if listing is not None else duplicate.filter(person=person)
    if duplicate.exists():
        raise ValidationError(_("The person is already linked to the incident."))
    link = IncidentLink.objects.create(
        incident=incident, role=role, listing=listing, person=person,
        recorded_by_organisation_id=actor.organisation_id, recorded_by=actor,
    )
    detail: dict[str, object] = {"incident": incident.pk, "role": role}
    if listing is not None:
        detail["listing"] = listing.pk
        if listing.rating == Rating.RED:
            detail["red"] = True
        request_review(actor=actor, listing=listing, reason=REVIEW_REASON_INCIDENT)
    else:
        assert person is not None
        detail["person"] = person.pk
    audit.record(
        action=Action.TREFAS_INCIDENT_LINKED, actor=actor, subject_type="trefas_incident",
        subject_id=incident.pk,
        subject_organisation_id=listing.nominated_by_organisation_id if listing is not None else actor.organisation_id,
        detail=detail,
    )
    return link


@transaction.atomic(durable=True)
def checklist_template_save(
    *, actor: User, instance: ChecklistTemplate, expected_version: int | None
) -> ChecklistTemplate:
    """Create or change a checklist template (system administrators:
    ``system:trefas_forum:manage``). A change applies to incidents registered after it;
    existing checklists keep their actions. Optimistic lock on an existing template."""
    if not policy.has_permission(actor, Permission.TREFAS_FORUM_MANAGE):
        raise PermissionDenied
    if instance.deadline_hours is None or instance.deadline_hours < 1:
        raise ValidationError({"deadline_hours": _("Give at least one hour.")})
    fields = ["title", "deadline_hours", "active", "incident_kind", "member_kind", "order"]
    if instance.pk is None:
        if not instance.code:
            instance.code = f"custom-{uuid4().hex[:16]}"
        instance.save()
        created = True
    else:
        update_versioned(ChecklistTemplate, pk=instance.pk, version=expected_version,
                         **{name: getattr(instance, name) for name in fields})
        instance.refresh_from_db()
        created = False
    audit.record(
        action=Action.TREFAS_CHECKLIST_CHANGED, actor=actor, subject_type="trefas_checklist_template",
        subject_id=instance.pk, detail={"created": created, "active": instance.active},
    )
    return instance
