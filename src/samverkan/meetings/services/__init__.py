"""Writing meetings, minutes and decisions.

Every function checks the access policy (CASE_MEETING_MANAGE inside a case the actor may
open; observers and emergency access read only; turning a decision into a commitment
also needs CASE_PLAN_EDIT), uses optimistic locking where a record can be edited
(``expected_version``; StaleEdit writes nothing), audits in the same transaction (ids
only) and touches the case. Objects passed in must have been fetched through
meetings.selectors, i.e. be visible to the actor.

A meeting belongs to the organisation that called it: only its members change it.
Minutes belong to their author's organisation; drafts change only by their author and
signed minutes never change — a correction is new minutes referencing the old.

One module per subject, like ``cases/services/``:

* ``common``: the case's audit entry and the checks the others share (managing meetings
  in an open case, the actor's organisation's meeting, the actor's own draft minutes).
* ``meetings``: calling, changing and cancelling a meeting, and who is invited.
* ``attendance``: recording who attended; the meeting is then held.
* ``minutes``: writing, changing, signing and correcting minutes.
* ``decisions``: decisions in the minutes, and turning one into a plan commitment.

Callers outside the app import this package (``from samverkan.meetings import services``;
``services.meeting_create(...)``): it re-exports every public name below.
"""

from samverkan.lib.concurrency import StaleEdit
from samverkan.meetings.services.attendance import meeting_record_attendance
from samverkan.meetings.services.decisions import decision_add, decision_to_commitment
from samverkan.meetings.services.meetings import meeting_cancel, meeting_create, meeting_update
from samverkan.meetings.services.minutes import minutes_create, minutes_sign, minutes_update_draft

__all__ = [
    "StaleEdit",
    "decision_add",
    "decision_to_commitment",
    "meeting_cancel",
    "meeting_create",
    "meeting_record_attendance",
    "meeting_update",
    "minutes_create",
    "minutes_sign",
    "minutes_update_draft",
]
