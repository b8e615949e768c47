"""Background job: verify the whole audit chain with live progress."""

from __future__ import annotations

from typing import Any

from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.audit.verify import verify_chain
from samverkan.jobs.context import JobContext
from samverkan.jobs.registry import handler


@handler("audit.verify", result_template="audit/verify_result.html")
def verify_job(ctx: JobContext) -> dict[str, Any]:
    def progress(done: int, total: int) -> None:
        ctx.check_cancelled()
        ctx.progress(done, total)

    result = verify_chain(progress=progress)
    ctx.progress(result.checked, result.checked, force=True)
    creator = ctx.job.created_by
    audit.record(
        action=Action.AUDIT_VERIFIED,
        actor_id=creator.pk if creator else None,
        actor_organisation_id=creator.organisation_id if creator else None,
        subject_type="audit_chain",
        subject_id=result.last_seq,
        detail={"checked": result.checked, "problems": len(result.problems), "source": "job"},
    )
    return {
        "ok": result.ok,
        "checked": result.checked,
        "last_seq": result.last_seq,
        "complete": result.complete,
        "problems": [
            {"seq": p.seq, "kind": p.kind, "message": p.message} for p in result.problems[:100]
        ],
        "problem_count": len(result.problems),
    }
