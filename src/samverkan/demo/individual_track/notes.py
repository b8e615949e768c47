"""Journal notes from several organisations of the team."""

from __future__ import annotations

from datetime import date, timedelta

from samverkan.accounts.models import User
from samverkan.cases.models import Case
from samverkan.demo.individual_track.common import Loader
from samverkan.journal.services import note_create

NOTE_TEXTS = {
    "social": [
        "Samtal med deltagaren om skolgång och fritid. Motivationen är god.",
        "Hembesök genomfört. Vårdnadshavarna deltog och stöttar planen.",
        "Deltagaren har fått kontakt med fältassistenter i området.",
    ],
    "crime": [
        "Ingen ny brottsmisstanke sedan förra uppföljningen.",
        "Deltagaren har förekommit i en kontroll i området, inget brott misstänks.",
    ],
    "school": [
        "Närvaron har ökat till över 80 procent den senaste månaden.",
        "Elevhälsan har haft ett uppföljande samtal; fortsatt stöd i matematik.",
    ],
    "work": [
        "Deltagaren har skrivit in sig på Arbetsförmedlingen och söker praktik.",
        "Möte med frivården om villkor och sysselsättning genomfört.",
    ],
}


def write_notes(loader: Loader, case: Case, team: dict[str, User], received: date) -> None:
    writers = [
        ("lead", "social"),
        ("jarva.handlaggare", "social"),
        ("skarholmen.handlaggare", "social"),
        ("polis.rinkeby", "crime"),
        ("skola", "school"),
        ("frivarden", "work"),
    ]
    for key, category in writers:
        user = team.get(key)
        if user is None:
            continue
        occurred = min(loader.today, received + timedelta(days=loader.rng.randint(15, 60)))
        note_create(
            actor=user,
            case=case,
            access=loader.access(user, case),
            category=category,
            occurred_on=occurred,
            text=loader.rng.choice(NOTE_TEXTS[category]),
            sign=True,
        )
