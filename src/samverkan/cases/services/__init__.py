"""Writing cases: intake, decision, team, emergency access, programme transfer, closure
and follow-ups, legal hold, programme administration.

Every function checks the access policy for the actor and audits in the same
transaction. What a team member may read and do is asked of the caller's CaseAccess
(samverkan.caseaccess, typed here as cases.actions.CaseGate).

One module per subject, like ``rostering/services/``:

* ``common``: the case's audit entry, ``case_touch``, ``require_case_open`` and the
  lead-team checks the others share.
* ``intake``: eligibility, intake (aktualisering) and the decision.
* ``team``: adding and removing team members.
* ``emergency``: break-the-glass access.
* ``transfer``: moving a case to the programme's successor.
* ``closure``: closing a case and recording its follow-ups.
* ``legal_hold``: setting and clearing a legal hold.
* ``guardians``: registering the participant's guardians through the case.
* ``programmes``: programme administration.

Callers outside the app import this package (``from samverkan.cases import services``;
``services.case_intake(...)``): it re-exports every public name below.
"""

from samverkan.cases.services.closure import (
    FOLLOW_UP_ANSWER_FIELDS,
    add_months,
    case_close,
    follow_up_due,
    follow_up_record,
)
from samverkan.cases.services.common import case_touch, require_case_open
from samverkan.cases.services.emergency import EMERGENCY_ACCESS_HOURS, emergency_access_grant
from samverkan.cases.services.guardians import case_guardian_add
from samverkan.cases.services.intake import case_decide, case_decide_check, case_intake, eligibility_problems
from samverkan.cases.services.legal_hold import case_legal_hold
from samverkan.cases.services.programmes import programme_save
from samverkan.cases.services.team import team_add, team_remove
from samverkan.cases.services.transfer import case_transfer_programme
from samverkan.lib.concurrency import StaleEdit

__all__ = [
    "EMERGENCY_ACCESS_HOURS",
    "FOLLOW_UP_ANSWER_FIELDS",
    "StaleEdit",
    "add_months",
    "case_close",
    "case_decide",
    "case_decide_check",
    "case_guardian_add",
    "case_intake",
    "case_legal_hold",
    "case_touch",
    "case_transfer_programme",
    "eligibility_problems",
    "emergency_access_grant",
    "follow_up_due",
    "follow_up_record",
    "programme_save",
    "require_case_open",
    "team_add",
    "team_remove",
]
