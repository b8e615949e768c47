"""Languages of the public pages.

The public pages speak every language in settings.LANGUAGES (Swedish, English, Arabic,
Somali and Easy Swedish); the staff pages only settings.SAMVERKAN_STAFF_LANGUAGES.
Easy Swedish (lättläst) has no ISO code of its own: it is "sv-ll", a variant of
Swedish whose catalogue (locale/sv_LL) falls back to Swedish for any missing string.
"""

from __future__ import annotations

from django.conf import settings
from django.conf.locale import LANG_INFO

EXTRA_LANG_INFO: dict[str, dict[str, object]] = {
    "so": {"bidi": False, "code": "so", "name": "Somali", "name_local": "Soomaali"},
    "sv-ll": {
        "bidi": False,
        "code": "sv-ll",
        "name": "Easy Swedish",
        "name_local": "Lättläst svenska",
    },
}


def register_language_info() -> None:
    """Teach Django the languages it does not ship (idempotent)."""
    for code, info in EXTRA_LANG_INFO.items():
        LANG_INFO.setdefault(code, info)


def public_languages() -> list[tuple[str, str]]:
    """(code, name in that language) for the public language switcher."""
    register_language_info()
    return [(code, str(LANG_INFO[code]["name_local"])) for code, _name in settings.LANGUAGES]


def staff_languages() -> tuple[str, ...]:
    return tuple(getattr(settings, "SAMVERKAN_STAFF_LANGUAGES", ("sv", "en")))


def html_lang(code: str) -> str:
    """The BCP 47 tag for <html lang>: Easy Swedish is Swedish to screen readers."""
    return "sv" if code == "sv-ll" else code
