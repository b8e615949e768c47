"""The staff menu: which entries a user sees (from their permissions) and which one is
current (from the path).

The entries are data here, not template logic. The rendered menu depends only on the
language, the user's permissions and which entries are current, so it is rendered once
per such combination and process and reused: it holds no personal data (the user's
name and organisation are in the header, outside it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext_lazy

from samverkan.access.permissions import Permission as P

Perms = frozenset[P]


@dataclass(frozen=True)
class MenuEntry:
    label: Promise
    url_name: Callable[[Perms], str]
    shown: Callable[[Perms], bool]
    # The entry is current when the path contains any of these (the home page: equals).
    current_on: tuple[str, ...] = ()


def _any(*needed: P) -> Callable[[Perms], bool]:
    return lambda perms: any(p in perms for p in needed)


def _always(perms: Perms) -> bool:
    return True


def _url(name: str) -> Callable[[Perms], str]:
    return lambda perms: name


MENU: tuple[MenuEntry, ...] = (
    MenuEntry(gettext_lazy("Today"), _url("frontend:home"), _always),
    MenuEntry(gettext_lazy("Cases"), _url("cases:list"), _any(P.CASE_VIEW), ("/arenden/",)),
    MenuEntry(gettext_lazy("Reminders"), _url("reminders:mine"), _any(P.CASE_VIEW, P.RETENTION_MANAGE),
              ("/bevakningar/",)),
    MenuEntry(
        gettext_lazy("Data protection"),
        lambda perms: "dataprotection:retention" if P.RETENTION_MANAGE in perms else "dataprotection:subject_access",
        _any(P.RETENTION_MANAGE, P.SUBJECT_ACCESS_EXPORT),
        ("/dataskydd/",),
    ),
    MenuEntry(gettext_lazy("Programmes"), _url("cases:programme_list"), _any(P.PROGRAMME_MANAGE),
              ("/arenden/program/",)),
    MenuEntry(gettext_lazy("Trefas"), _url("trefas:forums"), _any(P.TREFAS_VIEW), ("/trefas/",)),
    MenuEntry(gettext_lazy("Local picture"), _url("picture:index"), _any(P.PICTURE_VIEW), ("/trygghet/",)),
    # External reporters (who see no area) get the report form instead.
    MenuEntry(gettext_lazy("Report an incident"), _url("picture:report"),
              lambda perms: P.PICTURE_REPORT in perms and P.PICTURE_VIEW not in perms, ("/trygghet/",)),
    MenuEntry(gettext_lazy("Crime prevention"), _url("prevention:index"), _any(P.PREVENTION_VIEW),
              ("/brottsforebyggande/",)),
    MenuEntry(gettext_lazy("Agreements"), _url("agreement:list"), _any(P.AGREEMENT_VIEW), ("/overenskommelser/",)),
    MenuEntry(gettext_lazy("Statistics"), _url("followup:overview"), _any(P.STATISTICS_VIEW), ("/statistik/",)),
    MenuEntry(gettext_lazy("Action groups"), _url("actiongroups:group_list"), _any(P.AREA_VIEW),
              ("/aktionsgrupper/", "/bemanning/")),
    MenuEntry(gettext_lazy("Directory"), _url("directory:organisation_list"), _any(P.DIRECTORY_VIEW),
              ("/katalog/",)),
    MenuEntry(gettext_lazy("Users"), _url("accounts:user_list"), _any(P.ORG_USERS_MANAGE, P.ALL_USERS_MANAGE),
              ("/konto/anvandare/",)),
    MenuEntry(gettext_lazy("Audit log"), _url("audit:event_list"), _any(P.AUDIT_VIEW_OWN_ORG, P.AUDIT_VIEW_ALL),
              ("/logg/",)),
    MenuEntry(gettext_lazy("Log review"), _url("logreview:index"), _any(P.ACCESS_REVIEW), ("/loggranskning/",)),
    MenuEntry(gettext_lazy("My account"), _url("accounts:account"), _always, ("/konto/mitt-konto/",)),
)


def _is_current(entry: MenuEntry, path: str, url: str) -> bool:
    if not entry.current_on:
        return path == url
    return any(fragment in path for fragment in entry.current_on)


def staff_menu(*, perms: Perms, path: str) -> SafeString:
    """The menu's HTML for a user with ``perms`` on the page at ``path``."""
    shown = tuple(i for i, entry in enumerate(MENU) if entry.shown(perms))
    urls = _urls(perms, shown)
    current = tuple(_is_current(MENU[i], path, url) for i, url in zip(shown, urls, strict=True))
    return _render(get_language() or "", perms, shown, current)


@lru_cache(maxsize=64)
def _urls(perms: Perms, shown: tuple[int, ...]) -> tuple[str, ...]:
    return tuple(reverse(MENU[i].url_name(perms)) for i in shown)


@lru_cache(maxsize=1024)
def _render(language: str, perms: Perms, shown: tuple[int, ...], current: tuple[bool, ...]) -> SafeString:
    items = format_html_join(
        "\n",
        '<li class="govuk-service-navigation__item{}">'
        '<a class="govuk-service-navigation__link" href="{}"{}>{}</a></li>',
        (
            (
                " govuk-service-navigation__item--active" if is_current else "",
                url,
                SafeString(' aria-current="page"') if is_current and not MENU[i].current_on else "",
                str(MENU[i].label),
            )
            for i, url, is_current in zip(shown, _urls(perms, shown), current, strict=True)
        ),
    )
    return format_html(
        '<nav class="govuk-service-navigation" aria-label="{}" data-module="govuk-service-navigation">'
        '<div class="govuk-width-container"><div class="govuk-service-navigation__container">'
        '<ul class="govuk-service-navigation__list" id="navigation">\n{}\n</ul></div></div></nav>',
        gettext_lazy("Menu"),
        items,
    )
