"""A gunicorn logger that writes no access-log line for the tip channel.

Even without the client address, a timestamped "POST /tipsa/" line would give back the
time of day a tip arrived, which the tip row deliberately leaves out. Use with
``gunicorn --logger-class samverkan.tips.gunicorn_logger.TipPrivacyLogger`` (the
Makefile's demo server does); every other request is logged as usual.
"""

from __future__ import annotations

from typing import Any

from gunicorn.glogging import Logger

PRIVATE_PREFIXES = ("/tipsa/",)


class TipPrivacyLogger(Logger):
    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> None:
        if str(environ.get("PATH_INFO", "")).startswith(PRIVATE_PREFIXES):
            return
        super().access(resp, req, environ, request_time)
