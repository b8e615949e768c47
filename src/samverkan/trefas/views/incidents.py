"""Incident response pages: the forum's incidents, registering one (its checklist is
generated), linking people, the incident's timeline with its checklist, and the system
administrators' checklist templates. Every forum page starts with forum_for_actor (404
for anyone who does not take part)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samverkan.access.guards import require_permission
from samverkan.access.permissions import Permission
from samverkan.accounts.http import AuthenticatedHttpRequest
from samverkan.lib.concurrency import CONFLICT_STATUS, STALE_KEPT, StaleEdit, show_conflict, stored_version
from samverkan.lib.form_errors import apply_validation_error
from samverkan.trefas.decision import TrefasAccess, TrefasAction
from samverkan.trefas.forms.incidents import ActionDoneForm, ChecklistTemplateForm, IncidentForm, LinkForm
from samverkan.trefas.models import ActionStatus, ChecklistTemplate, Forum, Incident
from samverkan.trefas.selectors import incidents as selectors
from samverkan.trefas.selectors.forums import forum_for_actor
from samverkan.trefas.services import actions as action_services
from samverkan.trefas.services import incidents as services


@require_GET
@require_permission(Permission.TREFAS_VIEW)
def incident_list(request: AuthenticatedHttpRequest, forum_id: int) -> HttpResponse:
    forum, access = forum_for_actor(request.user, forum_id)
    rows = selectors.incidents_for_forum(actor=request.user, access=access)
    return render(request, "trefas/incidents.html", {"forum": forum, "access": access, "rows": rows})


@require_http_methods(["GET", "POST"])
@require_permission(Permission.TREFAS_VIEW)
def incident_new(request: AuthenticatedHttpRequest, forum_id: int) -> HttpResponse:
    forum, access = forum_for_actor(request.user, forum_id)
    access.require(TrefasAction.REGISTER_INCIDENT)
    form = IncidentForm(request.POST or None, areas=forum.areas.order_by("name"))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            incident = services.incident_register(
                actor=request.user, access=access, forum=forum, kind=d["kind"], occurred_at=d["occurred_at"],
                place=d["place"], area=d["area"], description=d["description"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The incident is registered and its checklist sent to the organisations."))
            return redirect("trefas:incident", forum_id=forum.pk, incident_id=incident.pk)
    return render(request, "trefas/incident_new.html", {"forum": forum, "access": access, "form": form})


def _incident_page(request: AuthenticatedHttpRequest, forum: Forum, access: TrefasAccess, incident: Incident,
                   *, error: str = "", status: int = 200) -> HttpResponse:
    page = selectors.incident_page(actor=request.user, access=access, incident=incident)
    return render(request, "trefas/incident.html",
                  {"forum": forum, "access": access, "page": page, "error": error}, status=status)


@require_GET
@require_permission(Permission.TREFAS_VIEW)
def incident_detail(request: AuthenticatedHttpRequest, forum_id: int, incident_id: int) -> HttpResponse:
    forum, access = forum_for_actor(request.user, forum_id)
    incident = selectors.incident_for(access=access, incident_id=incident_id)
    return _incident_page(request, forum, access, incident)


@require_POST
@require_permission(Permission.TREFAS_VIEW)
def incident_action_done(request: AuthenticatedHttpRequest, forum_id: int, incident_id: int,
                         action_id: int) -> HttpResponse:
    forum, access = forum_for_actor(request.user, forum_id)
    incident = selectors.incident_for(access=access, incident_id=incident_id)
    action = selectors.incident_action_for(access=access, incident=incident, action_id=action_id)
    access.require(TrefasAction.UPDATE_ACTION, action)
    form = ActionDoneForm(request.POST)
    version = form.cleaned_data["version"] if form.is_valid() else None
    try:
        action_services.action_set_status(actor=request.user, access=access, action=action,
                                          status=ActionStatus.DONE, expected_version=version)
    except (StaleEdit, ValidationError):  # (changed meanwhile, or already done)
        return _incident_page(request, forum, access, incident, error=str(STALE_KEPT), status=CONFLICT_STATUS)
    messages.success(request, _("The action is marked done."))
    return redirect("trefas:incident", forum_id=forum.pk, incident_id=incident.pk)


@require_http_methods(["GET", "POST"])
@require_permission(Permission.TREFAS_VIEW)
def incident_link(request: AuthenticatedHttpRequest, forum_id: int, incident_id: int) -> HttpResponse:
    forum, access = forum_for_actor(request.user, forum_id)
    incident = selectors.incident_for(access=access, incident_id=incident_id)
    access.require(TrefasAction.REGISTER_INCIDENT)
    form = LinkForm(request.POST or None, listings=selectors.listing_choices(access=access))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        listing = selectors.listing_for(access=access, listing_id=d["listing"]) if d["listing"] else None
        try:
            services.incident_link(
                actor=request.user, access=access, incident=incident, role=d["role"], listing=listing,
                identity=d["identity"], first_name=d["first_name"], last_name=d["last_name"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The person is linked to the incident."))
            return redirect("trefas:incident", forum_id=forum.pk, incident_id=incident.pk)
    return render(request, "trefas/incident_link.html",
                  {"forum": forum, "access": access, "incident": incident, "form": form})


# --- Checklist templates (system administrators) --------------------------------------


@require_GET
@require_permission(Permission.TREFAS_FORUM_MANAGE)
def checklist_template_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    templates = list(selectors.checklist_templates(actor=request.user))
    return render(request, "trefas/checklist_templates.html", {"templates": templates})


@require_http_methods(["GET", "POST"])
@require_permission(Permission.TREFAS_FORUM_MANAGE)
def checklist_template_edit(request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
    instance = selectors.checklist_template(actor=request.user, pk=pk) if pk else ChecklistTemplate()
    form = ChecklistTemplateForm(request.POST or None, instance=instance,
                                 initial={"version": instance.version if pk else None})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.checklist_template_save(actor=request.user, instance=form.save(commit=False),
                                             expected_version=form.cleaned_data.get("version"))
        except StaleEdit:
            status = show_conflict(form, stored_version(instance))
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The checklist item is saved. It applies to incidents registered from now on."))
            return redirect("trefas:checklist_templates")
    return render(request, "trefas/checklist_template_edit.html",
                  {"form": form, "title": _("Edit checklist item") if pk else _("New checklist item")},
                  status=status)
