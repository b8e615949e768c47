"""Programme administration (PROGRAMME_MANAGE): list, create and edit programmes, so an
administrator can add e.g. "SSPF 12-21" without a code change. Audited, with
optimistic locking."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from samverkan.access.guards import require_permission
from samverkan.access.permissions import Permission
from samverkan.accounts.http import AuthenticatedHttpRequest
from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.cases import selectors, services
from samverkan.cases.forms.programmes import ProgrammeForm
from samverkan.cases.models import Programme
from samverkan.directory.selectors import district_list
from samverkan.lib.concurrency import show_conflict, stored_version
from samverkan.lib.form_errors import apply_validation_error


@require_permission(Permission.PROGRAMME_MANAGE)
@require_GET
def programme_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    programmes = list(selectors.programmes_for_admin(actor=request.user))
    audit.record(
        action=Action.PROGRAMMES_VIEWED,
        actor=request.user,
        subject_type="programme_list",
        detail={"shown": len(programmes)},
    )
    return render(request, "cases/programme_list.html", {"programmes": programmes})


@require_permission(Permission.PROGRAMME_MANAGE)
@require_http_methods(["GET", "POST"])
def programme_edit(request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
    instance = selectors.programme_for_admin(actor=request.user, pk=pk) if pk else Programme()
    form = ProgrammeForm(
        request.POST or None,
        instance=instance,
        initial={"version": instance.version if pk else None},
        districts=district_list(),
        successors=selectors.programmes_for_admin(actor=request.user),
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.programme_save(
                actor=request.user,
                instance=form.save(commit=False),
                districts=form.cleaned_data["districts"],
                expected_version=form.cleaned_data.get("version"),
            )
        except services.StaleEdit:
            status = show_conflict(form, stored_version(instance))
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The programme is saved."))
            return redirect("cases:programme_list")
    return render(
        request,
        "cases/programme_edit.html",
        {
            "form": form,
            "title": _("Edit programme") if pk else _("New programme"),
        },
        status=status,
    )
