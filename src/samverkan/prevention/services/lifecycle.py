"""The way a lägesbild or an åtgärdsplan is decided, shared by both (models.common.Scope):

    draft ──agree──▶ agreed ──decide──▶ decided ──(a later version is decided)──▶ replaced
      ▲    │            │                   ▲
      │    └────────────┼──decide───────────┘   (where the municipality decides without
      └────reopen───────┘                        a separate agreement step)

- **agreed** records the date the parties agreed on the text (``agreed_on``);
- **decided** records the deciding body, the date and the decision's reference (lag
  2023:196 leaves the body and the rhythm to the municipality: each decision says which);
  a decided version is never edited again — a change is a new version (``previous``);
- deciding a version replaces every earlier agreed or decided version of the same
  municipality or district (``replaced_by``), in the same transaction;
- the deciding body and the reference are public-record facts: an identity number in
  them is refused (lib.identity_numbers.find_in_text).

``transition`` is the only writer of these fields. It checks the step and its facts, and
writes with optimistic locking (lib.concurrency) on the document's status as loaded: a
document that someone else changed or moved meanwhile raises StaleEdit and nothing is
written. It records the caller's audit event in the same transaction. Who may take the
step (LocalAction.MANAGE_DOCUMENT) and any rule of one document kind (e.g. a plan is
decided only on a decided lägesbild) are the caller's: this module knows the lifecycle
only.
"""

from __future__ import annotations

from datetime import date as Date
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.lib.concurrency import StaleEdit, update_versioned
from samverkan.lib.identity_numbers import find_in_text
from samverkan.prevention.models.common import DocumentStatus, Scope

if TYPE_CHECKING:
    from samverkan.accounts.models import User

__all__ = ["ALLOWED", "StaleEdit", "allowed_steps", "replaced_by", "transition"]

D = TypeVar("D", bound=Scope)

# from -> the statuses it may move to through ``transition``. REPLACED is reached only
# when a later version is decided, never asked for.
ALLOWED: dict[str, frozenset[str]] = {
    # lag 2023:196 leaves the procedure to the municipality: some decide without a
    # separate agreement step.
    DocumentStatus.DRAFT: frozenset({DocumentStatus.AGREED, DocumentStatus.DECIDED}),
    DocumentStatus.AGREED: frozenset({DocumentStatus.DRAFT, DocumentStatus.DECIDED}),
    DocumentStatus.DECIDED: frozenset(),
    DocumentStatus.REPLACED: frozenset(),
}


def allowed_steps(document: Scope) -> frozenset[str]:
    """The statuses ``document`` may move to next (for the page's buttons)."""
    return ALLOWED.get(document.status, frozenset())


def replaced_by(document: Scope) -> Any:
    """The earlier agreed or decided versions of ``document``'s municipality or district
    that deciding it marks replaced (a queryset of the document's own model)."""
    scope: dict[str, Any] = {"municipality": document.municipality}
    scope.update({"district_id": document.district_id} if document.district_id else {"district__isnull": True})
    return type(document)._default_manager.filter(
        number__lt=document.number, status__in=[DocumentStatus.AGREED, DocumentStatus.DECIDED], **scope
    ).exclude(pk=document.pk)


def _changes(document: Scope, to: str, *, body: str, date: Date | None, reference: str,
             date_field: str) -> dict[str, Any]:
    if to not in allowed_steps(document):
        raise ValidationError(_("This step is not possible from the document's current status."))
    if to == DocumentStatus.DRAFT:  # reopened: the agreement no longer holds
        return {"status": to, "agreed_on": None}
    if date is None:
        raise ValidationError({date_field: _("Enter the date.")})
    if date > timezone.localdate():
        raise ValidationError({date_field: _("The date cannot be in the future.")})
    if to == DocumentStatus.AGREED:
        return {"status": to, "agreed_on": date}
    body, reference = body.strip(), reference.strip()
    errors = {}
    if not body:
        errors["body"] = _("Enter the body that decided.")
    if not reference:
        errors["reference"] = _("Enter the decision's reference (e.g. the record's paragraph or the case number).")
    if document.agreed_on and date < document.agreed_on:
        errors[date_field] = _("The decision cannot be earlier than the agreement.")
    for name, text in (("body", body), ("reference", reference)):
        if find_in_text(text):
            errors[name] = _("Remove the identity number: the decision names bodies and references, never persons.")
    if errors:
        raise ValidationError(errors)
    return {"status": to, "decided_by_body": body, "decided_on": date, "decision_reference": reference}


@transaction.atomic
def transition(
    document: D,
    to: str,
    *,
    actor: User,
    expected_version: int | None,
    audit_action: Action,
    subject_type: str,
    body: str = "",
    date: Date | None = None,
    reference: str = "",
    date_field: str = "date",
    replaced_action: Action | None = None,
) -> D:
    """Move ``document`` (a SituationReport or PreventionPlan, as loaded by the caller)
    to status ``to`` and return it reloaded. ``date`` is the agreement's date (to
    "agreed") or the decision's (to "decided", with ``body`` and ``reference``).
    ValidationError for a step that is not allowed or lacks its facts; StaleEdit when
    the document changed since ``expected_version`` was loaded. On "decided", the
    previous version, if decided, becomes "replaced" in the same transaction.
    ``actor`` is the person taking the step (the caller has checked they may); the
    step is audited as ``audit_action`` on (``subject_type``, the document's pk), and
    each replaced version as ``replaced_action`` when given. ``date_field`` names the
    caller's form field for the date in a ValidationError."""
    was = document.status
    changes = _changes(document, DocumentStatus(to), body=body, date=date, reference=reference,
                       date_field=date_field)
    model = type(document)
    # Only from the status the editor saw: a concurrent step makes this a StaleEdit.
    current = model._default_manager.filter(status=document.status)
    update_versioned(current, pk=document.pk, version=expected_version, updated_at=timezone.now(), **changes)
    replaced: list[int] = []
    if to == DocumentStatus.DECIDED:
        # (no ordering: the model's orders by the district's name, an outer join FOR UPDATE refuses)
        replaced = list(replaced_by(document).order_by("pk").select_for_update().values_list("pk", flat=True))
        model._default_manager.filter(pk__in=replaced).update(
            status=DocumentStatus.REPLACED, version=F("version") + 1, updated_at=timezone.now()
        )
    audit.record(action=audit_action, actor=actor, subject_type=subject_type, subject_id=document.pk,
                 detail={"from": str(was), "to": str(to), "replaced": replaced[0] if len(replaced) == 1 else
                         (replaced or None)})
    if replaced_action is not None:
        for pk in replaced:
            audit.record(action=replaced_action, actor=actor, subject_type=subject_type, subject_id=pk,
                         detail={"by": document.pk})
    document.refresh_from_db()
    return document
