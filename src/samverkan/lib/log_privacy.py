"""What a request may leave in a log line: the rules shared by the web server's access
and error logs (samverkan.gunicorn_logging) and the application's own log handlers.

- The anonymous tip channel (``/tipsa/``) and the residents' safety poll
  (``/trygghetsenkat/``) leave no access-log line at all: even without the client's
  address, a timestamped line gives back when a tip or an answer was sent, which their
  rows deliberately leave out (a tip keeps the date, an answer the week). In error lines
  their paths are withheld.
- Paths that carry a one-time secret (the set-password link) are logged up to the secret:
  ``/konto/valj-losenord/[redacted]/``. The view moves the token into the session at
  once (accounts.views.password.password_set_view); this is defence in depth for the one request
  that still carries it.
- Query strings are never logged: they carry search terms (names) and the single sign-on
  callback's code.

The prefixes are fixed here, not read from the URLconf, because the web server's master
process logs without Django loaded. tests/lib/test_log_privacy.py walks the URLconf and
fails when a public tip view or a token-carrying route is not covered.
Pure functions and one logging filter; imports nothing from Django.
"""

from __future__ import annotations

import logging
import re
import traceback

# Requests under these paths leave no access-log line; their path is withheld elsewhere
# (the tip channel, tips.urls; the safety poll, public.urls).
WITHHELD_PATHS: tuple[tuple[str, ...], ...] = (("tipsa",), ("trygghetsenkat",))
# Everything after these paths is a one-time secret (accounts.urls: <uidb64>/<token>/).
TOKEN_PATHS: tuple[tuple[str, ...], ...] = (("konto", "valj-losenord"),)

WITHHELD = "[withheld]"
REDACTED = "[redacted]"


def _segments(path: str) -> list[str]:
    # Repeated slashes and letter case do not make a different path for this purpose.
    return [part.casefold() for part in path.split("?", 1)[0].split("/") if part]


def _starts_with(segments: list[str], prefix: tuple[str, ...]) -> bool:
    return tuple(segments[: len(prefix)]) == prefix


def is_withheld(path: str) -> bool:
    """True for a path whose requests must leave no access-log line (the tip channel)."""
    segments = _segments(path)
    return any(_starts_with(segments, prefix) for prefix in WITHHELD_PATHS)


def loggable_path(path: str) -> str | None:
    """The form of a request path fit for a log line, without its query string: None when
    the request must leave no line at all, the path up to the secret for a token path,
    otherwise the path itself."""
    path = path.split("?", 1)[0]
    if is_withheld(path):
        return None
    segments = _segments(path)
    for prefix in TOKEN_PATHS:
        if _starts_with(segments, prefix) and len(segments) > len(prefix):
            return "/" + "/".join(prefix) + f"/{REDACTED}/"
    return path or "/"


def _pattern(prefix: tuple[str, ...]) -> str:
    return "/+" + "/+".join(re.escape(part) for part in prefix)


# A path as it appears inside free text: up to whitespace, a quote or the end.
_REST = r"""(?=[/?#\s"']|$)[^\s"']*"""
_WITHHELD_RE = re.compile(
    "|".join(_pattern(prefix) + _REST for prefix in WITHHELD_PATHS), re.IGNORECASE
)
_TOKEN_RE = re.compile(
    "|".join(f"({_pattern(prefix)})/+[^/\\s\"'?#]" + r"""[^\s"']*""" for prefix in TOKEN_PATHS),
    re.IGNORECASE,
)


def redact_text(text: str) -> str:
    """``text`` with every tip-channel path withheld and every token path cut at the
    secret (for log messages that quote a path, e.g. a request line)."""
    text = _WITHHELD_RE.sub(WITHHELD, text)
    return _TOKEN_RE.sub(lambda m: next(g for g in m.groups() if g) + f"/{REDACTED}/", text)


def redacted_traceback(exc: BaseException) -> str:
    """The traceback of ``exc`` and of the exceptions it was raised from or during, with
    each exception shown as its class name only (messages may quote row values, names or
    text a user wrote)."""
    chain: list[tuple[BaseException, str]] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    link = ""
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append((current, link))
        if current.__cause__ is not None:
            current, link = current.__cause__, "The above exception was the direct cause of the following:"
        elif current.__context__ is not None and not current.__suppress_context__:
            current, link = current.__context__, "During handling of the above exception, another occurred:"
        else:
            current = None
    parts: list[str] = []
    for index, (item, _link) in enumerate(reversed(chain)):
        if index:
            parts.append("\n" + chain[len(chain) - index][1] + "\n\n")
        parts.append("Traceback (most recent call last):\n")
        parts.extend(traceback.format_list(traceback.extract_tb(item.__traceback__)))
        kind = type(item)
        parts.append(f"{kind.__module__}.{kind.__qualname__}: (message withheld)")
    return "".join(parts)


def scrub_record(record: logging.LogRecord) -> None:
    """Rewrite ``record``'s message in place with redact_text (a message that quotes no
    such path is left exactly as it was)."""
    try:
        message = record.getMessage()
    except Exception:  # a malformed record is the handler's business, not ours
        return
    clean = redact_text(message)
    if clean != message:
        record.msg, record.args = clean, None


class RedactPathsFilter(logging.Filter):
    """A handler filter for the application's logs: Django quotes the request path in
    some lines ("Internal Server Error: <path>", "Forbidden (CSRF ...): <path>")."""

    def filter(self, record: logging.LogRecord) -> bool:
        scrub_record(record)
        return True
