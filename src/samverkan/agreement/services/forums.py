"""The forums an agreement starts with business, civil society and agencies: name,
purpose and parties (organisations of the directory), their sessions (date, notes,
organisations present) and decisions (text, responsible organisation, due date, done).
Those who manage the agreement keep its forums, while the agreement is a draft or in
force (an ended agreement is read only). Optimistic locking on the forum and the
session; audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samverkan.agreement.models import (
    Agreement,
    AgreementStatus,
    CollaborationForum,
    ForumDecision,
    ForumSession,
)
from samverkan.agreement.services.common import record, require_not_ended
from samverkan.audit.actions import Action
from samverkan.directory.models import Organisation
from samverkan.lib.concurrency import update_versioned
from samverkan.picture.decision import LocalAccess, LocalAction

if TYPE_CHECKING:
    from samverkan.accounts.models import User

_LIVE = [AgreementStatus.DRAFT, AgreementStatus.SIGNED]


@dataclass
class ForumInput:
    name: str
    purpose: str
    parties: list[Organisation]
    active: bool = True


def _check(agreement: Agreement, access: LocalAccess) -> None:
    access.require(LocalAction.MANAGE_AGREEMENT, agreement)
    require_not_ended(agreement)


def _validate(data: ForumInput) -> None:
    errors: dict[str, str] = {}
    if not data.name.strip():
        errors["name"] = _("Give the forum a name.")
    if not data.purpose.strip():
        errors["purpose"] = _("Say what the forum is for.")
    if not data.parties:
        errors["parties"] = _("Choose the organisations taking part.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic(durable=True)
def forum_create(*, actor: User, access: LocalAccess, agreement: Agreement, data: ForumInput) -> CollaborationForum:
    _check(agreement, access)
    _validate(data)
    forum = CollaborationForum.objects.create(agreement=agreement, name=data.name.strip(),
                                              purpose=data.purpose.strip())
    forum.parties.set(data.parties)
    record(Action.AGREEMENT_FORUM_CHANGED, actor=actor, agreement=agreement, forum=forum.pk, change="created")
    return forum


@transaction.atomic(durable=True)
def forum_update(*, actor: User, access: LocalAccess, agreement: Agreement, forum: CollaborationForum,
                 data: ForumInput, expected_version: int | None) -> None:
    _check(agreement, access)
    _validate(data)
    update_versioned(CollaborationForum.objects.filter(agreement=agreement, agreement__status__in=_LIVE),
                     pk=forum.pk, version=expected_version, name=data.name.strip(), purpose=data.purpose.strip(),
                     active=data.active)
    forum.parties.set(data.parties)
    record(Action.AGREEMENT_FORUM_CHANGED, actor=actor, agreement=agreement, forum=forum.pk, change="updated")


@transaction.atomic(durable=True)
def session_create(*, actor: User, access: LocalAccess, agreement: Agreement, forum: CollaborationForum,
                   held_on: date, notes: str, participants: list[Organisation]) -> ForumSession:
    _check(agreement, access)
    if forum.agreement_id != agreement.pk:
        raise ValidationError(_("The forum belongs to another agreement."))
    session = ForumSession.objects.create(forum=forum, held_on=held_on, notes=notes.strip())
    session.participants.set(participants)
    record(Action.AGREEMENT_FORUM_CHANGED, actor=actor, agreement=agreement, forum=forum.pk, session=session.pk,
           change="session_created")
    return session


@transaction.atomic(durable=True)
def decision_create(*, actor: User, access: LocalAccess, agreement: Agreement, session: ForumSession, text: str,
                    organisation: Organisation | None, due_on: date | None) -> ForumDecision:
    _check(agreement, access)
    if session.forum.agreement_id != agreement.pk:
        raise ValidationError(_("The meeting belongs to another agreement."))
    if not text.strip():
        raise ValidationError({"text": _("Write the decision.")})
    decision = ForumDecision.objects.create(session=session, text=text.strip(), organisation=organisation,
                                            due_on=due_on)
    record(Action.AGREEMENT_FORUM_CHANGED, actor=actor, agreement=agreement, forum=session.forum_id,
           decision=decision.pk, change="decision_created")
    return decision


@transaction.atomic(durable=True)
def decision_set_done(*, actor: User, access: LocalAccess, agreement: Agreement, decision: ForumDecision,
                      done: bool) -> None:
    _check(agreement, access)
    if decision.session.forum.agreement_id != agreement.pk:
        raise ValidationError(_("The decision belongs to another agreement."))
    ForumDecision.objects.filter(pk=decision.pk).update(done=done)
    record(Action.AGREEMENT_FORUM_CHANGED, actor=actor, agreement=agreement, forum=decision.session.forum_id,
           decision=decision.pk, change="done" if done else "not_done")
