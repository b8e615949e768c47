"""Actions (ActionItem): what one member organisation does, with a due time and a
status. Decided at a meeting by the forum's coordinators (TrefasAction.DECIDE_ACTIONS),
or generated from an incident's checklist or a release plan (``action_generate``, the
system variant other Trefas services call). The organisation whose action it is marks it
done or cancelled (TrefasAction.UPDATE_ACTION with the entry), with optimistic locking.

An action's title is the forum's common text: it says what is done, never intelligence
about a person (``TITLE_HELP`` is the form's warning). Audited: TREFAS_ACTION_CREATED,
TREFAS_ACTION_UPDATED.

``action_create`` and ``action_generate`` are not durable: the incident and release
services call them inside their own transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.directory.models import Organisation
from samverkan.lib.concurrency import StaleEdit, update_versioned
from samverkan.trefas.decision import TrefasAccess, TrefasAction
from samverkan.trefas.models import (
    ActionItem,
    ActionStatus,
    ChecklistTemplate,
    Forum,
    ForumMeeting,
    ForumMember,
    ForumOrganisation,
    Incident,
    Listing,
    MeetingStatus,
    Release,
)

if TYPE_CHECKING:
    from samverkan.accounts.models import User

__all__ = ["TITLE_HELP", "StaleEdit", "action_create", "action_generate", "action_set_status"]

SUBJECT = "trefas_action"
TITLE_MAX = 300
TITLE_HELP = gettext_lazy(
    "Say what is done, for example: contact the family, or check the weapons licence. "
    "Write no intelligence about the person: every member of the forum reads this."
)


def _validate(*, forum: Forum, organisation: Organisation, title: str, due_at: datetime,
              responsible: Any, meeting: ForumMeeting | None, listing: Listing | None,
              incident: Incident | None, release: Release | None) -> str:
    """The checks both ways of creating an action share; returns the cleaned title."""
    title = " ".join(title.split())
    if not title:
        raise ValidationError(_("Say what is to be done."))
    if len(title) > TITLE_MAX:
        raise ValidationError(_("Keep the action short (at most 300 characters)."))
    if audit.looks_personal(title):
        raise ValidationError(_("The action may not hold an identity number or an e-mail address."))
    if due_at is None:
        raise ValidationError(_("Give the action a due date."))
    if not ForumOrganisation.objects.filter(forum=forum, organisation=organisation, active=True).exists():
        raise ValidationError(_("The action must belong to one of the forum's member organisations."))
    if responsible is not None and (
        responsible.organisation_id != organisation.pk
        or not ForumMember.objects.filter(forum=forum, user=responsible, active=True).exists()
    ):
        raise ValidationError(_("The responsible person must be a member of the forum from that organisation."))
    for entry in (meeting, listing, incident, release):
        if entry is not None and entry.forum_id != forum.pk:
            raise ValidationError(_("The action refers to something outside the forum."))
    if listing is not None and listing.removed_at is not None:
        raise ValidationError(_("The person is no longer on the list."))
    if meeting is not None and (meeting.signed_at is not None or meeting.status == MeetingStatus.CANCELLED):
        raise ValidationError(_("The meeting's minutes are signed (or it was cancelled): it takes no new actions."))
    return title


def _create(*, actor: User | None, forum: Forum, organisation: Organisation, title: str, due_at: datetime,
            responsible: Any, meeting: ForumMeeting | None, listing: Listing | None,
            incident: Incident | None, release: Release | None,
            template: ChecklistTemplate | None) -> ActionItem:
    title = _validate(forum=forum, organisation=organisation, title=title, due_at=due_at,
                      responsible=responsible, meeting=meeting, listing=listing, incident=incident,
                      release=release)
    item = ActionItem.objects.create(
        forum=forum, organisation=organisation, responsible=responsible, title=title, due_at=due_at,
        meeting=meeting, listing=listing, incident=incident, release=release, template=template,
        created_by=actor,
    )
    detail: dict[str, object] = {"forum": forum.pk}
    for name, entry in (("meeting", meeting), ("listing", listing), ("incident", incident),
                        ("release", release), ("template", template)):
        if entry is not None:
            detail[name] = entry.pk
    if actor is None:
        detail["generated"] = True
    audit.record(action=Action.TREFAS_ACTION_CREATED, actor=actor, subject_type=SUBJECT, subject_id=item.pk,
                 subject_organisation_id=organisation.pk, detail=detail)
    return item


def action_create(*, actor: User, access: TrefasAccess, forum: Forum, organisation: Organisation, title: str,
                  due_at: datetime, responsible: Any = None, meeting: ForumMeeting | None = None,
                  listing: Listing | None = None, incident: Incident | None = None,
                  release: Release | None = None, template: ChecklistTemplate | None = None) -> ActionItem:
    """A coordinator adds an action for a member organisation (at a meeting, after an
    incident, for a release). ``responsible`` must be a forum member of that
    organisation. PermissionDenied without DECIDE_ACTIONS; ValidationError on bad input
    (nothing written). Audited."""
    access.require(TrefasAction.DECIDE_ACTIONS)
    if access.forum_id != forum.pk:
        raise ValidationError(_("The action belongs to another forum."))
    with transaction.atomic():
        return _create(actor=actor, forum=forum, organisation=organisation, title=title, due_at=due_at,
                       responsible=responsible, meeting=meeting, listing=listing, incident=incident,
                       release=release, template=template)


def action_generate(*, forum: Forum, organisation: Organisation, title: str, due_at: datetime,
                    responsible: Any = None, meeting: ForumMeeting | None = None, listing: Listing | None = None,
                    incident: Incident | None = None, release: Release | None = None,
                    template: ChecklistTemplate | None = None, created_by: User | None = None) -> ActionItem:
    """An action the caller's own rule decided (an incident's checklist; a release plan,
    PLAN_RELEASE): no permission check here; the same validation as ``action_create``.
    Audited with ``created_by`` as the actor (none: generated by the system)."""
    with transaction.atomic():
        return _create(actor=created_by, forum=forum, organisation=organisation, title=title, due_at=due_at,
                       responsible=responsible, meeting=meeting, listing=listing, incident=incident,
                       release=release, template=template)


@transaction.atomic(durable=True)
def action_set_status(*, actor: User, access: TrefasAccess, action: ActionItem, status: str,
                      expected_version: int | None) -> ActionItem:
    """The action's organisation marks it done, cancelled or back to do. StaleEdit when
    it changed since the member loaded it. Audited."""
    access.require(TrefasAction.UPDATE_ACTION, action)
    if access.forum_id != action.forum_id:
        raise ValidationError(_("The action belongs to another forum."))
    if status not in ActionStatus.values:
        raise ValidationError(_("Choose a status."))
    if status == action.status:
        raise ValidationError(_("The action already has that status."))
    done = status == ActionStatus.DONE
    update_versioned(ActionItem, pk=action.pk, version=expected_version, status=status,
                     done_at=timezone.now() if done else None, done_by=actor if done else None)
    audit.record(action=Action.TREFAS_ACTION_UPDATED, actor=actor, subject_type=SUBJECT, subject_id=action.pk,
                 subject_organisation_id=action.organisation_id,
                 detail={"forum": action.forum_id, "status": status, "was": action.status})
    action.refresh_from_db()
    return action
