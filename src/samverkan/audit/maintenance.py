"""Keeping the trail checked: verify the whole chain and leave a checkpoint of the head
as verified (weekly, and on demand by auditors), and checkpoint the head alone (hourly).

Plain functions with a progress callback; the jobs app runs them as the background jobs
``audit.verify`` and ``audit.checkpoint`` (jobs/maintenance.py), so the trail imports
nothing above it.
"""

from __future__ import annotations

import logging
from typing import Any, Protocol

from django.conf import settings

from samverkan.audit import checkpoint
from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.audit.checkpoint import CheckpointLog
from samverkan.audit.verify import verify_chain

log = logging.getLogger("samverkan.audit")


class Progress(Protocol):
    """Called with (done, total) while the chain is walked (it may raise to stop the
    walk), and once more with ``final=True`` when the walk is complete."""

    def __call__(self, done: int, total: int, *, final: bool = False) -> None: ...


def _checkpoints() -> CheckpointLog | None:
    """The configured checkpoint file, read before the chain head (None: no file yet)."""
    path = settings.AUDIT_CHECKPOINT_FILE
    if not path:
        return None
    try:
        return checkpoint.load(path)
    except FileNotFoundError:
        return None


def verify_and_checkpoint(
    *, progress: Progress, actor_id: int | None, actor_organisation_id: int | None
) -> dict[str, Any]:
    """Verify the chain (against the checkpoint file too), audit the verification as
    done by ``actor_id`` (None: the scheduler), then write a checkpoint of the head.
    Returns the report the job page shows (audit/verify_result.html)."""
    checkpoints = _checkpoints()
    result = verify_chain(progress=progress, checkpoints=checkpoints)
    progress(result.checked, result.checked, final=True)
    audit.record(
        action=Action.AUDIT_VERIFIED,
        actor_id=actor_id,
        actor_organisation_id=actor_organisation_id,
        subject_type="audit_chain",
        subject_id=result.last_seq,
        detail={"checked": result.checked, "problems": len(result.problems), "source": "job",
                "checkpoints": len(checkpoints.entries) if checkpoints else 0},
    )
    # A checkpoint of the head as verified, kept outside the database; its absence is
    # part of the report (a verification that could not leave its mark says so).
    written: dict[str, Any] | None = None
    try:
        made = checkpoint.write_head()
        written = {"seq": made.seq, "hash": made.hash, "ts": made.ts}
    except (OSError, RuntimeError) as exc:
        log.error("audit checkpoint not written: %s", type(exc).__name__)
    return {
        "ok": result.ok,
        "checked": result.checked,
        "last_seq": result.last_seq,
        "complete": result.complete,
        "problems": [
            {"seq": p.seq, "kind": p.kind, "message": p.message} for p in result.problems[:100]
        ],
        "problem_count": len(result.problems),
        "checkpoints_checked": len(checkpoints.entries) if checkpoints else 0,
        "checkpoint": written,
    }


def checkpoint_head() -> dict[str, Any]:
    """Append a signed checkpoint of the chain head (AUDIT_CHECKPOINT_FILE and the
    samverkan.audit.checkpoint log); raises when the file cannot be written."""
    made = checkpoint.write_head()
    return {"seq": made.seq, "hash": made.hash, "ts": made.ts}
