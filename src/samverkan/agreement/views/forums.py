"""The forums an agreement starts: a new forum, its page (sessions and decisions),
changing it, a new session, a new decision, marking a decision done or not done."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samverkan.access.guards import require_permission
from samverkan.access.permissions import Permission
from samverkan.accounts.http import AuthenticatedHttpRequest
from samverkan.agreement.forms.forums import DecisionForm, ForumForm, SessionForm
from samverkan.agreement.models import Agreement, AgreementStatus, CollaborationForum
from samverkan.agreement.selectors import forums as selectors
from samverkan.agreement.selectors.agreements import organisation_choices
from samverkan.agreement.services import forums as services
from samverkan.agreement.views.common import form_page, scoped
from samverkan.directory.models import Organisation
from samverkan.lib.concurrency import StaleEdit, stored_version
from samverkan.lib.form_errors import apply_validation_error
from samverkan.picture.decision import LocalAction


def _forum_url(agreement: Agreement, forum: CollaborationForum) -> str:
    return reverse("agreement:forum", args=[agreement.pk, forum.pk])


def _data(form: ForumForm, organisations: dict[int, Organisation]) -> services.ForumInput:
    d = form.cleaned_data
    return services.ForumInput(name=d["name"], purpose=d["purpose"],
                               parties=[organisations[pk] for pk in d["parties"]],
                               active=d["active"])


@require_permission(Permission.AGREEMENT_VIEW)
@require_http_methods(["GET", "POST"])
def forum_new(request: AuthenticatedHttpRequest, agreement_id: int) -> HttpResponse:
    access, agreement = scoped(request, agreement_id, manage=True)
    organisations = {o.pk: o for o in organisation_choices()}
    form = ForumForm(request.POST or None, initial={"active": True},
                     organisations=[(pk, o.name) for pk, o in organisations.items()])
    if request.method == "POST" and form.is_valid():
        try:
            forum = services.forum_create(actor=request.user, access=access, agreement=agreement,
                                          data=_data(form, organisations))
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The forum is started."))
            return redirect(_forum_url(agreement, forum))
    return form_page(request, access=access, agreement=agreement, heading=_("Start a forum"), form=form,
                     submit=_("Start the forum"), back=reverse("agreement:detail", args=[agreement.pk]))


@require_permission(Permission.AGREEMENT_VIEW)
@require_GET
def forum_detail(request: AuthenticatedHttpRequest, agreement_id: int, forum_id: int) -> HttpResponse:
    access, agreement = scoped(request, agreement_id)
    forum = selectors.forum_for(agreement=agreement, forum_id=forum_id)
    return render(request, "agreement/forum.html", {
        "access": access, "agreement": agreement, "forum": forum,
        "may_manage": access.may(LocalAction.MANAGE_AGREEMENT, agreement)
        and agreement.status != AgreementStatus.ENDED,
    })


@require_permission(Permission.AGREEMENT_VIEW)
@require_http_methods(["GET", "POST"])
def forum_edit(request: AuthenticatedHttpRequest, agreement_id: int, forum_id: int) -> HttpResponse:
    access, agreement = scoped(request, agreement_id, manage=True)
    forum = selectors.forum_for(agreement=agreement, forum_id=forum_id)
    organisations = {o.pk: o for o in organisation_choices()}
    initial = {"version": forum.version, "name": forum.name, "purpose": forum.purpose, "active": forum.active,
               "parties": [o.pk for o in forum.parties.all()]}
    form = ForumForm(request.POST or None, initial=initial,
                     organisations=[(pk, o.name) for pk, o in organisations.items()])
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.forum_update(actor=request.user, access=access, agreement=agreement, forum=forum,
                                  data=_data(form, organisations),
                                  expected_version=form.cleaned_data["version"])
        except StaleEdit:
            status = form.show_conflict(stored_version(forum))
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The forum is saved."))
            return redirect(_forum_url(agreement, forum))
    return form_page(request, access=access, agreement=agreement, heading=_("Change the forum"), form=form,
                     submit=_("Save"), back=_forum_url(agreement, forum), status=status)


@require_permission(Permission.AGREEMENT_VIEW)
@require_http_methods(["GET", "POST"])
def session_new(request: AuthenticatedHttpRequest, agreement_id: int, forum_id: int) -> HttpResponse:
    access, agreement = scoped(request, agreement_id, manage=True)
    forum = selectors.forum_for(agreement=agreement, forum_id=forum_id)
    organisations = {o.pk: o for o in forum.parties.all()}
    form = SessionForm(request.POST or None, organisations=[(pk, o.name) for pk, o in organisations.items()])
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.session_create(actor=request.user, access=access, agreement=agreement, forum=forum,
                                    held_on=d["held_on"], notes=d["notes"],
                                    participants=[organisations[pk] for pk in d["participants"]])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The meeting of the forum is recorded."))
            return redirect(_forum_url(agreement, forum))
    return form_page(request, access=access, agreement=agreement,
                     heading=_("Record a meeting of %(forum)s") % {"forum": forum.name}, form=form,
                     submit=_("Save"), back=_forum_url(agreement, forum))


@require_permission(Permission.AGREEMENT_VIEW)
@require_http_methods(["GET", "POST"])
def decision_new(request: AuthenticatedHttpRequest, agreement_id: int, forum_id: int,
                 session_id: int) -> HttpResponse:
    access, agreement = scoped(request, agreement_id, manage=True)
    forum = selectors.forum_for(agreement=agreement, forum_id=forum_id)
    session = selectors.session_for(forum=forum, session_id=session_id)
    organisations = {o.pk: o for o in forum.parties.all()}
    form = DecisionForm(request.POST or None, organisations=[(pk, o.name) for pk, o in organisations.items()])
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.decision_create(actor=request.user, access=access, agreement=agreement, session=session,
                                     text=d["text"], organisation=organisations.get(d["organisation"] or 0),
                                     due_on=d["due_on"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The decision is recorded."))
            return redirect(_forum_url(agreement, forum))
    return form_page(request, access=access, agreement=agreement,
                     heading=_("A decision of the meeting on %(day)s") % {"day": session.held_on.isoformat()},
                     form=form, submit=_("Save the decision"), back=_forum_url(agreement, forum))


@require_permission(Permission.AGREEMENT_VIEW)
@require_POST
def decision_done(request: AuthenticatedHttpRequest, agreement_id: int, forum_id: int,
                  decision_id: int) -> HttpResponse:
    access, agreement = scoped(request, agreement_id, manage=True)
    forum = selectors.forum_for(agreement=agreement, forum_id=forum_id)
    decision = selectors.decision_for(forum=forum, decision_id=decision_id)
    try:
        services.decision_set_done(actor=request.user, access=access, agreement=agreement, decision=decision,
                                   done=request.POST.get("done") == "1")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(_forum_url(agreement, forum))
