"""The shipped web-server configuration and its privacy logger, line by line.

Each access-log test formats the same request with gunicorn's own logger first: that
line does carry the address, agent and referer, so the privacy logger's line is
checked against a format that would reveal them."""

from __future__ import annotations

import importlib
import logging
import os
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from gunicorn.config import Config
from gunicorn.glogging import Logger

from samverkan import gunicorn_conf
from samverkan.gunicorn_logging import PrivacyLogger, privacy_logger_installed

ADDRESS = "203.0.113.58"
AGENT = "Marker-Agent/3.1 (QX-agent)"
REFERER = "https://elsewhere.example/QX-referer"
FORWARDED = "198.51.100.44"
# Asks for every atom gunicorn offers that could identify the client.
EVERYTHING = (
    '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" q=%(q)s U=%(U)s '
    "%({user-agent}i)s %({x-forwarded-for}i)s %({cookie}i)s %({remote_addr}e)s "
    "%({http_user_agent}e)s %({set-cookie}o)s rid=%({x-request-id}o)s"
)


WEB_VARIABLES = ("WEB_BIND", "WEB_CONCURRENCY", "WEB_THREADS", "WEB_KEEPALIVE", "WEB_BACKLOG",
                 "WEB_TIMEOUT", "WEB_ACCESS_LOG", "WEB_LOG_LEVEL")


@pytest.fixture(autouse=True)
def _fresh_gunicorn_loggers():
    """gunicorn's loggers are process-wide: each test starts and ends without handlers
    or filters (and closes the files it opened)."""

    def clear() -> None:
        for name in ("gunicorn.error", "gunicorn.access"):
            log = logging.getLogger(name)
            for handler in list(log.handlers):
                log.removeHandler(handler)
                handler.close()
            for log_filter in list(log.filters):
                log.removeFilter(log_filter)

    clear()
    yield
    clear()


@pytest.fixture
def load_conf(monkeypatch):
    """Re-import samverkan.gunicorn_conf under the given WEB_* variables."""

    def load(**env: str):
        for name in WEB_VARIABLES:
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return importlib.reload(gunicorn_conf)

    yield load
    load()


def _logger(cls: type[Logger], tmp_path: Path, fmt: str = EVERYTHING) -> tuple[Logger, Path]:
    cfg = Config()
    access = tmp_path / f"{cls.__name__}-access.log"
    cfg.set("accesslog", str(access))
    cfg.set("errorlog", str(tmp_path / f"{cls.__name__}-error.log"))
    cfg.set("access_log_format", fmt)
    cfg.set("loglevel", "debug")
    return cls(cfg), access


def _request(path: str, query: str = "") -> tuple[object, object, dict[str, str], timedelta]:
    uri = f"{path}?{query}" if query else path
    environ = {
        "REQUEST_METHOD": "POST",
        "RAW_URI": uri,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": ADDRESS,
        "HTTP_USER_AGENT": AGENT,
        "HTTP_REFERER": REFERER,
        "HTTP_X_FORWARDED_FOR": FORWARDED,
        "HTTP_COOKIE": "samverkan_session=QX-session",
    }
    req = SimpleNamespace(headers=[("USER-AGENT", AGENT), ("X-FORWARDED-FOR", FORWARDED),
                                   ("REFERER", REFERER), ("COOKIE", "samverkan_session=QX-session")])
    resp = SimpleNamespace(status="302 Found", sent=0, headers=[
        ("Location", "/somewhere/"), ("Set-Cookie", "samverkan_session=QX-session"),
        ("X-Request-ID", "0123456789abcdef0123456789abcdef"),
    ])
    return resp, req, environ, timedelta(milliseconds=12)


def _access_line(cls: type[Logger], tmp_path: Path, path: str, query: str = "") -> str:
    log, access = _logger(cls, tmp_path)
    log.access(*_request(path, query))
    for handler in logging.getLogger("gunicorn.access").handlers:
        handler.flush()
    return access.read_text() if access.exists() else ""


SECRETS = (ADDRESS, AGENT, "QX-agent", REFERER, "QX-referer", FORWARDED, "QX-session")


def test_gunicorns_own_logger_would_reveal_the_client(tmp_path):
    line = _access_line(Logger, tmp_path, "/omraden/husby/", "q=Anna")
    assert all(secret in line for secret in (ADDRESS, AGENT, REFERER, FORWARDED, "QX-session"))


def test_access_lines_carry_nothing_about_the_client(tmp_path):
    line = _access_line(PrivacyLogger, tmp_path, "/omraden/husby/", "q=Anna+Andersson")
    assert line.count("\n") == 1
    assert '"POST /omraden/husby/ HTTP/1.1" 302' in line
    assert "U=/omraden/husby/" in line
    assert "rid=0123456789abcdef0123456789abcdef" in line  # ties the line to the app's logs
    for secret in (*SECRETS, "Anna", "q=Anna"):
        assert secret not in line, secret


@pytest.mark.parametrize("path", ["/tipsa/", "/tipsa/kvitto/", "//tipsa/", "/TIPSA/", "/tipsa"])
def test_the_tip_channel_writes_no_access_line(tmp_path, path):
    assert _access_line(PrivacyLogger, tmp_path, path) == ""


def test_token_paths_and_query_strings_are_cut(tmp_path):
    line = _access_line(PrivacyLogger, tmp_path, "/konto/valj-losenord/MTc/c8y2mz-0a1b2c3d/")
    assert "/konto/valj-losenord/[redacted]/" in line
    assert "MTc" not in line and "c8y2mz" not in line
    line = _access_line(PrivacyLogger, tmp_path, "/konto/oidc/callback/", "code=QXcode&state=QXs")
    assert "/konto/oidc/callback/" in line and "QX" not in line


def _error_log(tmp_path: Path) -> tuple[Logger, Path]:
    log, _access = _logger(PrivacyLogger, tmp_path)
    return log, tmp_path / "PrivacyLogger-error.log"


def test_error_lines_lose_the_address_and_the_request(tmp_path):
    log, errors = _error_log(tmp_path)
    # What gunicorn's workers write (workers/base.py, config.py's default pre_request).
    log.warning(f"Invalid request from ip={ADDRESS}: Invalid HTTP Header: 'User-Agent: {AGENT}'")
    log.warning("Invalid request from ip=2001:db8::7: Invalid HTTP request line: 'GET /tipsa/ X'")
    log.debug("%s %s", "POST", "/tipsa/?omrade=husby")
    log.debug("%s %s", "GET", "/konto/valj-losenord/MTc/c8y2mz-0a1b2c3d/")
    detail = f"QX-message {ADDRESS}"  # the traceback quotes source lines, not values
    try:
        raise ValueError(detail)
    except ValueError:
        log.exception("Error handling request %s %s", "POST", "/tipsa/kvitto/")
        log.exception("Error handling request %s %s", "GET", "/omraden/husby/?q=Anna")
    text = errors.read_text()
    for secret in (*SECRETS, "2001:db8::7", "/tipsa", "MTc", "c8y2mz", "QX-message", "q=Anna"):
        assert secret not in text, secret
    assert "Invalid request (client address and details withheld): Invalid HTTP Header" in text
    assert "POST [withheld]" in text
    assert "GET /konto/valj-losenord/[redacted]/" in text
    assert "Error handling request [withheld]" in text
    assert "Error handling request GET /omraden/husby/" in text
    assert "builtins.ValueError: (message withheld)" in text  # the traceback stays


def test_the_shipped_configuration(load_conf):
    conf = load_conf()
    assert conf.logger_class is PrivacyLogger
    assert conf.worker_class == "gthread"
    assert conf.workers == len(os.sched_getaffinity(0)) + 1
    assert (conf.threads, conf.keepalive, conf.backlog, conf.timeout) == (2, 75, 2048, 30)
    assert conf.bind == ["127.0.0.1:8000"] and conf.accesslog == "-" and conf.loglevel == "info"
    conf = load_conf(WEB_CONCURRENCY="5", WEB_THREADS="4", WEB_ACCESS_LOG="off",
                     WEB_BIND="127.0.0.1:9001, unix:/run/samverkan.sock", WEB_LOG_LEVEL="WARNING")
    assert (conf.workers, conf.threads) == (5, 4)
    assert conf.bind == ["127.0.0.1:9001", "unix:/run/samverkan.sock"]
    assert conf.accesslog is None and conf.loglevel == "warning"


@pytest.mark.parametrize("name", ["WEB_THREADS", "WEB_CONCURRENCY", "WEB_LOG_LEVEL"])
def test_a_malformed_server_setting_stops_start_up(load_conf, name, capsys):
    with pytest.raises(SystemExit) as stopped:
        load_conf(**{name: "many"})
    assert stopped.value.code == 2
    assert name in capsys.readouterr().err


def test_the_configuration_replaces_gunicorns_request_line_at_debug_level(tmp_path):
    """gunicorn's default pre_request hook logs "<method> <path>" for every request."""
    log, errors = _error_log(tmp_path)
    worker = SimpleNamespace(log=log)
    Config().pre_request(worker, SimpleNamespace(method="POST", path="/omraden/husby/"))
    gunicorn_conf.pre_request(worker, SimpleNamespace(method="POST", path="/omraden/x/"))
    text = errors.read_text()
    assert "/omraden/husby/" in text
    assert "/omraden/x/" not in text


def test_privacy_logger_installed_reflects_the_logger_in_use(tmp_path):
    _logger(Logger, tmp_path)
    assert not privacy_logger_installed()
    _logger(PrivacyLogger, tmp_path)
    assert privacy_logger_installed()
    _logger(PrivacyLogger, tmp_path)  # a configuration reload adds no second filter
    assert len(logging.getLogger("gunicorn.error").filters) == 1
