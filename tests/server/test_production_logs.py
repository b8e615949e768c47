"""README's production web server keeps residents' addresses and one-time tokens out of
every log.

Starts gunicorn with the command README's "Running in production" gives (read from
README itself, so the two cannot drift apart) under the production settings, on a free
loopback port, with the most verbose log levels. A resident's browser, connecting from
127.0.0.2 (an address nothing else in the logs contains) with a distinctive user agent,
X-Forwarded-For and Referer, sends a tip through the real form and looks it up with its
receipt code; someone opens a set-password link. Then every line the server wrote
(access log on standard output, error and application log on standard error) is
searched for any of it.

SQLite: a file database in tmp_path, set up as README's step 3 says. PostgreSQL: the test
database (its rows are flushed after the test, as for any transactional test).
"""

from __future__ import annotations

import base64
import http.client
import os
import re
import secrets
import shlex
import signal
import socket
import string
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.db import connection

from samverkan.dbroles import roles

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
CLIENT_ADDRESS = "127.0.0.2"
AGENT = "Marker-Browser/7.7 (QZ-agent-4471)"
FORWARDED = "198.51.100.213"
REFERER = "https://referer-marker.example/QZ-ref-9023"
TIP_TEXT = "QZ-tip-text-5517: bilar kör för fort vid skolan."
LINK_TOKEN = "c8y2mz-QZtokenmarker0123456789abcd"
TOKEN_RE = re.compile(r'name="token" value="([^"]+)"')
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CODE_RE = re.compile(r'class="code"[^>]*>([A-Z0-9-]+)<')
WORKERS = 2


def readme_command() -> list[str]:
    """The web-server command of README's production section, as an argument list."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Running in production") :]
    match = re.search(r"\*\*Web server\*\*: `(gunicorn [^`]+)`", section)
    assert match, "README's production section names no gunicorn command"
    argv = shlex.split(match.group(1))
    return [str(VENV_BIN / argv[0]), *argv[1:]]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _request(port: int, method: str, path: str, *, body: dict[str, str] | None = None,
             cookie: str = "") -> tuple[int, dict[str, str], str]:
    """One request from the resident's browser: from CLIENT_ADDRESS, with the markers."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30,
                                      source_address=(CLIENT_ADDRESS, 0))
    headers = {"User-Agent": AGENT, "X-Forwarded-For": FORWARDED, "Referer": REFERER,
               "Accept-Language": "sv"}
    data = None
    if cookie:
        headers["Cookie"] = cookie
    if body is not None:
        data = urlencode(body)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        conn.request(method, path, body=data, headers=headers)
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, \
            response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def _wait_until_healthy(port: int, server: subprocess.Popen[bytes], logs: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail("gunicorn exited:\n" + (logs / "stderr.log").read_text()[-3000:])
        try:
            if _request(port, "GET", "/halsa/")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    pytest.fail("gunicorn did not answer /halsa/ within 90 s")


def _database_url(tmp_path: Path) -> str:
    """PostgreSQL: the test database the transactional test uses. SQLite: a file in
    tmp_path (the test database lives in memory, out of the server's reach)."""
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        assert db["NAME"].startswith("test_"), "the test database, never a real one"
        return (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        )
    return f"sqlite:///{tmp_path / 'samverkan.sqlite3'}"


def _environment(tmp_path: Path, port: int, database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DJANGO_", "PYTEST", "SECURE_", "WEB_", "GUNICORN"))}
    secret = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(64))
    env.update({
        "DJANGO_SETTINGS_MODULE": "samverkan.settings.production",
        "PYTHONPATH": str(ROOT / "src"),
        "SAMVERKAN_HOME": str(tmp_path),
        "SECRET_KEY": secret,
        "AUDIT_KEYS": "k1:" + base64.b64encode(secrets.token_bytes(32)).decode(),
        "ALLOWED_HOSTS": "127.0.0.1",
        # Plain http on loopback; everything else as in production.
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "CACHE_BACKEND": "redis" if os.environ.get("REDIS_URL") else "locmem",
        "JOBS_BACKEND": "sync",
        "TIPS_MIN_FILL_SECONDS": "0",
        "TIPS_RATE_LIMIT": "1000",
        "TRUSTED_PROXY_COUNT": "0",
        "LOG_LEVEL": "DEBUG",
        "WEB_LOG_LEVEL": "debug",
        "WEB_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(WORKERS),
        "DATABASE_URL": database_url,
    })
    return env


def _manage(env: dict[str, str], *args: str) -> None:
    result = subprocess.run([sys.executable, "-m", "samverkan", *args], env=env,
                            cwd=env["SAMVERKAN_HOME"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]


@pytest.fixture
def production_server(tmp_path, migrated_sqlite):
    """README's steps 3 and 5: migrate, load reference data, collect static files, then
    the web server. Yields (port, logs directory, process); the server is stopped
    afterwards. On PostgreSQL the test (marked transactional) shares the test database."""
    port = _free_port()
    env = _environment(tmp_path, port, _database_url(tmp_path))
    if connection.vendor != "postgresql":
        # A migrated file (tests/conftest.py): `migrate` still runs, as README says, and
        # finds nothing to apply; rendering every migration again here cost ~20 s of CPU.
        migrated_sqlite(tmp_path / "samverkan.sqlite3")
        _manage(env, "migrate", "--noinput")
    _manage(env, "load_reference_data")
    _manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    logs = tmp_path / "logs"
    logs.mkdir()
    role = _runtime_role(env) if connection.vendor == "postgresql" else None
    with (logs / "stdout.log").open("wb") as out, (logs / "stderr.log").open("wb") as err:
        server = subprocess.Popen(readme_command(), env=env, cwd=tmp_path, stdout=out, stderr=err,
                                  start_new_session=True)
    try:
        _wait_until_healthy(port, server, logs)
        yield port, logs, server
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait(timeout=10)
        if role:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP OWNED BY {roles.ident(role)}")
                cursor.execute(f"DROP ROLE {roles.ident(role)}")


def _runtime_role(env: dict[str, str]) -> str:
    """README's step 1 on PostgreSQL: the server connects as a runtime role that owns
    nothing (production refuses the suite's superuser); the owner grants it its rights."""
    role = f"samverkan_test_web_{secrets.token_hex(4)}"
    password = secrets.token_urlsafe(16)
    with connection.cursor() as cursor:
        # (token_urlsafe: letters, digits, - and _ only; safe between quotes)
        cursor.execute(f"CREATE ROLE {roles.ident(role)} LOGIN PASSWORD '{password}'")
    roles.grant_runtime_role(connection, role=role)
    db = connection.settings_dict
    env["DATABASE_URL"] = (f"postgres://{role}:{password}@{db['HOST'] or '127.0.0.1'}:"
                           f"{db['PORT'] or 5432}/{db['NAME']}")
    return role


def _stop(server: subprocess.Popen[bytes]) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    assert server.wait(timeout=30) == 0


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_no_address_agent_referer_tip_or_token_reaches_any_log(production_server):
    port, logs, server = production_server
    # A resident reads a public page, then sends a tip and follows it up.
    assert _request(port, "GET", "/omraden/")[0] == 200
    status, headers, page = _request(port, "GET", "/tipsa/?omrade=husby")
    assert status == 200
    csrf_cookie = headers["set-cookie"].split(";", 1)[0]
    form = {
        "csrfmiddlewaretoken": CSRF_RE.search(page).group(1),
        "token": TOKEN_RE.search(page).group(1),
        "area": "husby",
        "topic": "crime",
        "text": TIP_TEXT,
        "contact": "",
        "website": "",
    }
    status, _headers, thanks = _request(port, "POST", "/tipsa/", body=form, cookie=csrf_cookie)
    assert status == 200, thanks[:2000]
    code = CODE_RE.search(thanks).group(1)
    status, _headers, page = _request(port, "GET", "/tipsa/kvitto/", cookie=csrf_cookie)
    lookup = {"csrfmiddlewaretoken": CSRF_RE.search(page).group(1), "code": code}
    status, _headers, receipt = _request(port, "POST", "/tipsa/kvitto/", body=lookup,
                                         cookie=csrf_cookie)
    assert status == 200 and TIP_TEXT.split(":")[0] in receipt
    # Someone opens a (here: invalid) set-password link.
    assert _request(port, "GET", f"/konto/valj-losenord/MQ/{LINK_TOKEN}/")[0] == 404
    # A malformed request: gunicorn's error line would quote the address and the line.
    with socket.create_connection(("127.0.0.1", port), timeout=30,
                                  source_address=(CLIENT_ADDRESS, 0)) as raw:
        raw.sendall(f"GET /tipsa/?{LINK_TOKEN} HTTP/1.1 extra\r\nHost: x\r\n\r\n".encode())
        assert raw.recv(100).startswith(b"HTTP/1.1 400")
    _stop(server)

    access = (logs / "stdout.log").read_text(encoding="utf-8", errors="replace")
    errors = (logs / "stderr.log").read_text(encoding="utf-8", errors="replace")
    everything = access + errors
    # The server did log: public requests have their lines, token paths are cut short.
    assert re.search(r'"GET /halsa/" 200 \d+ ', access), access[-2000:]
    assert '"GET /omraden/" 200' in access
    assert '"GET /konto/valj-losenord/[redacted]/" 404' in access
    assert "Booting worker" in errors  # the error log was captured, at debug level
    assert "Invalid request (client address and details withheld)" in errors
    # ... but nothing that identifies the resident, the tip or the token.
    for marker in (CLIENT_ADDRESS, AGENT, "QZ-agent", FORWARDED, REFERER, "referer-marker",
                   "QZ-tip-text", code, LINK_TOKEN, "QZtokenmarker", "omrade="):
        assert marker not in everything, f"{marker!r} reached a log"
    assert "/tipsa" not in everything.lower()
    # TRUSTED_PROXY_COUNT=0 with X-Forwarded-For arriving: a warning, once per worker
    # process at most, without the header's value.
    warnings = [line for line in errors.splitlines() if "TRUSTED_PROXY_COUNT=0" in line]
    assert 1 <= len(warnings) <= WORKERS, errors[-3000:]


@pytest.mark.slow
def test_gunicorn_without_the_shipped_configuration_refuses_to_start(tmp_path):
    """The privacy logger cannot be forgotten: the bare command of older READMEs fails."""
    env = _environment(tmp_path, _free_port(), f"sqlite:///{tmp_path / 'unused.sqlite3'}")
    bare = [str(VENV_BIN / "gunicorn"), "samverkan.wsgi", "--bind", env["WEB_BIND"],
            "--workers", "1"]
    result = subprocess.run(bare, env=env, cwd=tmp_path, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode != 0
    assert "Samverkan refuses to start: gunicorn runs without samverkan.gunicorn_conf" in (
        result.stderr
    )
