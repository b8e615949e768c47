"""Writing the action plan: goals, commitments, the summary, and establishing versions.

Every function checks the access policy (CASE_PLAN_EDIT inside a case the actor may
open; observers and emergency access read only), writes with optimistic locking
(``expected_version``: a stale save raises StaleEdit and writes nothing), audits in the
same transaction (ids and categories only, never text) and touches the case (retention).

Entries belong to the organisation that recorded them: only its team members change
them. The responsible person of a commitment may also record its follow-up (status and
note), since they carry it out.

One module per subject, like ``cases/services/``:

* ``common``: the case's audit entry, ``require_writable`` (also used by meetings), the
  edit check, ``plan_get_or_create`` and "the plan changed" the others share.
* ``goals``: creating and changing goals.
* ``commitments``: creating and changing commitments, and their follow-up.
* ``establish``: the plan's summary, its snapshot and establishing a version.

Callers outside the app import this package (``from samverkan.plans import services``;
``services.goal_create(...)``): it re-exports every public name below.
"""

from samverkan.lib.concurrency import StaleEdit
from samverkan.plans.services.commitments import commitment_create, commitment_follow_up, commitment_update
from samverkan.plans.services.common import plan_get_or_create, require_writable
from samverkan.plans.services.establish import plan_establish, plan_snapshot, plan_summary_update
from samverkan.plans.services.goals import goal_create, goal_update

__all__ = [
    "StaleEdit",
    "commitment_create",
    "commitment_follow_up",
    "commitment_update",
    "goal_create",
    "goal_update",
    "plan_establish",
    "plan_get_or_create",
    "plan_snapshot",
    "plan_summary_update",
    "require_writable",
]
