"""``samverkan audit verify``, ``samverkan audit head`` and ``samverkan audit checkpoint``.

verify: walks the whole hash chain, checks every entry's seal and the signed
checkpoints (AUDIT_CHECKPOINT_FILE, or ``--checkpoints FILE``, e.g. a copy fetched from
the log host), prints every problem (seq, kind, message) and a summary, records an
``audit.verified`` event (counts only) and exits 0 when the trail is intact, 1 when any
problem was found. Progress goes to stderr: a bar on a terminal, a plain line every few
seconds otherwise (logs, cron).

head: prints the chain head as ``<seq> <hash>`` and appends a signed checkpoint of it.
Store that line outside the database (another system, a ticket, paper); ``audit verify
--anchor <seq>:<hash>`` later proves that the entries up to it were not rewritten, even
by someone who rewrote the whole chain and its head.

checkpoint: appends a signed checkpoint of the head to AUDIT_CHECKPOINT_FILE and the
``samverkan.audit.checkpoint`` log (the scheduler does so hourly; cron may too).
"""

from __future__ import annotations

import re
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from samverkan.audit import checkpoint
from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.audit.checkpoint import CheckpointLog
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
    help = (
        "Verify the audit trail's hash chain and seals, print its head for external "
        "anchoring, or write a signed checkpoint of the head."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True,
                                    metavar="{verify,head,checkpoint}")
        verify = sub.add_parser("verify", help="Walk the whole chain and report every problem.")
        verify.add_argument(
            "--anchor", action="append", default=[], metavar="SEQ:HASH",
            help="A head printed earlier by `audit head`; the entry must still match (repeatable).",
        )
        verify.add_argument("--max-problems", type=int, default=1000,
                            help="Stop after this many problems (default 1000).")
        verify.add_argument("--batch-size", type=int, default=BATCH, help="Rows read per query.")
        verify.add_argument("--no-progress", action="store_true", help="Print no progress.")
        verify.add_argument(
            "--checkpoints", default=None, metavar="FILE",
            help="Signed checkpoints to check against (default: AUDIT_CHECKPOINT_FILE).",
        )
        sub.add_parser("head", help="Print the chain head as '<seq> <hash>' and checkpoint it.")
        sub.add_parser("checkpoint", help="Append a signed checkpoint of the chain head.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "head":
            self._head(show=True)
        elif options["subcommand"] == "checkpoint":
            self._head(show=False)
        else:
            self._verify(options)

    def _head(self, *, show: bool) -> None:
        try:
            written = checkpoint.write_head()
        except RuntimeError:
            raise CommandError(_("The audit chain head is missing."), returncode=1) from None
        except OSError as exc:
            message = _("Could not write the checkpoint file: %(error)s") % {
                "error": exc.strerror or type(exc).__name__}
            raise CommandError(message, returncode=1) from None
        # head: the line to store elsewhere; checkpoint: the line just appended.
        self.stdout.write(f"{written.seq} {written.hash}" if show else written.to_json())

    def _checkpoints(self, path: str | None) -> CheckpointLog | None:
        """The checkpoint file's contents, read before the chain head (verify_chain)."""
        explicit = path is not None
        path = path if explicit else settings.AUDIT_CHECKPOINT_FILE
        if not path:
            return None
        try:
            return checkpoint.load(path)
        except FileNotFoundError:
            if explicit:
                message = _("No such checkpoint file: %(path)s") % {"path": path}
                raise CommandError(message, returncode=2) from None
            self.stdout.write(_("No checkpoint file yet at %(path)s; checked without checkpoints.")
                              % {"path": path})
            return None
        except OSError as exc:
            message = _("Could not read the checkpoint file: %(error)s") % {
                "error": exc.strerror or type(exc).__name__}
            raise CommandError(message, returncode=2) from None

    def _verify(self, options: dict[str, Any]) -> None:
        try:
            anchors = [_anchor(a) for a in options["anchor"]]
        except ValueError as exc:
            message = _("Not an anchor (expected SEQ:HASH): %(value)s") % {"value": exc}
            raise CommandError(message, returncode=2) from None
        if options["max_problems"] < 1 or options["batch_size"] < 1:
            message = _("--max-problems and --batch-size must be at least 1.")
            raise CommandError(message, returncode=2)
        checkpoints = self._checkpoints(options["checkpoints"])
        progress = None
        if not options["no_progress"]:
            progress = _Progress(self.stderr, tty=self.stderr.isatty())
        result = verify_chain(
            progress=progress, max_problems=options["max_problems"], anchors=anchors,
            checkpoints=checkpoints, batch_size=options["batch_size"],
        )
        if progress:
            progress.finish()
        for problem in result.problems:
            self.stdout.write(f"#{problem.seq}\t{problem.kind}\t{problem.message}")
        counted = 0 if checkpoints is None else len(checkpoints.entries) + len(checkpoints.malformed)
        self._record(result, anchors=len(anchors), checkpoints=counted)
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

    def _record(self, result: VerifyResult, *, anchors: int, checkpoints: int) -> None:
        """Audit the verification itself (counts only), in a savepoint of its own."""
        detail = {"checked": result.checked, "problems": len(result.problems), "anchors": anchors,
                  "checkpoints": checkpoints, "source": "cli"}
        try:
            with transaction.atomic():
                audit.record(action=Action.AUDIT_VERIFIED, subject_type="audit_chain",
                             subject_id=result.last_seq, detail=detail)
        except (DatabaseError, RuntimeError):
            # A chain broken badly enough (e.g. head removed) refuses new entries; the
            # verdict printed above stands and the exit code says so.
            self.stderr.write(_("Could not record the verification in the audit trail."))
