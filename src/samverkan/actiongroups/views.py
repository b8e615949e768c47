"""Action groups, premises and the outreach board. Everyone with
area:action_group:view reads groups; the municipal side with
area:action_group:manage changes them (checked again in the services)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samverkan.access import policy
from samverkan.access.guards import require_permission
from samverkan.access.permissions import Permission
from samverkan.accounts.http import AuthenticatedHttpRequest
from samverkan.actiongroups import selectors, services
from samverkan.actiongroups.forms import (
    ContactForm,
    DocumentForm,
    GroupForm,
    OutreachForm,
    PositionsForm,
    PremisesForm,
    StatusForm,
)
from samverkan.actiongroups.models import GROUP_TRANSITIONS, GroupStatus, Premises
from samverkan.lib.concurrency import show_conflict, stored_version
from samverkan.lib.form_errors import apply_validation_error

_STATUS_STALE = gettext_lazy(
    "Someone else changed this group while you were choosing. Its status was not changed: "
    "check the page as it is now and choose again."
)


def _check_manager(request: AuthenticatedHttpRequest) -> None:
    if not policy.can_manage_action_groups(actor=request.user):
        raise PermissionDenied


@require_permission(Permission.AREA_VIEW)
@require_GET
def group_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "actiongroups/group_list.html",
        {
            "groups": list(selectors.groups_visible_to(actor=request.user)),
            "can_manage": policy.can_manage_action_groups(actor=request.user),
        },
    )


@require_permission(Permission.AREA_MANAGE)
@require_http_methods(["GET", "POST"])
def group_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    _check_manager(request)
    form = GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            group = services.group_create(
                actor=request.user,
                name=d["name"],
                code=d["code"],
                areas=d["areas"],
                around_the_clock=d["around_the_clock"],
                opens_at=d["opens_at"],
                closes_at=d["closes_at"],
                contact_phone=d["contact_phone"],
                contact_email=d["contact_email"],
                contact_web=d["contact_web"],
                contact_notes=d["contact_notes"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The action group was created."))
            return redirect("actiongroups:group_detail", pk=group.pk)
    return render(
        request,
        "actiongroups/edit.html",
        {
            "form": form,
            "title": _("New action group"),
            "back_url": "actiongroups:group_list",
        },
    )


@require_permission(Permission.AREA_VIEW)
@require_GET
def group_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    group = selectors.get_group(actor=request.user, pk=pk)
    positions = selectors.group_positions(group=group)
    return render(
        request,
        "actiongroups/group_detail.html",
        {
            "group": group,
            "areas": list(group.areas.all()),
            "positions": positions,
            "positions_total": sum(p.positions for p in positions),
            "premises": list(group.premises.all()),
            "outreach": selectors.outreach_for_group(actor=request.user, group=group),
            "can_manage": policy.can_manage_action_groups(actor=request.user),
            "status_form": StatusForm(initial={"version": group.version}),
            "next_statuses": [
                (s, GroupStatus(s).label)
                for s in GroupStatus.values
                if s in GROUP_TRANSITIONS[group.status]
            ],
            "can_see_rosters": policy.has_permission(request.user, Permission.ROSTER_VIEW),
        },
    )


@require_permission(Permission.AREA_MANAGE)
@require_http_methods(["GET", "POST"])
def group_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _check_manager(request)
    group = selectors.get_group(actor=request.user, pk=pk)
    form = GroupForm(
        request.POST or None,
        instance=group,
        initial={"version": group.version, "areas": list(group.areas.all())},
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.group_update(
                actor=request.user,
                group=form.save(commit=False),
                expected_version=form.cleaned_data.get("version"),
                areas=form.cleaned_data["areas"],
            )
        except services.StaleEdit:
            status = show_conflict(form, stored_version(group))
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("actiongroups:group_detail", pk=group.pk)
    return render(
        request,
        "actiongroups/edit.html",
        {
            "form": form,
            "title": _("Edit %(name)s") % {"name": group.name},
            "back_url": "actiongroups:group_detail",
            "back_pk": group.pk,
        },
        status=status,
    )


@require_permission(Permission.AREA_MANAGE)
@require_POST
def group_status(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _check_manager(request)
    group = selectors.get_group(actor=request.user, pk=pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.group_set_status(
                actor=request.user,
                group=group,
                status=form.cleaned_data["status"],
                expected_version=form.cleaned_data["version"],
            )
        except services.StaleEdit:
            messages.error(request, _STATUS_STALE)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The status was changed."))
    return redirect("actiongroups:group_detail", pk=group.pk)


@require_permission(Permission.AREA_MANAGE)
@require_http_methods(["GET", "POST"])
def positions_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _check_manager(request)
    group = selectors.get_group(actor=request.user, pk=pk)
    current = {p.agency_id: p.positions for p in selectors.group_positions(group=group)}
    agencies = list(selectors.agencies())
    form = PositionsForm(
        request.POST or None, agencies=agencies, current=current, initial={"version": group.version}
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.positions_set(
                actor=request.user,
                group=group,
                positions=form.positions(),
                expected_version=form.cleaned_data["version"],
            )
        except services.StaleEdit:
            status = show_conflict(form, stored_version(group))
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("actiongroups:group_detail", pk=group.pk)
    return render(
        request,
        "actiongroups/edit.html",
        {
            "form": form,
            "title": _("Positions per agency, %(name)s") % {"name": group.name},
            "intro": _(
                "How many of each agency's experts must be on duty at every moment "
                "the group is open."
            ),
            "back_url": "actiongroups:group_detail",
            "back_pk": group.pk,
        },
        status=status,
    )


@require_permission(Permission.AREA_MANAGE)
@require_http_methods(["GET", "POST"])
def premises_edit(request: AuthenticatedHttpRequest, pk: int, premises_pk: int | None = None) -> HttpResponse:
    _check_manager(request)
    group = selectors.get_group(actor=request.user, pk=pk)
    instance = (
        policy.get_or_404(group.premises.all(), pk=premises_pk)
        if premises_pk
        else Premises(group=group)
    )
    form = PremisesForm(
        request.POST or None, instance=instance, initial={"version": instance.version}
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.premises_save(
                actor=request.user,
                group=group,
                premises=form.save(commit=False),
                expected_version=form.cleaned_data.get("version"),
            )
        except services.StaleEdit:
            status = show_conflict(form, stored_version(instance))
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("actiongroups:group_detail", pk=group.pk)
    return render(
        request,
        "actiongroups/edit.html",
        {
            "form": form,
            "title": _("Premises, %(name)s") % {"name": group.name},
            "back_url": "actiongroups:group_detail",
            "back_pk": group.pk,
        },
        status=status,
    )


@require_permission(Permission.AREA_VIEW)
@require_GET
def outreach_board(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request, "actiongroups/board.html", {"board": selectors.outreach_board(actor=request.user)}
    )


def _outreach_page(
    request: AuthenticatedHttpRequest,
    pk: int,
    *,
    status_form: OutreachForm | None = None,
    contact_form: ContactForm | None = None,
    document_form: DocumentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    outreach = selectors.get_outreach(actor=request.user, pk=pk)
    can_manage = policy.can_manage_action_groups(actor=request.user)
    return render(
        request,
        "actiongroups/outreach_detail.html",
        {
            "outreach": outreach,
            "group": outreach.group,
            "can_manage": can_manage,
            "status_form": status_form
            or OutreachForm(
                initial={
                    "version": outreach.version,
                    "status": outreach.status,
                    "agreed_experts": outreach.agreed_experts,
                    "declined_reason": outreach.declined_reason,
                },
                prefix="s",
            ),
            "contact_form": contact_form or ContactForm(prefix="c"),
            "document_form": document_form or DocumentForm(prefix="d"),
            "max_mb": services.upload_max_bytes() / 1024 / 1024,
        },
        status=status,
    )


@require_permission(Permission.AREA_VIEW)
@require_GET
def outreach_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _outreach_page(request, pk)


@require_permission(Permission.AREA_MANAGE)
@require_POST
def outreach_update(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _check_manager(request)
    outreach = selectors.get_outreach(actor=request.user, pk=pk)
    form = OutreachForm(request.POST, prefix="s")
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.outreach_update(
                actor=request.user,
                outreach=outreach,
                status=d["status"],
                expected_version=d["version"],
                declined_reason=d["declined_reason"],
                agreed_experts=d["agreed_experts"],
            )
        except services.StaleEdit:
            return _outreach_page(
                request, pk, status_form=form, status=show_conflict(form, stored_version(outreach))
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("actiongroups:outreach_detail", pk=outreach.pk)
    return _outreach_page(request, pk, status_form=form, status=400)


@require_permission(Permission.AREA_MANAGE)
@require_POST
def outreach_contact(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _check_manager(request)
    outreach = selectors.get_outreach(actor=request.user, pk=pk)
    form = ContactForm(request.POST, prefix="c")
    if form.is_valid():
        d = form.cleaned_data
        services.contact_log(
            actor=request.user,
            outreach=outreach,
            contacted_on=d["contacted_on"],
            who=d["who"],
            channel=d["channel"],
            summary=d["summary"],
        )
        messages.success(request, _("The contact was logged."))
        return redirect("actiongroups:outreach_detail", pk=outreach.pk)
    return _outreach_page(request, pk, contact_form=form, status=400)


@require_permission(Permission.AREA_MANAGE)
@require_POST
def outreach_document(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _check_manager(request)
    outreach = selectors.get_outreach(actor=request.user, pk=pk)
    form = DocumentForm(request.POST, request.FILES, prefix="d")
    if form.is_valid():
        try:
            services.document_upload(
                actor=request.user,
                outreach=outreach,
                kind=form.cleaned_data["kind"],
                uploaded=form.cleaned_data["file"],
            )
        except services.UploadRefused as exc:
            form.add_error("file", str(exc))
        else:
            messages.success(request, _("The document was uploaded."))
            return redirect("actiongroups:outreach_detail", pk=outreach.pk)
    return _outreach_page(request, pk, document_form=form, status=400)


@require_permission(Permission.AREA_VIEW)
@require_GET
def document_download(request: AuthenticatedHttpRequest, pk: int, doc_pk: int) -> HttpResponse:
    document = selectors.get_document(actor=request.user, outreach_pk=pk, pk=doc_pk)
    services.document_opened(actor=request.user, document=document)
    response = HttpResponse(bytes(document.content), content_type=document.content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="document-{document.pk}.{document.filename.rsplit(".", 1)[-1]}"'
    )
    return response
