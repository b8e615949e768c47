"""Action plans: goals by life area and commitments, most of the due ones followed up
(done on time, late or not done)."""

from __future__ import annotations

from datetime import timedelta

from samverkan.accounts.models import User
from samverkan.cases.models import Case
from samverkan.demo.individual_track.common import Loader, Spec
from samverkan.plans.models import Commitment
from samverkan.plans.services import commitment_create, commitment_follow_up, goal_create

GOALS = [
    ("school", "Gå i skolan varje dag och klara kärnämnena", "school"),
    ("leisure", "Ha en meningsfull fritidsaktivitet varje vecka", "leisure"),
    ("leaving_network", "Bryta kontakten med det kriminella nätverket", "plan"),
    ("work", "Få en praktikplats eller ett arbete", "work"),
    ("housing", "Ha en trygg och stabil boendesituation", "housing"),
    ("family", "Förbättrade relationer i familjen", "family"),
]
COMMITMENTS = [
    ("Samordnar planen och kallar till uppföljningsmöten.", "lead"),
    ("Erbjuder samtalsstöd varannan vecka.", "lead"),
    ("Kontaktar deltagaren efter varje polisiär kontakt och följer upp.", "polis.rinkeby"),
    ("Ordnar studiestöd och följer närvaron varje vecka.", "skola"),
    ("Stöttar med villkor, sysselsättning och motivationssamtal.", "frivarden"),
    ("Hjälper till med ansökan om praktik hos Arbetsförmedlingen.", "lead"),
]


def make_plan(loader: Loader, case: Case, spec: Spec, team: dict[str, User], lead: User) -> None:
    goals = loader.rng.sample(GOALS, 2)
    goal_rows = [
        goal_create(
            actor=lead,
            case=case,
            access=loader.access(lead, case),
            life_area=area,
            title=title,
            category=category,
        )
        for area, title, category in goals
    ]
    base = loader.today - timedelta(days=spec.received_days_ago) + timedelta(days=30)
    for n, (text, who) in enumerate(COMMITMENTS):
        responsible = team.get(who) if who != "lead" else lead
        if responsible is None or (n % 2 and loader.rng.random() < 0.3):
            continue
        due = base + timedelta(days=30 * (n + 1))
        commitment = commitment_create(
            actor=lead,
            case=case,
            access=loader.access(lead, case),
            description=text,
            responsible=responsible,
            due_on=due,
            goal=goal_rows[n % len(goal_rows)],
        )
        if due >= loader.today:
            continue
        # Due: most done on time, some late, a few not done.
        roll = loader.rng.random()
        status = "done" if roll < 0.8 else "not_done"
        commitment = commitment_follow_up(
            actor=responsible,
            case=case,
            access=loader.access(responsible, case),
            commitment=commitment,
            expected_version=commitment.version,
            status=status,
            follow_up_note="Uppföljt på uppföljningsmötet.",
        )
        if status == "done":
            late = roll > 0.6
            completed = (
                due + timedelta(days=loader.rng.randint(3, 25))
                if late
                else due - timedelta(days=loader.rng.randint(0, 10))
            )
            Commitment.objects.filter(pk=commitment.pk).update(
                completed_on=min(completed, loader.today)
            )
