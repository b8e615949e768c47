"""The local picture's benchmark script runs at its small size and prints exactly its JSON
line, every page measured with no failed request (no timing asserted: the numbers are the
benchmark's business, not the suite's)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
KEYS = {"area_week_p95_ms", "district_week_p95_ms", "report_submit_p95_ms", "queries_per_page",
        "server_peak_rss_mb"}


@pytest.mark.slow
def test_benchmark_smoke_postgresql():
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("DATABASE_URL names no PostgreSQL server")
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/12")
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "picture.py"), "--json", "--small", "--database-url", url,
         "--pg-database", f"bench_picture_smoke_{os.getpid()}", "--redis-url", redis_url],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 1  # --json prints only the JSON line
    numbers = json.loads(lines[0])
    assert set(numbers) == KEYS
    assert '"errors": 0' in done.stderr  # every request of the load answered as it should
    counts = numbers["queries_per_page"]
    assert counts["area_week"] == counts["area_week_at_a_tenth"] > 0
    assert counts["district_week"] == counts["district_week_at_a_tenth"] > 0
    for key in ("area_week_p95_ms", "district_week_p95_ms", "report_submit_p95_ms", "server_peak_rss_mb"):
        assert numbers[key] > 0, key
