"""The public site for residents (no login) and the staff screens for its content."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from samverkan.access.guards import public, require_permission
from samverkan.access.permissions import Permission
from samverkan.accounts.http import AuthenticatedHttpRequest
from samverkan.agreement.models import CitizenPromise
from samverkan.frontend.forms import StyledFormMixin
from samverkan.frontend.public_pages import public_site, render_public
from samverkan.lib.concurrency import show_conflict, stored_version
from samverkan.public import selectors, services
from samverkan.public.cache import cached_page


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
            request, "public/area.html", {"page": selectors.area_page(code=code)}
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


# --- Staff: citizen promises ------------------------------------------------------------


class PromiseForm(StyledFormMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = CitizenPromise
        fields = ["area", "title", "text", "period", "published"]


@require_permission(Permission.CITIZEN_PROMISE_MANAGE)
@require_GET
def promise_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "public/promise_list.html", {"promises": selectors.promises_for_staff()})


@require_permission(Permission.CITIZEN_PROMISE_MANAGE)
@require_http_methods(["GET", "POST"])
def promise_edit(request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
    instance = selectors.get_promise(pk=pk) if pk else CitizenPromise()
    form = PromiseForm(
        request.POST or None, instance=instance, initial={"version": instance.version}
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.promise_save(
                actor=request.user,
                promise=form.save(commit=False),
                expected_version=form.cleaned_data.get("version"),
            )
        except services.StaleEdit:
            status = show_conflict(form, stored_version(instance))
        else:
            messages.success(request, _("Saved."))
            return redirect("public:promise_list")
    return render(
        request,
        "public/promise_edit.html",
        {
            "form": form,
            "title": _("Edit citizen promise") if pk else _("New citizen promise"),
        },
        status=status,
    )
