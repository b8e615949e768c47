"""Programme transfer: the case continues in the programme's successor."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.audit.actions import Action
from samverkan.cases.actions import CaseAction, CaseGate
from samverkan.cases.changes import case_changed
from samverkan.cases.models import Case
from samverkan.cases.services.common import _audit_case, require_case_open

if TYPE_CHECKING:
    from samverkan.accounts.models import User


@transaction.atomic
def case_transfer_programme(*, actor: User, case: Case, access: CaseGate) -> Case:
    """Move the case to the programme's successor (SIG unga → SIG unga vuxna when the
    participant has reached its minimum age), keeping team, plan and notes."""
    access.require(CaseAction.MANAGE_TEAM)
    require_case_open(case)
    successor = case.programme.successor
    if successor is None:
        raise ValidationError(_("This programme has no programme to continue in."))
    age = case.person.age_on(timezone.localdate())
    if age < successor.min_age:
        raise ValidationError(
            _("The participant is not old enough for %(programme)s yet.") % {"programme": successor.name}
        )
    old = case.programme.code
    Case.objects.filter(pk=case.pk).update(programme=successor, version=F("version") + 1, last_entry_at=timezone.now())
    _audit_case(Action.CASE_TRANSFERRED, actor, case, {"from": old, "to": successor.code})
    case.refresh_from_db()
    case_changed(case)
    return case
