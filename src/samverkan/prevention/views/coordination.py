"""The coordinating function's pages under /brottsforebyggande/samordning/: naming and
changing coordinators, generating a year's cycle, moving a step, marking it done (with a
confirmation). MANAGE_DOCUMENT of the scope decides (services); outside the scope 404
(selectors)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from samverkan.access.guards import require_permission
from samverkan.access.permissions import Permission
from samverkan.accounts.http import AuthenticatedHttpRequest
from samverkan.frontend.picker import picker_search
from samverkan.lib.concurrency import StaleEdit, show_conflict, stored_version
from samverkan.lib.form_errors import apply_validation_error
from samverkan.picture.decision import LocalAction
from samverkan.picture.selectors.scope import local_access_for
from samverkan.prevention.forms.coordination import (
    CandidateSearchForm,
    CoordinatorAddForm,
    CoordinatorEditForm,
    CycleGenerateForm,
    StepDoneForm,
    StepEditForm,
)
from samverkan.prevention.selectors import coordination as selectors
from samverkan.prevention.selectors.overview import step_state
from samverkan.prevention.selectors.scopes import ScopeRef, scope_for_actor
from samverkan.prevention.services import coordination as services

BACK = "prevention:index"


def _status(form: object, status: int) -> int:
    return 400 if status == 200 and getattr(form, "errors", None) else status


@require_permission(Permission.PREVENTION_MANAGE)
@require_http_methods(["GET", "POST"])
@sensitive_post_parameters("q")
def coordinator_add(request: AuthenticatedHttpRequest, scope: str) -> HttpResponse:
    access = local_access_for(request.user)
    ref = scope_for_actor(access=access, key=scope)
    access.require(LocalAction.MANAGE_DOCUMENT, ref)
    # The search by name is posted, never in a URL (frontend.picker).
    search = picker_search(request, CandidateSearchForm)
    if search.cleared:
        return redirect("prevention:coordinator_add", scope=scope)
    candidates = selectors.coordinator_candidates(scope=ref, search=search.words)
    choosing = request.method == "POST" and not search.searching
    form = CoordinatorAddForm(request.POST if choosing else None, candidates=candidates)
    if choosing and form.is_valid():
        try:
            services.coordinator_add(
                actor=request.user, access=access, scope=ref, user=form.cleaned_data["user"],
                tasks=form.cleaned_data["tasks"], since=form.cleaned_data["since"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The coordinator is named."))
            return redirect(BACK)
    return render(request, "prevention/coordinator_add.html", {
        "scope": ref, "form": form, "search": search.form, "words": search.words, "shown": len(candidates),
        "limit": selectors.CANDIDATES_SHOWN,
    }, status=400 if search.form.errors else _status(form, 200) if choosing else 200)


@require_permission(Permission.PREVENTION_MANAGE)
@require_http_methods(["GET", "POST"])
def coordinator_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access = local_access_for(request.user)
    row = selectors.coordinator_for_actor(access=access, pk=pk)
    access.require(LocalAction.MANAGE_DOCUMENT, row)
    form = CoordinatorEditForm(request.POST or None, initial={
        "tasks": row.tasks, "since": row.since, "active": row.active, "version": row.version,
    })
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.coordinator_update(
                actor=request.user, access=access, coordinator=row, tasks=data["tasks"], since=data["since"],
                active=data["active"], expected_version=data["version"],
            )
        except StaleEdit:
            status = show_conflict(form, stored_version(row))
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The coordinator is saved."))
            return redirect(BACK)
    return render(request, "prevention/coordinator_edit.html", {
        "coordinator": row, "scope": ScopeRef(row.municipality, row.district), "form": form,
    }, status=_status(form, status) if request.method == "POST" else status)


@require_permission(Permission.PREVENTION_MANAGE)
@require_http_methods(["GET", "POST"])
def cycle_generate(request: AuthenticatedHttpRequest, scope: str) -> HttpResponse:
    access = local_access_for(request.user)
    ref = scope_for_actor(access=access, key=scope)
    access.require(LocalAction.MANAGE_DOCUMENT, ref)
    form = CycleGenerateForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        try:
            created = services.cycle_generate(actor=request.user, access=access, scope=ref,
                                              year=form.cleaned_data["year"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            if created:
                messages.success(request, _("The year's steps are added."))
            else:
                messages.info(request, _("The year's steps were already there; nothing was changed."))
            return redirect(BACK)
    return render(request, "prevention/cycle_generate.html", {
        "scope": ref, "form": form, "defaults": services.default_dates(timezone.localdate().year),
    }, status=_status(form, 200) if request.method == "POST" else 200)


@require_permission(Permission.PREVENTION_MANAGE)
@require_http_methods(["GET", "POST"])
def step_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access = local_access_for(request.user)
    step = selectors.step_for_actor(access=access, pk=pk)
    access.require(LocalAction.MANAGE_DOCUMENT, step)
    form = StepEditForm(request.POST or None, initial={"due_on": step.due_on, "note": step.note,
                                                       "version": step.version})
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.step_update(actor=request.user, access=access, step=step, due_on=data["due_on"],
                                 note=data["note"], expected_version=data["version"])
        except StaleEdit:
            status = show_conflict(form, stored_version(step))
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The step is saved."))
            return redirect(BACK)
    return render(request, "prevention/step_edit.html", {
        "step": step_state(step, timezone.localdate()), "scope": ScopeRef(step.municipality, step.district),
        "form": form,
    }, status=_status(form, status) if request.method == "POST" else status)


@require_permission(Permission.PREVENTION_MANAGE)
@require_http_methods(["GET", "POST"])
def step_done(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access = local_access_for(request.user)
    step = selectors.step_for_actor(access=access, pk=pk)
    access.require(LocalAction.MANAGE_DOCUMENT, step)
    form = StepDoneForm(request.POST or None, initial={"done_on": timezone.localdate(), "version": step.version})
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.step_mark_done(actor=request.user, access=access, step=step, done_on=data["done_on"],
                                    expected_version=data["version"])
        except StaleEdit:
            status = show_conflict(form, stored_version(step))
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The step is marked done."))
            return redirect(BACK)
    return render(request, "prevention/step_done.html", {
        "step": step_state(step, timezone.localdate()), "scope": ScopeRef(step.municipality, step.district),
        "form": form,
    }, status=_status(form, status) if request.method == "POST" else status)
