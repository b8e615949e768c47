from __future__ import annotations

from django.http import HttpRequest

from samverkan.public.languages import staff_languages


def languages(request: HttpRequest) -> dict[str, object]:
    """The staff shell's language switcher offers only the staff languages."""
    return {"STAFF_LANGUAGES": staff_languages()}
