"""Weekly EST meeting records of Rinkeby/Tensta for the last four weeks: what was seen,
the actions decided (responsible organisation, due date) and their follow-up at the next
meeting — done, not done, and this week's still open."""

from __future__ import annotations

from datetime import timedelta

from samverkan.demo.localpicture.common import Loader
from samverkan.demo.localpicture.reports import latest_week
from samverkan.picture.models import ActionStatus, WeekAction, WeekMeeting

AREA = "rinkeby-tensta"
SEEN = (
    "Fler anmälningar om försäljning vid Torget på kvällstid, främst torsdag till lördag. Klotter i gångtunneln.",
    "Samlingar vid tunnelbaneuppgången efter klockan 21. Belysningen vid bollplanen är fortfarande trasig.",
    "Lugnare vecka. Mycket nedskräpning kring återvinningen efter helgen.",
    "Försäljningen vid Torget har minskat sedan vuxennärvaron ökade. Nya klotter vid skolan.",
)
# (text, organisation key, due in days after the meeting)
ACTIONS = (
    ("Ökad vuxennärvaro på Torget fredag och lördag kväll.", "jarva", 7),
    ("Laga belysningen vid bollplanen och i gångtunneln.", "housing", 10),
    ("Riktad polisnärvaro vid tunnelbaneuppgången kvällstid.", "police_rinkeby", 7),
    ("Sanera klotter i gångtunneln inom 48 timmar.", "housing", 3),
    ("Extra tömning av papperskorgar vid återvinningen.", "jarva", 7),
)
# Outcome of each week's actions when followed up (oldest meeting first); the newest are open.
OUTCOMES = ((ActionStatus.DONE, ActionStatus.DONE), (ActionStatus.DONE, ActionStatus.NOT_DONE),
            (ActionStatus.DONE, ActionStatus.CANCELLED))
FOLLOW_UP = {
    ActionStatus.DONE: "Genomfört enligt plan.",
    ActionStatus.NOT_DONE: "Hann inte göras, flyttas till nästa vecka.",
    ActionStatus.CANCELLED: "Behövs inte längre.",
}


def hold_weekly_meetings(loader: Loader) -> int:
    area = loader.areas.get(AREA)
    if area is None:
        return 0
    coordinator = loader.users["jarva"]
    parties = [loader.orgs[k] for k in ("jarva", "police_rinkeby", "housing") if k in loader.orgs]
    newest = latest_week(loader) + timedelta(days=7)  # this week's meeting is held, its record open
    meetings = []
    for i in range(4):
        week = newest - timedelta(days=7 * (3 - i))
        meeting = WeekMeeting.objects.create(
            area=area, week_start=week, held_on=min(week + timedelta(days=1), loader.today), seen=SEEN[i], closed=i < 3,
            created_by=coordinator,
        )
        meeting.participants.set(parties)
        meetings.append(meeting)
    actions = 0
    for i, meeting in enumerate(meetings):
        for j in range(2):
            text, org_key, due_days = ACTIONS[(i * 2 + j) % len(ACTIONS)]
            later = meetings[i + 1] if i + 1 < len(meetings) else None
            status = OUTCOMES[i][j] if later is not None and i < len(OUTCOMES) else ActionStatus.OPEN
            WeekAction.objects.create(
                meeting=meeting, text=text, organisation=loader.orgs[org_key],
                due_on=meeting.week_start + timedelta(days=due_days), status=status,
                follow_up=FOLLOW_UP.get(status, ""), followed_up_at=later if status != ActionStatus.OPEN else None,
                created_by=coordinator,
            )
            actions += 1
    return actions
