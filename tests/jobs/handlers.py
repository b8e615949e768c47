"""Job kinds registered only for the tests (imported by tests/jobs/conftest.py)."""

from __future__ import annotations

from typing import Any

from samverkan.jobs.context import JobContext
from samverkan.jobs.registry import handler

# A fake personal detail: if it ever shows up in a job row or a log line, a test fails.
SECRET = "19121212-1212 Tolvan Tolvansson"


@handler("test.count")
def count(ctx: JobContext, *, n: int) -> dict[str, Any]:
    for i in range(1, n + 1):
        ctx.check_cancelled()
        ctx.progress(i, n, f"item {i}", force=True)
    return {"counted": n}


@handler("test.fail")
def fail(ctx: JobContext) -> None:
    ctx.progress(1, 2, force=True)
    raise ValueError(f"could not process {SECRET}")


# Set by a test: called after item `at`, e.g. to ask for cancellation mid-run.
HOOK: dict[str, Any] = {}


@handler("test.hooked")
def hooked(ctx: JobContext, *, n: int, at: int) -> dict[str, Any]:
    done = 0
    for i in range(1, n + 1):
        ctx.check_cancelled()
        done = i
        ctx.progress(i, n, force=True)
        if i == at and "after" in HOOK:
            HOOK["after"](ctx)
    return {"done": done}
