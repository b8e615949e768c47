"""The web server's logger: access and error lines that identify no one.

Used by the shipped server configuration (samverkan.gunicorn_conf), so the production
command in README cannot forget it. What it guarantees, whatever access-log format an
operator configures:

- No access line carries the client's address, user agent, referer, any other request
  header, a basic-auth user name, the query string or an environment variable. This holds
  for every path, staff pages included: staff requests are audited by user in the
  application, and a log that pairs addresses with times of day is personal data we do
  not need.
- Requests to the anonymous tip channel (``/tipsa/``) write no access line at all.
- Token paths (the set-password link) are logged up to the secret.
- Error-log lines that quote a request (e.g. "Error handling request <method> <uri>",
  "Invalid request from ip=<address>: <details>", the debug-level request line) lose the
  address, the details and any tip or token path; exceptions keep their traceback but
  not their message (see samverkan.lib.log_privacy).

Rules live in samverkan.lib.log_privacy; this module only applies them to gunicorn.
"""

from __future__ import annotations

import logging
import os
import re
from typing import Any

from gunicorn.glogging import Logger

from samverkan.lib.log_privacy import loggable_path, redact_text, redacted_traceback

# Response headers set by the application that identify nobody; X-Request-ID ties a line
# to the application's own log lines and audit rows.
_KEPT_RESPONSE_HEADERS = frozenset({"x-request-id", "content-type", "content-length"})

_INVALID_REQUEST = re.compile(r"Invalid request from ip=\S*?: (?P<error>.*)", re.DOTALL)
_ERROR_HANDLING = re.compile(r"Error handling request (?:(?P<method>[A-Z]+) )?(?P<uri>\S+)$")


def scrub_error_message(message: str) -> str:
    """An error-log message without the client's address or a request's secrets."""
    invalid = _INVALID_REQUEST.match(message)
    if invalid:
        # The details may quote the request line or a header line (its value included):
        # keep only their kind, the text before the first colon.
        kind = invalid.group("error").split(":", 1)[0].strip()[:80]
        return f"Invalid request (client address and details withheld): {kind}"
    handling = _ERROR_HANDLING.match(message)
    if handling:
        path = loggable_path(handling.group("uri"))
        method = handling.group("method") or ""
        shown = f"{method} {path}".strip() if path is not None else "[withheld]"
        return f"Error handling request {shown}"
    return redact_text(message)


class _ErrorLogScrubber(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is logging's business, not ours
            return True
        clean = scrub_error_message(message)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = redacted_traceback(record.exc_info[1])
        return True


def privacy_logger_installed() -> bool:
    """True when gunicorn's error log carries PrivacyLogger's filter. In a worker this
    reflects the master's logger, set up before the fork and before the application loads."""
    return any(isinstance(f, _ErrorLogScrubber) for f in logging.getLogger("gunicorn.error").filters)


class PrivacyLogger(Logger):
    """gunicorn's logger with the guarantees in the module docstring."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        # setup() runs again on a configuration reload: add the filter once. Access lines
        # need none: they are built from the allowlisted atoms below.
        if not any(isinstance(f, _ErrorLogScrubber) for f in self.error_log.filters):
            self.error_log.addFilter(_ErrorLogScrubber())

    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> None:
        if loggable_path(str(environ.get("PATH_INFO", ""))) is None:
            return
        super().access(resp, req, environ, request_time)

    def atoms(
        self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any
    ) -> dict[str, Any]:
        """The atoms an access-log format may use, built here rather than filtered from
        gunicorn's: only what the request line, the response and the clock say, nothing
        about who asked. Every other atom (h, a, f, u, q, {header}i, {variable}e) is "-"."""
        status = resp.status
        if isinstance(status, str):
            status = status.split(None, 1)[0]
        method = environ.get("REQUEST_METHOD", "-")
        protocol = environ.get("SERVER_PROTOCOL", "-")
        path = loggable_path(str(environ.get("PATH_INFO", ""))) or "-"
        sent = getattr(resp, "sent", None)
        seconds, micros = request_time.seconds, request_time.microseconds
        atoms: dict[str, Any] = {
            "h": "-",
            "l": "-",
            "u": "-",
            "t": self.now(),
            "r": f"{method} {path} {protocol}",
            "s": status,
            "m": method,
            "U": path,
            "q": "-",
            "H": protocol,
            "b": str(sent) if sent is not None else "-",
            "B": sent,
            "f": "-",
            "a": "-",
            "T": seconds,
            "D": seconds * 1_000_000 + micros,
            "M": seconds * 1000 + micros // 1000,
            "L": f"{seconds}.{micros:06d}",
            "p": f"<{os.getpid()}>",
        }
        headers = resp.headers.items() if hasattr(resp.headers, "items") else resp.headers
        for name, value in headers:
            lowered = name.lower()
            if lowered in _KEPT_RESPONSE_HEADERS:
                atoms[f"{{{lowered}}}o"] = value
        return atoms
