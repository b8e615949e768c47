"""Background jobs: verify the whole audit chain with live progress (weekly, and on
demand by auditors), and checkpoint the chain head (hourly, from the scheduler)."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings

from samverkan.audit import checkpoint
from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.audit.checkpoint import CheckpointLog
from samverkan.audit.verify import verify_chain
from samverkan.jobs.context import JobContext
from samverkan.jobs.registry import handler

log = logging.getLogger("samverkan.audit")


def _checkpoints() -> CheckpointLog | None:
    """The configured checkpoint file, read before the chain head (None: no file yet)."""
    path = settings.AUDIT_CHECKPOINT_FILE
    if not path:
        return None
    try:
        return checkpoint.load(path)
    except FileNotFoundError:
        return None


@handler("audit.verify", result_template="audit/verify_result.html")
def verify_job(ctx: JobContext) -> dict[str, Any]:
    def progress(done: int, total: int) -> None:
        ctx.check_cancelled()
        ctx.progress(done, total)

    checkpoints = _checkpoints()
    result = verify_chain(progress=progress, checkpoints=checkpoints)
    ctx.progress(result.checked, result.checked, force=True)
    creator = ctx.job.created_by
    audit.record(
        action=Action.AUDIT_VERIFIED,
        actor_id=creator.pk if creator else None,
        actor_organisation_id=creator.organisation_id if creator else None,
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


@handler("audit.checkpoint")
def checkpoint_job(ctx: JobContext) -> dict[str, Any]:
    """Append a signed checkpoint of the chain head (AUDIT_CHECKPOINT_FILE and the
    samverkan.audit.checkpoint log). Fails the job when the file cannot be written."""
    made = checkpoint.write_head()
    return {"seq": made.seq, "hash": made.hash, "ts": made.ts}
