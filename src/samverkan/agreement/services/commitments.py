"""Each party's commitments under an agreement. While the agreement is a draft, a
commitment's wording, party, problem and due date are written freely; once signed only
its status and evidence move (here or at a follow-up meeting). Optimistic locking on
Commitment.version; audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.agreement.models import Agreement, AgreementStatus, Commitment, CommitmentStatus
from samverkan.agreement.services.common import record, require_draft, require_not_ended
from samverkan.audit.actions import Action
from samverkan.lib.concurrency import update_versioned
from samverkan.picture.decision import LocalAccess, LocalAction
from samverkan.prevention.models import Problem

if TYPE_CHECKING:
    from samverkan.accounts.models import User


@dataclass
class CommitmentText:
    organisation_id: int
    problem: Problem | None
    text: str
    due_on: date | None


def _check_text(agreement: Agreement, data: CommitmentText) -> None:
    errors: dict[str, str] = {}
    if not agreement.parties.filter(organisation_id=data.organisation_id).exists():
        errors["organisation"] = _("Choose one of the agreement's parties.")
    if data.problem is not None and not agreement.problems.filter(pk=data.problem.pk).exists():
        errors["problem"] = _("Choose one of the agreement's prioritised problems.")
    if not data.text.strip():
        errors["text"] = _("Say what the party commits to.")
    if errors:
        raise ValidationError(errors)


def _check_status(status: str) -> None:
    if status not in CommitmentStatus.values:
        raise ValidationError({"status": _("Choose a status.")})


@transaction.atomic(durable=True)
def commitment_create(*, actor: User, access: LocalAccess, agreement: Agreement, data: CommitmentText,
                      status: str = CommitmentStatus.NOT_STARTED, evidence: str = "") -> Commitment:
    access.require(LocalAction.MANAGE_AGREEMENT, agreement)
    require_draft(agreement)
    _check_text(agreement, data)
    _check_status(status)
    commitment = Commitment.objects.create(
        agreement=agreement, organisation_id=data.organisation_id, problem=data.problem, text=data.text.strip(),
        due_on=data.due_on, status=status, evidence=evidence.strip(),
    )
    record(Action.AGREEMENT_COMMITMENT_CHANGED, actor=actor, agreement=agreement, commitment=commitment.pk,
           change="created")
    return commitment


@transaction.atomic(durable=True)
def commitment_update(*, actor: User, access: LocalAccess, agreement: Agreement, commitment: Commitment,
                      data: CommitmentText | None, status: str, evidence: str,
                      expected_version: int | None) -> None:
    """Change the status and evidence, and (``data``, draft only) the wording. A signed
    agreement refuses any change of the wording."""
    access.require(LocalAction.MANAGE_AGREEMENT, agreement)
    require_not_ended(agreement)
    if commitment.agreement_id != agreement.pk:
        raise ValidationError(_("The commitment belongs to another agreement."))
    _check_status(status)
    changes: dict[str, object] = {"status": status, "evidence": evidence.strip(), "updated_at": timezone.now()}
    if data is not None:
        unchanged = (data.organisation_id == commitment.organisation_id and data.text.strip() == commitment.text
                     and (data.problem.pk if data.problem else None) == commitment.problem_id
                     and data.due_on == commitment.due_on)
        if not unchanged:
            require_draft(agreement)
            _check_text(agreement, data)
            changes.update(organisation_id=data.organisation_id, problem=data.problem, text=data.text.strip(),
                           due_on=data.due_on)
    update_versioned(Commitment.objects.filter(agreement__status__in=[AgreementStatus.DRAFT, AgreementStatus.SIGNED]),
                     pk=commitment.pk, version=expected_version, **changes)
    record(Action.AGREEMENT_COMMITMENT_CHANGED, actor=actor, agreement=agreement, commitment=commitment.pk,
           change="updated", status=status)


@transaction.atomic(durable=True)
def commitment_remove(*, actor: User, access: LocalAccess, agreement: Agreement, commitment: Commitment,
                      expected_version: int | None) -> None:
    access.require(LocalAction.MANAGE_AGREEMENT, agreement)
    require_draft(agreement)
    if expected_version is None or not Commitment.objects.filter(
        pk=commitment.pk, agreement=agreement, version=expected_version
    ).delete()[0]:
        raise ValidationError(_("The commitment changed or was removed after you opened it. Nothing was removed."))
    record(Action.AGREEMENT_COMMITMENT_CHANGED, actor=actor, agreement=agreement, commitment=commitment.pk,
           change="removed")
