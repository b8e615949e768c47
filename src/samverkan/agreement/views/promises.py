"""Staff pages for citizen promises (medborgarlöften): the list of the promises of the
areas the person manages, a promise's text and agreement, publishing it after a
confirmation, and its progress with the history. Moved here from the public app
(the old /hantera/medborgarloften/ addresses redirect)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from samverkan.access.guards import require_permission
from samverkan.access.permissions import Permission
from samverkan.accounts.http import AuthenticatedHttpRequest
from samverkan.agreement.forms.promises import ProgressForm, PromiseForm, PublishForm
from samverkan.agreement.selectors.promises import (
    manageable_areas,
    progress_history,
    promise_for_actor,
    promises_for_actor,
)
from samverkan.agreement.services import promises as services
from samverkan.lib.concurrency import StaleEdit, show_conflict, stored_version
from samverkan.lib.form_errors import apply_validation_error
from samverkan.picture.selectors.scope import local_access_for

MANAGE = Permission.CITIZEN_PROMISE_MANAGE


@require_permission(MANAGE)
@require_GET
def promise_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    access = local_access_for(request.user)
    return render(
        request,
        "agreement/promise_list.html",
        {"rows": promises_for_actor(access), "may_create": bool(manageable_areas(access))},
    )


@require_permission(MANAGE)
@require_http_methods(["GET", "POST"])
def promise_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    access = local_access_for(request.user)
    if not manageable_areas(access):
        raise PermissionDenied
    form = PromiseForm(request.POST or None, access=access)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            promise = services.promise_create(
                actor=request.user, access=access, area=data["area"], agreement=data["agreement"],
                title=data["title"], text=data["text"], period=data["period"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The promise is saved. It is not shown to residents until you publish it."))
            return redirect("agreement:promise_progress", promise.pk)
    return render(request, "agreement/promise_edit.html", {"form": form, "promise": None})


@require_permission(MANAGE)
@require_http_methods(["GET", "POST"])
def promise_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access = local_access_for(request.user)
    promise = promise_for_actor(access, pk)
    form = PromiseForm(
        request.POST or None,
        access=access,
        current_agreement_id=promise.agreement_id,
        initial={
            "area": promise.area_id, "agreement": promise.agreement_id, "title": promise.title,
            "text": promise.text, "period": promise.period, "version": promise.version,
        },
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.promise_update(
                actor=request.user, access=access, promise=promise, expected_version=data["version"],
                area=data["area"], agreement=data["agreement"], title=data["title"], text=data["text"],
                period=data["period"],
            )
        except StaleEdit:
            status = show_conflict(form, stored_version(promise))
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The promise is saved."))
            return redirect("agreement:promise_progress", promise.pk)
    return render(request, "agreement/promise_edit.html", {"form": form, "promise": promise}, status=status)


@require_permission(MANAGE)
@require_http_methods(["GET", "POST"])
def promise_publish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Confirm before residents see the promise (or before it is taken off their pages)."""
    access = local_access_for(request.user)
    promise = promise_for_actor(access, pk)
    form = PublishForm(request.POST or None, initial={"version": promise.version})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.promise_set_published(
                actor=request.user, access=access, promise=promise, published=not promise.published,
                expected_version=form.cleaned_data["version"],
            )
        except StaleEdit:
            status = show_conflict(form, stored_version(promise))
        else:
            messages.success(
                request,
                _("The promise is now shown on the residents' page.")
                if promise.published
                else _("The promise is no longer shown on the residents' page."),
            )
            return redirect("agreement:promise_progress", promise.pk)
    return render(request, "agreement/promise_publish.html", {"form": form, "promise": promise}, status=status)


@require_permission(MANAGE)
@require_http_methods(["GET", "POST"])
def promise_progress(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The promise with its progress history, and a form to add an entry."""
    access = local_access_for(request.user)
    promise = promise_for_actor(access, pk)
    form = ProgressForm(request.POST or None, initial={"version": promise.version})
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.progress_add(
                actor=request.user, access=access, promise=promise, expected_version=data["version"],
                recorded_on=data["recorded_on"], state=data["state"], public_text=data["public_text"],
                internal_note=data["internal_note"],
            )
        except StaleEdit:
            status = show_conflict(form, stored_version(promise))
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The progress is saved."))
            return redirect("agreement:promise_progress", promise.pk)
    return render(
        request,
        "agreement/promise_progress.html",
        {
            "promise": promise,
            "history": progress_history(promise),
            "form": form,
        },
        status=status,
    )
