"""The organisation's identity for every template (headers of the staff and public
pages): ``identity`` is read lazily, so a response that never shows it (a fragment,
a redirect) makes no query, and a page makes one."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from samverkan.directory import selectors


def identity(request: HttpRequest) -> dict[str, object]:
    return {"identity": SimpleLazyObject(selectors.identity)}
