from typing import Any

from django.core.management.base import BaseCommand, CommandError

from samverkan.jobs import schedule
from samverkan.lib.startup import database_check_refusals


class Command(BaseCommand):
    help = (
        "Start periodic jobs when due (reminders, digest, tip retention, audit verification "
        "and checkpoints, log review)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="Start what is due now, then exit.")
        parser.add_argument("--interval", type=float, default=60.0, help="Seconds between passes.")

    def handle(self, *args: Any, **options: Any) -> None:
        refusals = database_check_refusals()
        if refusals:
            raise CommandError(f"Samverkan refuses to start: {refusals[0]}")
        if options["once"]:
            started = schedule.run_due()
            self.stdout.write("Started: " + (", ".join(started) if started else "nothing due"))
            return
        self.stdout.write(f"Scheduler running; checking every {options['interval']:.0f} s.")
        schedule.loop(interval_s=options["interval"])
