"""``samverkan audit verify`` and ``samverkan audit head``.

verify: walks the whole hash chain, prints every problem (seq, kind, message) and a
summary, records an ``audit.verified`` event (counts only) and exits 0 when the trail
is intact, 1 when any problem was found. Progress goes to stderr: a bar on a terminal,
a plain line every few seconds otherwise (logs, cron).

head: prints the chain head as ``<seq> <hash>``. Store that line outside the database
(another system, a ticket, paper); ``audit verify --anchor <seq>:<hash>`` later proves
that the entries up to it were not rewritten, even by someone who rewrote the whole
chain and its head.
"""

from __future__ import annotations

import re
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.audit.models import AuditChainHead
from samverkan.audit.verify import BATCH, VerifyResult, verify_chain

_ANCHOR = re.compile(r"^(\d+)[: ]([0-9a-f]{64})$")
PLAIN_INTERVAL_S = 5.0
BAR_WIDTH = 30


def _anchor(value: str) -> tuple[int, str]:
    match = _ANCHOR.match(value.strip().lower())
    if not match:
        raise ValueError(value)
    return int(match.group(1)), match.group(2)


def _plain(text: str) -> str:
    return text


class _Progress:
    """A redrawn bar on a terminal; otherwise a plain line at most every few seconds."""

    def __init__(self, stream: Any, *, tty: bool) -> None:
        self.stream = stream
        self.tty = tty
        self.started = time.monotonic()
        self.last_line = self.started
        self.drawn = False

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        percent = 100 * done // total if total else 100
        if self.tty:
            filled = BAR_WIDTH * percent // 100
            bar = "#" * filled + "-" * (BAR_WIDTH - filled)
            line = f"\r[{bar}] {percent:3d}% {done:,}/{total:,}"
            self.stream.write(line, style_func=_plain, ending="")
            self.stream.flush()
            self.drawn = True
        elif now - self.last_line >= PLAIN_INTERVAL_S:
            self.last_line = now
            self.stream.write(
                _("verifying: %(done)s of %(total)s entries (%(percent)s%%)")
                % {"done": done, "total": total, "percent": percent},
                style_func=_plain,
            )

    def finish(self) -> None:
        if self.drawn:
            self.stream.write("", style_func=_plain)


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain, or print its head for external anchoring."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="{verify,head}")
        verify = sub.add_parser("verify", help="Walk the whole chain and report every problem.")
        verify.add_argument(
            "--anchor", action="append", default=[], metavar="SEQ:HASH",
            help="A head printed earlier by `audit head`; the entry must still match (repeatable).",
        )
        verify.add_argument("--max-problems", type=int, default=1000,
                            help="Stop after this many problems (default 1000).")
        verify.add_argument("--batch-size", type=int, default=BATCH, help="Rows read per query.")
        verify.add_argument("--no-progress", action="store_true", help="Print no progress.")
        sub.add_parser("head", help="Print the chain head as '<seq> <hash>'.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "head":
            self._head()
        else:
            self._verify(options)

    def _head(self) -> None:
        head = AuditChainHead.objects.filter(id=1).first()
        if head is None:
            raise CommandError(_("The audit chain head is missing."), returncode=1)
        self.stdout.write(f"{head.last_seq} {head.last_hash}")

    def _verify(self, options: dict[str, Any]) -> None:
        try:
            anchors = [_anchor(a) for a in options["anchor"]]
        except ValueError as exc:
            message = _("Not an anchor (expected SEQ:HASH): %(value)s") % {"value": exc}
            raise CommandError(message, returncode=2) from None
        if options["max_problems"] < 1 or options["batch_size"] < 1:
            message = _("--max-problems and --batch-size must be at least 1.")
            raise CommandError(message, returncode=2)
        progress = None
        if not options["no_progress"]:
            progress = _Progress(self.stderr, tty=self.stderr.isatty())
        result = verify_chain(
            progress=progress, max_problems=options["max_problems"], anchors=anchors,
            batch_size=options["batch_size"],
        )
        if progress:
            progress.finish()
        for problem in result.problems:
            self.stdout.write(f"#{problem.seq}\t{problem.kind}\t{problem.message}")
        self._record(result, anchors=len(anchors))
        if result.ok:
            self.stdout.write(
                _("Audit trail intact: %(checked)s entries checked, head #%(seq)s %(hash)s.")
                % {"checked": result.checked, "seq": result.head_seq, "hash": result.head_hash}
            )
            return
        summary = _(
            "Audit trail NOT intact: %(problems)s problems found in %(checked)s entries checked."
        ) % {"problems": len(result.problems), "checked": result.checked}
        if not result.complete:
            summary += " " + _("Verification stopped early at --max-problems.")
        self.stdout.write(summary)
        raise CommandError(_("The audit trail has been tampered with."), returncode=1)

    def _record(self, result: VerifyResult, *, anchors: int) -> None:
        """Audit the verification itself (counts only), in a savepoint of its own."""
        detail = {"checked": result.checked, "problems": len(result.problems), "anchors": anchors,
                  "source": "cli"}
        try:
            with transaction.atomic():
                audit.record(action=Action.AUDIT_VERIFIED, subject_type="audit_chain",
                             subject_id=result.last_seq, detail=detail)
        except (DatabaseError, RuntimeError):
            # A chain broken badly enough (e.g. head removed) refuses new entries; the
            # verdict printed above stands and the exit code says so.
            self.stderr.write(_("Could not record the verification in the audit trail."))
