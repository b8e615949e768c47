"""`samverkan roster solve|replan|publish|validate`: rosters from the command line.

    samverkan roster solve --group husby --start 2026-12-07 [--weeks 4] [--time-limit 60]
                           [--publish]
    samverkan roster replan --group husby --start 2026-12-07 [--override-notice REASON]
    samverkan roster validate --group husby --start 2026-12-07 --csv roster.csv

On a terminal, solving shows a progress bar with the best objective, the bound and the
elapsed time. Operators run this command; it is audited as a system action.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from samverkan.actiongroups.models import ActionGroup
from samverkan.rostering.models import RosterPlan
from samverkan.rostering.services import rosters as roster_services
from samverkan.rostering.services import uploads as upload_services
from samverkan.rostering.services.common import RosterRefused

BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Solve, re-plan, publish or check an action group's roster."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        for name, text in (
            ("solve", "Make a new draft roster with the solver."),
            ("replan", "Repair the published roster with the fewest changes."),
            ("validate", "Check a roster CSV against every hard rule (no solver)."),
        ):
            p = sub.add_parser(name, help=text)
            p.add_argument(
                "--group", required=True, help="The action group's short code, e.g. husby."
            )
            p.add_argument("--start", required=True, help="First day of the period, YYYY-MM-DD.")
            p.add_argument("--weeks", type=int, default=4, help="Weeks in the period (default 4).")
            if name != "validate":
                p.add_argument(
                    "--time-limit",
                    type=float,
                    default=60,
                    help="Seconds for the solver (default 60).",
                )
                p.add_argument(
                    "--publish",
                    action="store_true",
                    help="Publish the result if it keeps every rule.",
                )
                if name == "replan":
                    p.add_argument(
                        "--override-notice",
                        metavar="REASON",
                        default="",
                        help=(
                            "Sickness repair: also change shifts inside the notice period "
                            "(ATL 12 §); the reason is kept with the version."
                        ),
                    )
            else:
                p.add_argument("--csv", required=True, type=Path, help="The roster file.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            start = dt.date.fromisoformat(options["start"])
        except ValueError:
            raise CommandError("--start must be a date, YYYY-MM-DD") from None
        if not 1 <= options["weeks"] <= 8:
            raise CommandError("--weeks must be 1 to 8")
        group = ActionGroup.objects.filter(code=options["group"]).first()
        if group is None:
            raise CommandError(f"no action group with code {options['group']!r}")
        if options["action"] == "validate":
            self._validate(group, start, options["weeks"], options["csv"])
            return
        plan, _created = RosterPlan.objects.get_or_create(
            group=group, period_start=start, defaults={"weeks": options["weeks"]}
        )
        self._solve(plan, options)

    def _solve(self, plan: Any, options: dict[str, Any]) -> None:
        tty = sys.stdout.isatty() and self.stdout._out is sys.stdout
        limit = float(options["time_limit"])

        def tick(live: dict[str, Any]) -> bool:
            if tty:
                share = min(1.0, live["elapsed_s"] / max(limit, 0.1))
                filled = int(BAR_WIDTH * share)
                obj = "–" if live["objective"] is None else f"{live['objective']:.0f}"
                bound = "–" if live["bound"] is None else f"{live['bound']:.0f}"
                # Solved in parts on the job workers (JOBS_BACKEND=rq): how many are done.
                parts = "" if not live.get("parts_total") else f"  parts {live['parts_done']}/{live['parts_total']}"
                self.stdout.write(
                    f"\r[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {live['elapsed_s']:5.1f} s  "
                    f"objective {obj}  bound {bound}{parts}   ",
                    ending="",
                )
                self.stdout.flush()
            return False

        mode = "replan" if options["action"] == "replan" else "solve"
        try:
            version = roster_services.solve_plan(
                plan=plan,
                time_limit_s=limit,
                mode=mode,
                tick=tick,
                notice_override_reason=options.get("override_notice") or "",
            )
        except RosterRefused as exc:
            raise CommandError(str(exc)) from None
        if tty:
            self.stdout.write("")
        self.stdout.write(
            f"version {version.number}: {version.solver_status}, objective {version.objective}, "
            f"bound {version.bound}, {version.assignments.count()} assignments, "
            f"{len(version.violations)} violations"
        )
        for line in version.explanation:
            self.stdout.write(f"  - {line}")
        if options["publish"]:
            try:
                roster_services.version_publish(actor=None, version=version, system=True)
            except RosterRefused as exc:
                raise CommandError(f"not published: {exc}") from None
            self.stdout.write(f"published version {version.number}")

    def _validate(self, group: Any, start: dt.date, weeks: int, path: Path) -> None:
        plan = RosterPlan(group=group, period_start=start, weeks=weeks)
        try:
            result = upload_services.upload_validate(actor=None, plan=plan, content=path.read_bytes())
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from None
        self.stdout.write(
            f"{result['assignments']} assignments, {len(result['violations'])} violations"
        )
        for v in result["violations"]:
            self.stdout.write(f"  {v['rule']}: {v['message']}")
        if result["violations"]:
            raise CommandError("the roster breaks hard rules")
