"""The lägesbild pages (/brottsforebyggande/lagesbild/): the list, a new version, the
document, its print page and PDF, the text sections, participants and the status
changes. HTTP only: selectors.situation reads (404 outside the scope), services.situation
changes (403 without MANAGE_DOCUMENT, only drafts, optimistic locking → 409 with the
input kept). Tables, problems and dialogues: views/situation_parts.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from samverkan.access.guards import require_permission
from samverkan.access.permissions import Permission
from samverkan.accounts.http import AuthenticatedHttpRequest
from samverkan.lib.concurrency import StaleEdit, stored_version
from samverkan.lib.form_errors import apply_validation_error
from samverkan.picture.decision import LocalAccess, LocalAction
from samverkan.picture.selectors.scope import local_access_for
from samverkan.prevention.forms.situation import (
    SECTION_LABELS,
    AgreeForm,
    DecideForm,
    DetailsForm,
    NewVersionForm,
    ParticipantsForm,
    SectionForm,
)
from samverkan.prevention.models import DocumentStatus, SituationReport
from samverkan.prevention.selectors import situation as selectors
from samverkan.prevention.services import situation as services
from samverkan.prevention.situation_pdf import situation_pdf

FORM_TEMPLATE = "prevention/situation_form.html"
NOT_DRAFT = gettext_lazy("Only a draft can be changed. Start a new version to change this situation report.")
# URL word -> text section (Swedish words in the address, the model's names inside)
SECTIONS = {"sammanfattning": "summary", "omfattning": "consequences", "ovrigt": "other_information",
            "analys": "analysis"}


# --- shared by the lägesbild's editing pages ------------------------------------------


def managed_report(request: AuthenticatedHttpRequest, report_id: int) -> tuple[SituationReport, LocalAccess]:
    """The document (404 outside the scope) and the person's access; 403 unless they may
    edit it. Whether it is still a draft is the service's to say."""
    access = local_access_for(request.user)
    report = selectors.report_for(access, report_id)
    access.require(LocalAction.MANAGE_DOCUMENT, report)
    return report, access


def edit_page(
    request: AuthenticatedHttpRequest,
    report: SituationReport,
    *,
    make_form: Callable[..., Form],
    initial: dict[str, Any],
    save: Callable[[dict[str, Any]], Any],
    title: str,
    done: str,
    template: str = FORM_TEMPLATE,
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """GET: the form with the document's version. POST: ``save(cleaned_data)``; its
    ValidationError shown on the form (400), a stale version answered 409 with the input
    kept. A version that is no longer a draft sends GETs back to the document."""
    status = 200
    if request.method == "POST":
        form = make_form(request.POST)
        status = 400
        if form.is_valid():
            try:
                save(form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            except StaleEdit:
                status = form.show_conflict(stored_version(report))  # type: ignore[attr-defined]
            else:
                messages.success(request, done)
                return redirect("prevention:situation", report_id=report.pk)
    else:
        if not report.editable:
            messages.info(request, NOT_DRAFT)
            return redirect("prevention:situation", report_id=report.pk)
        form = make_form(None, initial={"version": report.version, **initial})
    page = {"report": report, "form": form, "title": title, **(context or {})}
    return render(request, template, page, status=status)


# --- reading ------------------------------------------------------------------------------


@require_GET
@require_permission(Permission.PREVENTION_VIEW)
def situation_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    access = local_access_for(request.user)
    if not access.may(LocalAction.VIEW_DOCUMENTS):
        raise Http404
    return render(request, "prevention/situation_list.html", {
        "access": access, "groups": selectors.situation_list(access),
        "may_start": bool(selectors.scope_choices(access)),
    })


@require_GET
@require_permission(Permission.PREVENTION_VIEW)
def situation(request: AuthenticatedHttpRequest, report_id: int) -> HttpResponse:
    access = local_access_for(request.user)
    report = selectors.report_read(request.user, access, report_id)
    may_manage = access.may(LocalAction.MANAGE_DOCUMENT, report)
    return render(request, "prevention/situation.html", {
        "access": access, "report": report, "may_edit": may_manage and report.editable, "may_manage": may_manage,
        "may_decide": may_manage and report.status in (DocumentStatus.DRAFT, DocumentStatus.AGREED),
        "sections": [(slug, SECTION_LABELS[name][0], getattr(report, name)) for slug, name in SECTIONS.items()],
    })


@require_GET
@require_permission(Permission.PREVENTION_VIEW)
def situation_print(request: AuthenticatedHttpRequest, report_id: int) -> HttpResponse:
    access = local_access_for(request.user)
    report = selectors.report_read(request.user, access, report_id)
    return render(request, "prevention/situation_print.html", {"report": report})


@require_GET
@require_permission(Permission.PREVENTION_VIEW)
def situation_pdf_view(request: AuthenticatedHttpRequest, report_id: int) -> HttpResponse:
    access = local_access_for(request.user)
    report = selectors.report_read(request.user, access, report_id, export=True)
    response = HttpResponse(situation_pdf(report=report), content_type="application/pdf")
    # Ids only in the file name: it ends up in download folders and logs.
    response["Content-Disposition"] = f'attachment; filename="lagesbild-{report.pk}-v{report.number}.pdf"'
    return response


# --- a new version ---------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@require_permission(Permission.PREVENTION_MANAGE)
def situation_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    access = local_access_for(request.user)
    access.require(LocalAction.MANAGE_DOCUMENT)
    scopes = selectors.scope_choices(access)
    if not scopes:
        raise Http404
    by_key = {s.key: s for s in scopes}
    choices = [(s.key, s.label) for s in scopes]
    status = 200
    if request.method == "POST":
        form = NewVersionForm(request.POST, scopes=choices)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                report = services.create_version(
                    actor=request.user, access=access, scope=by_key[data["scope"]], title=data["title"],
                    period_start=data["period_start"], period_end=data["period_end"], copy=data["start"] == "copy")
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("The new version is started as a draft."))
                return redirect("prevention:situation", report_id=report.pk)
    else:
        form = NewVersionForm(scopes=choices)
    open_drafts = [(s, selectors.draft_of_scope(s.municipality, s.district_id)) for s in scopes]
    return render(request, "prevention/situation_new.html", {
        "form": form, "drafts": [(s, d) for s, d in open_drafts if d is not None]}, status=status)


# --- sections, details, participants ----------------------------------------------------------


@require_http_methods(["GET", "POST"])
@require_permission(Permission.PREVENTION_VIEW)
def situation_section(request: AuthenticatedHttpRequest, report_id: int, section: str) -> HttpResponse:
    name = SECTIONS.get(section)
    if name is None:
        raise Http404
    report, access = managed_report(request, report_id)
    return edit_page(
        request, report,
        make_form=lambda data, **kw: SectionForm(data, section=name, **kw),
        initial={"text": getattr(report, name)},
        save=lambda d: services.update_section(actor=request.user, access=access, report=report, section=name,
                                               text=d["text"], version=d["version"]),
        title=str(SECTION_LABELS[name][0]), done=_("The section is saved."),
    )


@require_http_methods(["GET", "POST"])
@require_permission(Permission.PREVENTION_VIEW)
def situation_details(request: AuthenticatedHttpRequest, report_id: int) -> HttpResponse:
    report, access = managed_report(request, report_id)
    return edit_page(
        request, report, make_form=lambda data, **kw: DetailsForm(data, **kw),
        initial={"title": report.title, "period_start": report.period_start, "period_end": report.period_end},
        save=lambda d: services.update_details(actor=request.user, access=access, report=report, title=d["title"],
                                               period_start=d["period_start"], period_end=d["period_end"],
                                               version=d["version"]),
        title=_("Title and period"), done=_("The title and period are saved."),
    )


@require_http_methods(["GET", "POST"])
@require_permission(Permission.PREVENTION_VIEW)
def situation_participants(request: AuthenticatedHttpRequest, report_id: int) -> HttpResponse:
    """The organisations as checkboxes; a search (``?q=``, no JavaScript needed) narrows
    the list to matching names, and the ticked ones are always shown, so a search never
    unticks anyone."""
    report, access = managed_report(request, report_id)
    organisations = selectors.organisation_choices()
    chosen = list(report.participants.values_list("pk", flat=True))
    query = request.GET.get("q", "").strip()[:100] if request.method == "GET" else ""
    shown = organisations
    if query:
        ticked = set(chosen)
        shown = [(pk, name) for pk, name in organisations if pk in ticked or query.casefold() in name.casefold()]
    return edit_page(
        request, report, make_form=lambda data, **kw: ParticipantsForm(
            data, organisations=organisations if data is not None else shown, **kw),
        initial={"organisations": chosen},
        save=lambda d: services.set_participants(actor=request.user, access=access, report=report,
                                                 organisation_ids=d["organisations"], version=d["version"]),
        title=_("Organisations that took part"), done=_("The organisations that took part are saved."),
        template="prevention/situation_participants.html", context={"query": query},
    )


# --- status ----------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@require_permission(Permission.PREVENTION_VIEW)
def situation_agree(request: AuthenticatedHttpRequest, report_id: int) -> HttpResponse:
    report, access = managed_report(request, report_id)
    return edit_page(
        request, report, make_form=lambda data, **kw: AgreeForm(data, **kw),
        initial={"agreed_on": timezone.localdate()},
        save=lambda d: services.mark_agreed(actor=request.user, access=access, report=report,
                                            agreed_on=d["agreed_on"], version=d["version"]),
        title=_("Mark as agreed by the parties"), done=_("The situation report is marked as agreed."),
        template="prevention/situation_status.html", context={"step": "agree"},
    )


@require_http_methods(["GET", "POST"])
@require_permission(Permission.PREVENTION_VIEW)
def situation_decide(request: AuthenticatedHttpRequest, report_id: int) -> HttpResponse:
    report, access = managed_report(request, report_id)
    if request.method == "GET" and report.status not in (DocumentStatus.DRAFT, DocumentStatus.AGREED):
        messages.info(request, _("This version is already decided or replaced."))
        return redirect("prevention:situation", report_id=report.pk)
    return _decide_page(request, report, access)


def _decide_page(request: AuthenticatedHttpRequest, report: SituationReport, access: LocalAccess) -> HttpResponse:
    status = 200
    if request.method == "POST":
        form = DecideForm(request.POST)
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.decide(actor=request.user, access=access, report=report, body=d["body"],
                                decided_on=d["decided_on"], reference=d["reference"], version=d["version"])
            except ValidationError as exc:
                apply_validation_error(form, exc)
            except StaleEdit:
                status = form.show_conflict(stored_version(report))
            else:
                messages.success(request, _("The decision is recorded. This version can no longer be changed."))
                return redirect("prevention:situation", report_id=report.pk)
    else:
        form = DecideForm(initial={"version": report.version, "decided_on": timezone.localdate()})
    return render(request, "prevention/situation_status.html", {
        "report": report, "form": form, "title": _("Record the decision"), "step": "decide",
        "replaces": list(selectors.replaced_by_deciding(report)),
    }, status=status)
