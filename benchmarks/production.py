"""What the page benchmarks (trefas.py, picture.py) share: a throw-away installation on
its own PostgreSQL database, migrated, with collected static files and the runtime
database role the production server connects as; and one measured run of the production
server (gunicorn) under load with its processes' peak memory.

    with production.installation(prefix="bench-x-", database_url=..., pg_database=...,
                                 redis_url=..., keep_db=False, log=_log) as site:
        ...  # generate data in-process (test settings, same database)
        load, peak_mb = production.measure(site, workers=3, threads=2, run=lambda port: ...)
"""

from __future__ import annotations

import os
import secrets
import shutil
import string
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import cases as bench  # the database helpers, the server start and the memory sampler
import runtime_role  # benchmarks/runtime_role.py


@dataclass(frozen=True)
class Site:
    home: Path
    db_url: str
    redis_url: str
    server_env: dict[str, str]  # the production settings, connecting as the runtime role


@contextmanager
def installation(*, prefix: str, database_url: str, pg_database: str, redis_url: str, keep_db: bool,
                 log: Callable[[str], None]) -> Iterator[Site]:
    """A new database ``pg_database`` (dropped afterwards unless ``keep_db``), migrated;
    Django set up in this process on the test settings against it (for generating data and
    counting queries); the static files collected and the runtime role prepared for the
    production server."""
    home = Path(tempfile.mkdtemp(prefix=prefix))
    (home / "var" / "static").mkdir(parents=True)
    log(f"creating database {pg_database}")
    db_url = bench._pg_recreate(database_url, pg_database)
    base_env = {k: v for k, v in os.environ.items() if not k.startswith(("SECURE_", "DJANGO_", "PYTEST"))}
    base_env.update({
        "SAMVERKAN_HOME": str(home), "DATABASE_URL": db_url, "PYTHONPATH": str(bench.ROOT / "src"),
        "REDIS_URL": redis_url, "JOBS_BACKEND": "sync", "LOG_LEVEL": "WARNING",
        "SECRET_KEY": "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(64)),
        "AUDIT_KEYS": runtime_role.audit_keys(),
    })
    prod_env = {**base_env, "DJANGO_SETTINGS_MODULE": "samverkan.settings.production",
                "ALLOWED_HOSTS": "127.0.0.1,localhost", "SECURE_SSL_REDIRECT": "0", "SECURE_HSTS_SECONDS": "0",
                "CACHE_BACKEND": "redis"}
    # In-process (data generation, query counts): the test settings on the same database.
    os.environ.update({"DATABASE_URL": db_url, "DJANGO_SETTINGS_MODULE": "samverkan.settings.test",
                       "SAMVERKAN_HOME": str(home)})
    sys.path.insert(0, str(bench.ROOT / "src"))
    try:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
        samverkan = str(bench.VENV_BIN / "samverkan")
        subprocess.run([samverkan, "collectstatic", "--noinput", "--verbosity", "0"],
                       env=prod_env, cwd=home, check=True, capture_output=True)
        runtime_url = runtime_role.prepare(db_url, runtime_role.name_for(pg_database), samverkan=samverkan,
                                           env=prod_env, cwd=home)
        yield Site(home=home, db_url=db_url, redis_url=redis_url, server_env={**prod_env, "DATABASE_URL": runtime_url})
    finally:
        try:
            from django.db import connections

            connections.close_all()
        except Exception:
            pass
        if not keep_db:
            bench._pg_drop(database_url, pg_database)
            runtime_role.drop(database_url, runtime_role.name_for(pg_database))
        shutil.rmtree(home, ignore_errors=True)


def measure(site: Site, *, workers: int, threads: int, run: Callable[[int], dict[str, Any]]
            ) -> tuple[dict[str, Any], float | None]:
    """Start the production server on an empty cache, ``run(port)`` the load against it,
    stop it. Returns the load's figures (with each process's peak memory) and the largest
    process's peak memory in MB."""
    import redis
    from django.db import connections

    connections.close_all()
    redis.Redis.from_url(site.redis_url).flushdb()
    server, port = bench.start_server(site.server_env, site.home, workers, threads, False)
    sampler = bench.RssSampler(server.pid)
    sampler.start()
    try:
        load = run(port)
    finally:
        sampler.running = False
        sampler.join(timeout=2)
        bench.stop_server(server)
    load["server_rss_mb_per_process"] = sorted(round(v / 2**20, 1) for v in sampler.peak.values())
    peak = round(max(sampler.peak.values()) / 2**20, 1) if sampler.peak else None
    return load, peak
