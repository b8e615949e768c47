"""Legal hold: keeps a case from the retention purge."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from samverkan.audit.actions import Action
from samverkan.cases.actions import CaseAction, CaseGate
from samverkan.cases.changes import case_changed
from samverkan.cases.models import Case
from samverkan.cases.services.common import _audit_case

if TYPE_CHECKING:
    from samverkan.accounts.models import User


@transaction.atomic
def case_legal_hold(*, actor: User, case: Case, access: CaseGate, hold: bool, reason: str) -> Case:
    """Set or clear a legal hold (stops the retention purge), by the lead team with
    CASE_DECIDE, with a reason. Audited (the reason is stored on the case, not in the log)."""
    access.require(CaseAction.DECIDE)
    reason = reason.strip()
    if len(reason) < 10:
        raise ValidationError({"reason": _("Give the reason in at least 10 characters.")})
    if case.legal_hold == hold:
        raise ValidationError(_("The legal hold is already set.") if hold else _("There is no legal hold."))
    Case.objects.filter(pk=case.pk).update(legal_hold=hold, legal_hold_reason=reason[:300], version=F("version") + 1)
    _audit_case(Action.CASE_LEGAL_HOLD, actor, case, {"hold": hold})
    case.refresh_from_db()
    case_changed(case)
    return case
