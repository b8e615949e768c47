"""The current request id, shared by audit rows and log lines (contextvar, no PII)."""

from __future__ import annotations

from contextvars import ContextVar, Token

_request_id: ContextVar[str | None] = ContextVar("samverkan_request_id", default=None)


def set_request_id(
    value: str | None, *, token: Token[str | None] | None = None
) -> Token[str | None]:
    if token is not None:
        _request_id.reset(token)
        return token
    return _request_id.set(value)


def current_request_id() -> str | None:
    return _request_id.get()
