"""Reading the action plan through the case's sharing rule (caseaccess.CaseAccess).

Callers have opened the case with caseaccess.selectors.case_for_actor (404 outside the team).
Every goal, commitment, the plan summary and every entry of an established version is
filtered with access.items_q / access.can_see on its recording organisation and
category. Because entries can change, the time a statutory disclosure is compared with
is the entry's last change (``updated_at``): a disclosure never opens what was written
after it. Page selectors cost a fixed number of queries whatever the plan's size.

One module per subject, like ``cases/services/``:

* ``common``: the sharing rule for plan entries (``visible_q``), the plan row, the
  summary's visibility, the visible goals and commitments, grouping them by life area.
* ``live``: the live plan page, one visible goal or commitment, the goals to link to.
* ``versions``: an established version, filtered for the viewer.
* ``printable``: what the printable plan (the participant's PDF) may contain.
* ``due``: commitments coming due, for reminders (bevakning).

Callers outside the app import this package (``from samverkan.plans import selectors``;
``selectors.plan_page(...)``): it re-exports every public name below.
"""

from samverkan.plans.selectors.common import (
    AreaRow,
    GoalRow,
    commitments_visible,
    goals_visible,
    plan_for_case,
    summary_visible,
    visible_q,
)
from samverkan.plans.selectors.due import DueCommitment, commitments_due
from samverkan.plans.selectors.live import PlanPage, commitment_for_actor, goal_choices, goal_for_actor, plan_page
from samverkan.plans.selectors.printable import (
    PlanSender,
    PrintableCommitment,
    PrintableGoal,
    PrintablePlan,
    plan_for_print,
    plan_sender,
)
from samverkan.plans.selectors.versions import (
    SnapshotCommitment,
    SnapshotGoal,
    VersionView,
    plan_version_for_actor,
    snapshot_view,
)

__all__ = [
    "AreaRow",
    "DueCommitment",
    "GoalRow",
    "PlanPage",
    "PlanSender",
    "PrintableCommitment",
    "PrintableGoal",
    "PrintablePlan",
    "SnapshotCommitment",
    "SnapshotGoal",
    "VersionView",
    "commitment_for_actor",
    "commitments_due",
    "commitments_visible",
    "goal_choices",
    "goal_for_actor",
    "goals_visible",
    "plan_for_case",
    "plan_for_print",
    "plan_page",
    "plan_sender",
    "plan_version_for_actor",
    "snapshot_view",
    "summary_visible",
    "visible_q",
]
