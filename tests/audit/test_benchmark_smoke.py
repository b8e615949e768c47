"""The audit benchmark script runs and prints its JSON line (no timing asserted)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
KEYS = {"events", "append_per_s", "append_median_ms", "append_p95_ms", "verify_per_s"}


def _run(*args: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "audit.py"), "--events", "200",
                           "--appends", "20", "--json", *args],
                          env=env, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 1  # --json prints only the JSON line
    return json.loads(lines[0])


@pytest.mark.slow
def test_benchmark_smoke_sqlite(tmp_path, migrated_sqlite):
    # A migrated file (tests/conftest.py): the script's own `migrate` has nothing to apply.
    numbers = _run("--database-url", f"sqlite:///{migrated_sqlite(tmp_path / 'bench.sqlite3')}")
    assert numbers.keys() >= KEYS
    assert numbers["events"] == 200 and numbers["database"] == "sqlite"
    assert numbers["verify_per_s"] > 0 and numbers["append_median_ms"] > 0


@pytest.mark.slow
def test_benchmark_smoke_postgresql():
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("DATABASE_URL names no PostgreSQL server")
    numbers = _run("--database-url", url, "--pg-database", f"bench_audit_smoke_{os.getpid()}")
    assert numbers.keys() >= KEYS
    assert numbers["events"] == 200 and numbers["database"] == "postgresql"
