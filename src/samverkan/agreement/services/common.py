"""What every agreement service shares: the audit line and the rules of the agreement's
life cycle.

A draft agreement is edited freely by those who manage it (LocalAction.MANAGE_AGREEMENT).
Once signed, its text is what the parties signed: title, goals, validity, areas,
prioritised problems, parties, signatories, commitments' wording and the promised
presence are frozen; what follows the agreement's life continues (commitments' status
and evidence, follow-up meetings, presence reports, forums). An ended agreement is read
only. The services check this (the pages only hide what the services refuse)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from samverkan.agreement.models import Agreement, AgreementStatus
from samverkan.audit import services as audit
from samverkan.audit.actions import Action

if TYPE_CHECKING:
    from samverkan.accounts.models import User

SUBJECT = "agreement"


def record(action: Action, *, actor: User, agreement: Agreement, **detail: Any) -> None:
    """Audit one change of ``agreement`` (ids and codes only, never names or text)."""
    audit.record(
        action=action, actor=actor, subject_type=SUBJECT, subject_id=agreement.pk,
        subject_organisation_id=agreement.police_id, detail={"kind": agreement.kind, **detail},
    )


def require_draft(agreement: Agreement) -> None:
    """The agreement's text may change only before it is signed."""
    if agreement.status != AgreementStatus.DRAFT:
        raise ValidationError(_("The agreement is signed: its text, parties and commitments can no longer "
                                "be changed."))


def require_signed(agreement: Agreement) -> None:
    """Follow-up and presence reports belong to an agreement in force."""
    if agreement.status != AgreementStatus.SIGNED:
        raise ValidationError(_("This is recorded only while the agreement is signed and in force."))


def require_not_ended(agreement: Agreement) -> None:
    if agreement.status == AgreementStatus.ENDED:
        raise ValidationError(_("The agreement has ended and can no longer be changed."))
