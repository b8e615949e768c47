"""The organisation's identity for every template (headers of the staff and public
pages) as ``site_identity`` (a name no view uses: a case look-up passes its own
``identity``). Read lazily, so a response that never shows it (a fragment, a redirect)
makes no query, and a page makes one."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from samverkan.directory import selectors


def identity(request: HttpRequest) -> dict[str, object]:
    return {"site_identity": SimpleLazyObject(selectors.identity)}
