"""Shared fixtures: parallel workers' own Redis databases, the database guards around
flushes, logged-in clients with 2FA (the organisations and personas: tests/world.py)."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.test import Client, TransactionTestCase
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import OrganisationFactory, UserFactory

# --- Parallel runs (pytest-xdist: `-n logical` in pyproject's addopts) ----------------------
# Each worker (gw0, gw1, ...) has its own test database (pytest-django adds the suffix
# _gw0, _gw1, ... on PostgreSQL; SQLite is in memory per process) and its own Redis
# database: the index in REDIS_URL plus the worker's number. Two suites run at the same
# time therefore need base indexes at least their worker count apart (.ci/run: 0 and 2).
REDIS_DATABASES = 16  # a default redis-server's `databases`


def worker_number() -> int:
    """0 for gw0 (and for a run without workers), 1 for gw1, ..."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    return int(worker[2:]) if worker.startswith("gw") else 0


def worker_redis_url(url: str, number: int) -> str:
    """``url`` with its database index moved ``number`` up (redis:// and rediss://)."""
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss"):
        return url  # (a unix socket keeps its ?db=; the keys are unique per test anyway)
    base = int(parts.path.strip("/") or 0)
    index = base + number
    if index >= REDIS_DATABASES:
        raise pytest.UsageError(f"REDIS_URL {url}: worker {number} would need Redis database {index}")
    return urlunsplit(parts._replace(path=f"/{index}"))


def _per_worker_redis() -> None:
    # Runs on import of this conftest, after pytest-django configured the settings (which
    # read REDIS_URL then) and before any test: both the environment (tests, subprocesses)
    # and the settings get the worker's database.
    url = os.environ.get("REDIS_URL") or (
        "redis://127.0.0.1:6379/0" if os.environ.get("REQUIRE_REDIS") == "1" else "")
    if not url or not os.environ.get("PYTEST_XDIST_WORKER"):
        return
    url = worker_redis_url(url, worker_number())
    os.environ["REDIS_URL"] = url
    from django.conf import settings

    if settings.configured:
        settings.REDIS_URL = url


_per_worker_redis()


# Database guards (triggers) that refuse changes to append-only or signed rows. The
# table flush that ends every transactional test (pytest-django runs it through
# TransactionTestCase._fixture_teardown) would trip them; lift them for exactly that
# flush and put them back right after, so every test runs with the guards installed.
_GUARDS = ("samverkan.audit.guard", "samverkan.journal.guard", "samverkan.meetings.guard", "samverkan.trefas.guard")


def _guards():
    import importlib

    return [importlib.import_module(name) for name in _GUARDS]


_original_fixture_teardown = TransactionTestCase._fixture_teardown


def _fixture_teardown_with_guards(self):
    from django.db import connections

    aliases = list(self._databases_names(include_mirrors=False))
    for alias in aliases:
        for guard in _guards():
            guard.remove(connections[alias])
    try:
        _original_fixture_teardown(self)
    finally:
        for alias in aliases:
            for guard in _guards():
                guard.install(connections[alias])


TransactionTestCase._fixture_teardown = _fixture_teardown_with_guards


@pytest.fixture(scope="session")
def _checkpoint_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("audit-checkpoints")


@pytest.fixture(autouse=True)
def _audit_checkpoint_file(_checkpoint_dir, request):
    """A checkpoint file of the test's own: checkpoints of one test's chain must not be
    held against the next test's (rolled back or flushed) database."""
    from django.conf import settings

    name = f"{abs(hash(request.node.nodeid)):x}-{id(request)}.log"
    original = getattr(settings, "AUDIT_CHECKPOINT_FILE", "")
    settings.AUDIT_CHECKPOINT_FILE = str(_checkpoint_dir / name)
    yield
    settings.AUDIT_CHECKPOINT_FILE = original


@pytest.fixture(autouse=True)
def _seeded_rows_after_flush(request):
    """The flush after a transactional test also empties rows that data migrations seed
    (roles); put them back before a transactional test starts."""
    marker = request.node.get_closest_marker("django_db")
    transactional = bool({"transactional_db", "live_server"} & set(request.fixturenames)) or bool(
        marker and marker.kwargs.get("transaction")
    )
    if transactional:
        request.getfixturevalue("_django_db_helper")
        from samverkan.accounts.reference import ensure_default_roles

        ensure_default_roles()
    yield


def current_code(user) -> str:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def fresh_code(user) -> str:
    """The authenticator's current code, with django-otp's replay guard and throttle
    reset -- as if the next 30-second step had come (each code works only once)."""
    TOTPDevice.objects.filter(user=user, confirmed=True).update(
        last_t=-1, throttling_failure_count=0, throttling_failure_timestamp=None
    )
    return current_code(user)


def login_client(client: Client, user, password: str = "pw-correct-horse-9") -> Client:
    """Log ``user`` in through the real login and two-factor pages, any number of times
    (about ten times slower than ``fast_login``: keep it for tests of the login itself
    and of demo personas' passwords)."""
    response = client.post("/konto/logga-in/", {"username": user.username, "password": password})
    assert response.status_code == 302, response.content[:500]
    response = client.post("/konto/tvastegsverifiering/", {"token": fresh_code(user)})
    assert response.status_code == 302, response.content[:500]
    return client


def fast_login(user, client: Client | None = None) -> Client:
    """``client`` (a new one by default) logged in as ``user`` with password and TOTP
    done, as far as the real flow logs in, without its two form posts: ``force_login``
    (which records the LOGIN audit event, as the password step does), django_otp.login()
    on a request carrying the client's session (it stores the verified device, as the
    verification page does), the OTP_VERIFIED audit event that page records, and the
    session-lifetime and re-authentication stamps the password step sets. The real
    pages are tested in tests/accounts (which logs in through them) and
    tests/authz/test_case_matrix.py checks that this session is no stronger."""
    import time

    import django_otp
    from django.http import HttpRequest

    from samverkan.accounts.middleware import SESSION_LAST_SEEN, SESSION_LOGIN_AT
    from samverkan.accounts.reauth import SESSION_REAUTH_AT
    from samverkan.audit import services as audit
    from samverkan.audit.actions import Action

    client = client if client is not None else Client()
    client.force_login(user, backend="samverkan.accounts.backends.PasswordBackend")
    request = HttpRequest()
    request.session = client.session
    request.user = user
    django_otp.login(request, TOTPDevice.objects.get(user=user, confirmed=True))
    audit.record(action=Action.OTP_VERIFIED, actor=user, subject_type="user", subject_id=user.pk,
                 subject_organisation_id=user.organisation_id)
    now = time.time()
    for key in (SESSION_LOGIN_AT, SESSION_LAST_SEEN, SESSION_REAUTH_AT):
        request.session[key] = now
    request.session.save()
    return client


@pytest.fixture
def org_factory(db):
    return OrganisationFactory


@pytest.fixture
def user_factory(db):
    return UserFactory


@pytest.fixture
def logged_in(db):
    """Return a function: logged_in(user) -> Client with password + TOTP done
    (``fast_login``; tests/accounts overrides this with the real pages)."""

    def make(user) -> Client:
        return fast_login(user)

    return make


@pytest.fixture
def login(logged_in):
    """Return a function: login(user) -> this test's one logged-in Client of ``user``
    (the same client on every call, so its session carries across calls)."""
    clients: dict[int, Client] = {}

    def get(user) -> Client:
        if user.pk not in clients:
            clients[user.pk] = logged_in(user)
        return clients[user.pk]

    return get


class FakeClock:
    """Stands in for ``time`` in samverkan.lib.cache: the retry pause moves only when a
    test moves ``now``."""

    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch) -> FakeClock:
    from samverkan.lib import cache as resilient

    fake = FakeClock()
    monkeypatch.setattr(resilient, "time", fake)
    return fake


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test databases, and before they are dropped at the end (PostgreSQL):
    end any session another thread of the run left open on them (a connection a worker
    thread opened and the garbage collector has not closed yet), or DROP DATABASE refuses
    and the run ends in an error after every test passed.

    On SQLite the freshly migrated database is kept as bytes (sqlite3's serialize) before
    any test touches it: `migrated_sqlite` hands copies of it to the tests whose
    subprocesses need a database file of their own."""
    with django_db_blocker.unblock():
        from django.db import connection

        if connection.vendor == "sqlite":
            connection.ensure_connection()
            _MIGRATED_SQLITE.append(connection.connection.serialize())
    yield
    with django_db_blocker.unblock():
        from django.db import connection

        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                               "WHERE datname = current_database() AND pid <> pg_backend_pid()")


# --- A migrated SQLite file for subprocesses -------------------------------------------------
# Tests that run the real command line or server in a subprocess on a SQLite file (the test
# database itself lives in this process's memory) used to migrate that file themselves:
# about 18 s of CPU each, most of it Django rendering 100+ model states. They start from a
# copy of a database migrated once instead: the worker's own test database as migrated at
# the start (SQLite suite), or one file migrated for the whole run by whichever worker
# needs it first (PostgreSQL suite). `migrate` on the copy then has nothing to apply.
_MIGRATED_SQLITE: list[bytes] = []


def _run_wide_migrated_sqlite(tmp_path_factory) -> Path:
    import fcntl
    import subprocess
    import sys

    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    template = shared / "migrated-template.sqlite3"
    with (shared / "migrated-template.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one worker migrates; the others wait for it
        if not template.exists():
            partial = shared / f"migrated-template.{os.getpid()}.partial"
            env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
            env.update(DJANGO_SETTINGS_MODULE="samverkan.settings.test", DATABASE_URL=f"sqlite:///{partial}",
                       SAMVERKAN_HOME=str(shared))
            done = subprocess.run([sys.executable, "-m", "samverkan", "migrate", "--noinput", "-v", "0"],
                                  env=env, cwd=shared, capture_output=True, text=True, timeout=600)
            assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
            partial.rename(template)
    return template


@pytest.fixture
def migrated_sqlite(tmp_path, tmp_path_factory, django_db_setup, django_db_blocker):
    """A factory: ``migrated_sqlite(path)`` writes a SQLite database file with every
    migration applied (and what data migrations seed, nothing else) to ``path``."""
    import shutil

    def write(path: Path) -> Path:
        if _MIGRATED_SQLITE:
            path.write_bytes(_MIGRATED_SQLITE[0])
        else:
            shutil.copyfile(_run_wide_migrated_sqlite(tmp_path_factory), path)
        return path

    return write
