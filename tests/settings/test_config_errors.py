"""Production settings stop start-up with exactly one line naming the bad variable.

Each case runs `python -m samverkan check` in a process of its own with a clean
environment, so what an operator sees is what is asserted: a non-zero exit, one line on
stderr naming the variable, and no traceback. The processes are forked from a server
that has imported Django and the libraries but no settings (tests/settings/forkserver.py);
test_the_fork_server_answers_as_a_fresh_interpreter holds it to a fresh `python`.
"""

from __future__ import annotations

import base64
import os
import secrets
import string
import subprocess
import sys

import pytest

from tests.settings import forkserver

AUDIT_KEY = base64.b64encode(secrets.token_bytes(32)).decode()
GOOD = {
    "SECRET_KEY": "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(60)),
    "AUDIT_KEYS": f"k1:{AUDIT_KEY}",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/test",
    "ALLOWED_HOSTS": "samverkan.example.org",
}
# Variables that must not leak from the developer's or CI's shell into the subprocess.
_SCRUB = {
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by the browser tests; it makes check --deploy warn
    "SECRET_KEY",
    "SECRET_KEY_FALLBACKS",
    "AUDIT_KEYS",
    "AUDIT_KEYS_FILE",
    "AUDIT_CHECKPOINT_FILE",
    "MIGRATION_DATABASE_URL",
    "DATABASE_URL",
    "ALLOWED_HOSTS",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SAMVERKAN_DEMO_MODE",
    "JOBS_BACKEND",
    "LOG_LEVEL",
    "REDIS_URL",
    "OIDC_RP_CLIENT_ID",
    "CSRF_TRUSTED_ORIGINS",
    "SAMVERKAN_HOME",
    "EMAIL_PORT",
    "EMAIL_USE_TLS",
    "CACHE_BACKEND",
    "REDIS_TIMEOUT_MS",
    "CACHE_RETRY_SECONDS",
}


def _clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in _SCRUB and not k.startswith("PYTEST")}


_FORKS: list[forkserver.ForkServer] = []


@pytest.fixture(scope="module", autouse=True)
def _fork_server(tmp_path_factory):
    server = forkserver.start(_clean_env(), tmp_path_factory.mktemp("forkserver"))
    _FORKS.append(server)
    yield
    _FORKS.remove(server)
    server.close()


def _check_env(tmp_path, unset: tuple[str, ...], overrides: dict[str, str]) -> dict[str, str]:
    env = _clean_env()
    env.update(GOOD)
    env.update(overrides)
    for name in unset:
        env.pop(name, None)
    env["DJANGO_SETTINGS_MODULE"] = "samverkan.settings.production"
    env.setdefault("SAMVERKAN_HOME", str(tmp_path))
    return env


def run_check(tmp_path, *args: str, unset: tuple[str, ...] = (), **overrides: str) -> forkserver.Completed:
    env = _check_env(tmp_path, unset, overrides)
    return _FORKS[0].run(env=env, cwd=tmp_path, module="samverkan", args=("check", *args))


def assert_one_line_naming(result: forkserver.Completed, variable: str) -> str:
    assert result.returncode != 0, result.stdout
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert variable in lines[0]
    return lines[0]


def test_valid_environment_passes(tmp_path):
    """The control case: without it every failure below could be a broken harness."""
    result = run_check(tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_missing_secret_key(tmp_path):
    assert_one_line_naming(run_check(tmp_path, unset=("SECRET_KEY",)), "SECRET_KEY")


def test_weak_secret_key(tmp_path):
    weak = "x" * 49
    line = assert_one_line_naming(run_check(tmp_path, SECRET_KEY=weak), "SECRET_KEY")
    assert weak not in line  # the key itself is never echoed


def test_secret_key_fallbacks(tmp_path):
    earlier = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(60))
    assert run_check(tmp_path, SECRET_KEY_FALLBACKS=earlier).returncode == 0
    weak = "short-key"
    line = assert_one_line_naming(
        run_check(tmp_path, SECRET_KEY_FALLBACKS=f"{earlier},{weak}"), "SECRET_KEY_FALLBACKS"
    )
    assert weak not in line and earlier not in line


def test_missing_audit_keys(tmp_path):
    line = assert_one_line_naming(run_check(tmp_path, unset=("AUDIT_KEYS",)), "AUDIT_KEYS")
    assert "AUDIT_KEYS_FILE" in line


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (f"k1:{base64.b64encode(b'x' * 31).decode()}", "too short"),
        ("k1:not base64!", "not valid base64"),
        (f"{AUDIT_KEY}", "malformed"),
        (f"a key:{AUDIT_KEY}", "malformed"),
        (f"k1:{AUDIT_KEY},k1:{AUDIT_KEY}", "appears twice"),
    ],
    # Fixed ids: the key is random per process, and pytest-xdist's workers must collect
    # the same test names (nor should a key be printed in a test id).
    ids=["too-short", "not-base64", "no-name", "name-with-a-space", "twice"],
)
def test_bad_audit_keys(tmp_path, value, reason):
    line = assert_one_line_naming(run_check(tmp_path, AUDIT_KEYS=value), "AUDIT_KEYS")
    assert reason in line
    assert AUDIT_KEY not in line and "eHh4" not in line  # no secret echoed


def test_audit_keys_file(tmp_path):
    keys = tmp_path / "audit-keys"
    keys.write_text(f"# current first\nk2:{AUDIT_KEY}\n\nk1:{base64.b64encode(secrets.token_bytes(48)).decode()}\n")
    keys.chmod(0o600)
    assert run_check(tmp_path, unset=("AUDIT_KEYS",), AUDIT_KEYS_FILE=str(keys)).returncode == 0
    assert _production_setting(tmp_path, "AUDIT_KEYS[1][0]", AUDIT_KEYS="", AUDIT_KEYS_FILE=str(keys)) == "k1"
    keys.chmod(0o644)
    line = assert_one_line_naming(run_check(tmp_path, unset=("AUDIT_KEYS",), AUDIT_KEYS_FILE=str(keys)),
                                  "AUDIT_KEYS_FILE")
    assert "chmod 600" in line
    keys.chmod(0o600)
    assert_one_line_naming(run_check(tmp_path, AUDIT_KEYS_FILE=str(keys)), "AUDIT_KEYS_FILE")  # both set
    assert_one_line_naming(run_check(tmp_path, unset=("AUDIT_KEYS",), AUDIT_KEYS_FILE=str(tmp_path / "none")),
                           "AUDIT_KEYS_FILE")


def test_checkpoint_file_defaults_under_samverkan_home(tmp_path):
    assert _production_setting(tmp_path, "AUDIT_CHECKPOINT_FILE") == str(tmp_path / "var" / "audit-checkpoints.log")


@pytest.mark.parametrize(
    "url",
    [
        "postgres://owner@127.0.0.1:5432/other",
        "postgres://owner@elsewhere:5432/test",
        "postgres://owner@127.0.0.1:5433/test",
        "not-a-url",
    ],
)
def test_migration_database_url_must_name_the_same_database(tmp_path, url):
    assert_one_line_naming(run_check(tmp_path, MIGRATION_DATABASE_URL=url), "MIGRATION_DATABASE_URL")


def test_migration_database_url_password_is_not_echoed(tmp_path):
    result = run_check(tmp_path, MIGRATION_DATABASE_URL="postgres://owner:s3cretpw@127.0.0.1:5432/other")
    assert "s3cretpw" not in assert_one_line_naming(result, "MIGRATION_DATABASE_URL")


def test_migration_database_url_names_the_owner(tmp_path):
    url = "postgres://samverkan_owner:pw@127.0.0.1:5432/test"
    assert run_check(tmp_path, MIGRATION_DATABASE_URL=url).returncode == 0
    assert _production_setting(tmp_path, "MIGRATION_DATABASE['USER']", MIGRATION_DATABASE_URL=url) == "samverkan_owner"


def test_missing_database_url(tmp_path):
    assert_one_line_naming(run_check(tmp_path, unset=("DATABASE_URL",)), "DATABASE_URL")


@pytest.mark.parametrize(
    "url",
    [
        "not-a-url",
        "postgres://",
        "postgres:///",
        "mysql://x/y",
        "http://example.org/db",
        "postgres://db.example.org:99999/samverkan",
        "postgres://db.example.org:port/samverkan",
        "postgres://[::1/samverkan",
        "postgres://db.example.org/a/b",
        "sqlite://",
    ],
)
def test_malformed_database_url(tmp_path, url):
    assert_one_line_naming(run_check(tmp_path, DATABASE_URL=url), "DATABASE_URL")


def test_database_url_password_is_not_echoed(tmp_path):
    result = run_check(tmp_path, DATABASE_URL="postgres://u:hunter2secret@h:notaport/db")
    line = assert_one_line_naming(result, "DATABASE_URL")
    assert "hunter2secret" not in line


@pytest.mark.parametrize("value", [None, "", " , "])
def test_missing_allowed_hosts(tmp_path, value):
    if value is None:
        result = run_check(tmp_path, unset=("ALLOWED_HOSTS",))
    else:
        result = run_check(tmp_path, ALLOWED_HOSTS=value)
    assert_one_line_naming(result, "ALLOWED_HOSTS")


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("SECURE_SSL_REDIRECT", "maybe"),
        ("SAMVERKAN_DEMO_MODE", "perhaps"),
        ("SECURE_HSTS_SECONDS", "a-year"),
        ("JOBS_BACKEND", "celery"),
        ("LOG_LEVEL", "loud"),
        ("REDIS_URL", "localhost:6379"),
        ("REDIS_TIMEOUT_MS", "fast"),
        ("CACHE_RETRY_SECONDS", "0"),
    ],
)
def test_bad_typed_value(tmp_path, variable, value):
    assert_one_line_naming(run_check(tmp_path, **{variable: value}), variable)


def test_read_only_home_does_not_stop_start_up(tmp_path):
    """VAR_DIR cannot be created under a file (as on a read-only image): start anyway."""
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    result = run_check(tmp_path, SAMVERKAN_HOME=str(blocker))
    assert result.returncode == 0, result.stderr


def test_check_deploy_is_clean_under_production(tmp_path):
    result = run_check(tmp_path, "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def _setting_code(name: str) -> str:
    return f"import django; django.setup(); from django.conf import settings; print(settings.{name})"


def _setting_env(tmp_path, overrides: dict[str, str]) -> dict[str, str]:
    env = _clean_env()
    env.update(GOOD, **overrides, DJANGO_SETTINGS_MODULE="samverkan.settings.production", SAMVERKAN_HOME=str(tmp_path))
    return env


def _production_setting(tmp_path, name: str, **overrides: str) -> str:
    result = _FORKS[0].run(env=_setting_env(tmp_path, overrides), cwd=tmp_path, code=_setting_code(name))
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.parametrize(
    ("kind", "overrides"),
    [
        ("check", {}),  # valid: Django set up, every check run
        ("check", {"SECRET_KEY": "x" * 49}),  # stopped by the settings
        ("setting", {"CACHE_BACKEND": "locmem"}),
    ],
    ids=["valid", "weak-key", "setting"],
)
def test_the_fork_server_answers_as_a_fresh_interpreter(tmp_path, kind, overrides):
    """The harness's control: the same run in a fresh `python` gives the same exit code,
    stdout and stderr as the forked one."""
    if kind == "check":
        env, cwd, argv = _check_env(tmp_path, (), overrides), tmp_path, ("-m", "samverkan", "check")
        forked = run_check(tmp_path, **overrides)
    else:
        env, cwd, argv = _setting_env(tmp_path, overrides), tmp_path, ("-c", _setting_code("SESSION_ENGINE"))
        forked = _FORKS[0].run(env=env, cwd=cwd, code=argv[1])
    fresh = subprocess.run([sys.executable, *argv], env=env, capture_output=True, text=True, timeout=120, cwd=cwd)
    assert (forked.returncode, forked.stdout, forked.stderr) == (fresh.returncode, fresh.stdout, fresh.stderr)
    assert fresh.stdout or fresh.stderr  # it said something: the comparison compared something


def test_sessions_read_from_the_shared_cache_only(tmp_path):
    """With Redis the session is read from the cache and written through to the database;
    with the per-process memory cache it stays in the database (a session ended in one
    worker must not live on in another worker's memory)."""
    assert _production_setting(tmp_path, "SESSION_ENGINE", CACHE_BACKEND="redis") == (
        "django.contrib.sessions.backends.cached_db"
    )
    assert _production_setting(tmp_path, "SESSION_ENGINE", CACHE_BACKEND="locmem") == (
        "django.contrib.sessions.backends.db"
    )


def test_production_cache_rides_out_an_outage_with_the_configured_timeouts(tmp_path):
    """The Redis cache is samverkan.lib.cache's, with REDIS_TIMEOUT_MS and
    CACHE_RETRY_SECONDS (docs: README, Configuration)."""
    backend = _production_setting(tmp_path, 'CACHES["default"]["BACKEND"]')
    assert backend == "samverkan.lib.cache.ResilientRedisCache"
    options = _production_setting(
        tmp_path, 'CACHES["default"]["OPTIONS"]', REDIS_TIMEOUT_MS="200", CACHE_RETRY_SECONDS="30"
    )
    assert options == str({"socket_connect_timeout": 0.2, "socket_timeout": 0.2, "retry_after": 30})
