"""The Trefas benchmark script runs at a tiny scale and prints exactly its JSON line (no
timing asserted: the numbers are the benchmark's business, not the suite's)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
KEYS = {"list_p95_ms", "agenda_p95_ms", "person_p95_ms", "queries_per_page", "queries_per_page_small",
        "server_peak_rss_mb"}


@pytest.mark.slow
def test_benchmark_smoke_postgresql():
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("DATABASE_URL names no PostgreSQL server")
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/12")
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "trefas.py"), "--json", "--scale", "0.02", "--clients", "2",
         "--duration", "2", "--warmup", "0.5", "--workers", "1", "--threads", "2", "--database-url", url,
         "--pg-database", f"bench_trefas_smoke_{os.getpid()}", "--redis-url", redis_url],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 1  # --json prints only the JSON line
    numbers = json.loads(lines[0])
    assert set(numbers) == KEYS
    assert set(numbers["queries_per_page"]) == set(numbers["queries_per_page_small"]) == {"list", "agenda", "person"}
    # The list page exists (the others once they are built): it was measured at both sizes.
    assert numbers["queries_per_page"]["list"] > 0 and numbers["queries_per_page_small"]["list"] > 0
    assert numbers["list_p95_ms"] > 0 and numbers["server_peak_rss_mb"] > 0
    for page in ("agenda", "person"):
        measured = numbers["queries_per_page"][page] is not None
        assert (numbers[f"{page}_p95_ms"] is not None) == measured, page
