"""The web server configuration shipped with Samverkan (installed with the package):

    gunicorn -c python:samverkan.gunicorn_conf samverkan.wsgi

It installs the privacy logger (samverkan.gunicorn_logging: no client address, user
agent or referer in any line, no line at all for the tip channel, token paths redacted)
and the tuned server settings that benchmarks/public.py and benchmarks/cases.py measure
(see public.py's docstring for why these values). Each can be changed from the
environment; a malformed value stops start-up with one line naming the variable:

    WEB_BIND         127.0.0.1:8000   address(es) to listen on, comma-separated
    WEB_CONCURRENCY  CPU cores + 1    worker processes
    WEB_THREADS      2                threads per worker (gthread)
    WEB_KEEPALIVE    75               seconds an idle connection is kept; keep it longer
                                      than the reverse proxy's upstream idle timeout
    WEB_BACKLOG      2048             pending connections the socket queues
    WEB_TIMEOUT      30               seconds before a silent worker is restarted
    WEB_ACCESS_LOG   -                access log: "-" (standard output), a file, or "off"
    WEB_LOG_LEVEL    info             the server's error-log level

samverkan.wsgi refuses to start under gunicorn when the privacy logger is missing, so a
command line without this configuration fails instead of logging addresses.
"""

from __future__ import annotations

import os
from typing import Any

from samverkan.gunicorn_logging import PrivacyLogger
from samverkan.lib.env import env_choice, env_int, env_list, env_str, guarded


def _cores() -> int:
    # The CPUs this process may run on (a container's limit), not the machine's count.
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _access_log() -> str | None:
    value = env_str("WEB_ACCESS_LOG", "-").strip()
    return None if value.lower() == "off" else value


bind = guarded(lambda: env_list("WEB_BIND", ["127.0.0.1:8000"]))
worker_class = "gthread"
workers = guarded(lambda: env_int("WEB_CONCURRENCY", _cores() + 1, minimum=1))
threads = guarded(lambda: env_int("WEB_THREADS", 2, minimum=1))
keepalive = guarded(lambda: env_int("WEB_KEEPALIVE", 75, minimum=0))
backlog = guarded(lambda: env_int("WEB_BACKLOG", 2048, minimum=1))
timeout = guarded(lambda: env_int("WEB_TIMEOUT", 30, minimum=1))
proc_name = "samverkan"

logger_class = PrivacyLogger
accesslog = guarded(_access_log)
# Method, path (token paths redacted, no query string), status, bytes, seconds, and the
# request id the application's log lines and audit rows carry. Whatever format is set
# here or on the command line, PrivacyLogger supplies no address, agent or referer.
access_log_format = '"%(m)s %(U)s" %(s)s %(b)s %(L)ss %({x-request-id}o)s'
errorlog = "-"
loglevel = guarded(
    lambda: env_choice(
        "WEB_LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"), upper=True
    )
).lower()


def pre_request(worker: Any, req: Any) -> None:
    """Replaces gunicorn's default hook, which logs every request's method and path at
    debug level (tip-channel requests included)."""
