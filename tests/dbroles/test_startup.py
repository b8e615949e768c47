"""What an operator sees: under the production settings the web server, the worker and
the scheduler refuse to start as a database role that could alter the audit trail or
the guards, with one line naming the fix; as a properly granted runtime role they start.

Runs the real entry points in subprocesses against the test database (PostgreSQL only).
"""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.db import connection

from tests.dbroles.test_roles import runtime_role  # noqa: F401  (fixture)
from tests.settings.test_config_errors import _SCRUB, GOOD

FIX = "run `samverkan db grants` as the owner and set DATABASE_URL to the runtime role."


def _url(user: str) -> str:
    params = connection.settings_dict
    host = params["HOST"] or "127.0.0.1"
    return f"postgres://{user}@{host}:{params['PORT'] or 5432}/{params['NAME']}"


def _run(tmp_path, *args: str, user: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in _SCRUB and not k.startswith("PYTEST")}
    env.update(GOOD, DJANGO_SETTINGS_MODULE="samverkan.settings.production", SAMVERKAN_HOME=str(tmp_path),
               DATABASE_URL=_url(user or connection.settings_dict["USER"]), CACHE_BACKEND="locmem")
    return subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True, timeout=300,
                          cwd=tmp_path)


@pytest.fixture
def postgresql(db):
    if connection.vendor != "postgresql":
        pytest.skip("database roles exist on PostgreSQL only (SQLite, the demo, keeps one file)")


@pytest.mark.slow
def test_web_worker_and_scheduler_refuse_a_superuser(postgresql, tmp_path):
    web = _run(tmp_path, "-c", "import samverkan.wsgi")
    assert web.returncode == 3, web.stderr
    # (Other stderr lines: whitenoise warns that collectstatic has not run in tmp_path.)
    lines = [line for line in web.stderr.splitlines() if line.startswith("Samverkan refuses")]
    assert len(lines) == 1 and lines[0].startswith("Samverkan refuses to start: The runtime database role")
    assert "is a superuser" in lines[0] and lines[0].endswith(FIX)
    for command in (("scheduler", "--once"), ("worker", "--burst")):
        done = _run(tmp_path, "-m", "samverkan", *command)
        assert done.returncode != 0
        assert "Samverkan refuses to start:" in done.stderr and FIX in done.stderr, done.stderr
    check = _run(tmp_path, "-m", "samverkan", "check", "--database", "default")
    assert check.returncode != 0 and "samverkan.E020" in check.stderr
    deploy = _run(tmp_path, "-m", "samverkan", "check", "--deploy")  # connects to no database
    assert deploy.returncode == 0, deploy.stderr


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_web_server_starts_as_a_granted_runtime_role(runtime_role, tmp_path):  # noqa: F811
    call_command("db", "grants", "--role", runtime_role, stdout=io.StringIO())
    web = _run(tmp_path, "-c", "import samverkan.wsgi", user=runtime_role)
    assert web.returncode == 0, web.stderr
    check = _run(tmp_path, "-m", "samverkan", "db", "check", user=runtime_role)
    assert check.returncode == 0 and "cannot alter" in check.stdout, check.stdout + check.stderr
