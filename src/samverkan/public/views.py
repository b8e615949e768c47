"""The public site for residents (no login): the overview, the area pages and the
safety poll; and the old addresses of the citizen-promise staff pages, which moved to
the agreement app."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import check_for_language, get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from samverkan.access.guards import public, require_permission
from samverkan.access.permissions import Permission
from samverkan.accounts.http import AuthenticatedHttpRequest
from samverkan.frontend.public_pages import public_site, render_public
from samverkan.public import selectors, services
from samverkan.public.cache import cached_page
from samverkan.public.forms import SafetyPollForm
from samverkan.tips import abuse
from samverkan.tips.forms import admit_sender


@public
@public_site
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    return cached_page(
        request,
        lambda: render_public(
            request, "public/overview.html", {"areas": selectors.area_overview()}
        ),
    )


@public
@public_site
@require_GET
def area(request: HttpRequest, code: str) -> HttpResponse:
    return cached_page(
        request,
        lambda: render_public(
            request,
            "public/area.html",
            {
                "page": selectors.area_page(code=code),
                # A constant of two attributes, never user input.
                "sv_only": mark_safe(selectors.content_language_attrs(get_language())),  # noqa: S308
            },
        ),
    )


@public
@public_site
@never_cache
@require_GET
def set_language(request: HttpRequest, lang: str) -> HttpResponse:
    """Remember the chosen language in a first-party cookie (the language code and
    nothing else) and go back. A plain link, so it works without JavaScript and the
    cached pages need no per-visitor token."""
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ) or not next_url.startswith("/"):
        next_url = reverse("public:overview")
    response = HttpResponseRedirect(next_url)
    if lang in dict(settings.LANGUAGES) and check_for_language(lang):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            lang,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,  # type: ignore[arg-type]
        )
    return response


# --- The safety poll (anonymous, no login) ----------------------------------------------


def _no_store(response: HttpResponse) -> HttpResponse:
    add_never_cache_headers(response)
    response["Cache-Control"] = "no-store, private, max-age=0"
    return response


@public
@public_site
@require_http_methods(["GET", "POST"])
def poll(request: HttpRequest, code: str) -> HttpResponse:
    """"How safe does the area feel": two scores, stored with the area and the ISO week
    only. Privacy as the tip form: nothing is taken from the request but the scores (no
    address, browser detail or time), the path leaves no access-log line
    (lib.log_privacy), the honeypot, form token and rate limit are the tip form's, and
    neither page is cached anywhere (the form carries a CSRF token and a form token)."""
    area = selectors.area_for_poll(code=code)
    status = 200
    if request.method == "POST":
        form = SafetyPollForm(request.POST)
        if form.is_valid():
            refused = admit_sender(request, form, scope="poll")
            if refused is None:
                services.poll_answer(
                    area_code=area.code,
                    day_score=form.cleaned_data["day_score"],
                    evening_score=form.cleaned_data["evening_score"],
                )
                return _no_store(render_public(request, "public/poll_thanks.html", {"area": area}))
            status = refused
        elif form.has_error(NON_FIELD_ERRORS, code="unavailable"):
            status = 503
    else:
        form = SafetyPollForm()
    return _no_store(
        render_public(
            request,
            "public/poll.html",
            {"form": form, "area": area, "token": abuse.issue_token()},
            status=status,
        )
    )


# --- Staff: the citizen-promise pages moved to the agreement app -------------------------


@require_permission(Permission.CITIZEN_PROMISE_MANAGE)
@require_GET
def old_promise_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """/hantera/medborgarloften/ moved to agreement:promise_list (kept for bookmarks)."""
    return HttpResponsePermanentRedirect(reverse("agreement:promise_list"))


@require_permission(Permission.CITIZEN_PROMISE_MANAGE)
@require_GET
def old_promise_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    return HttpResponsePermanentRedirect(reverse("agreement:promise_new"))


@require_permission(Permission.CITIZEN_PROMISE_MANAGE)
@require_GET
def old_promise_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return HttpResponsePermanentRedirect(reverse("agreement:promise_edit", args=[pk]))
