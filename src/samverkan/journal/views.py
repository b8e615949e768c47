"""Journal notes of a case: read (through the sharing rules), write, edit own drafts
with optimistic locking, sign, and correct signed notes (a new note; the old stays)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samverkan.access.guards import require_permission
from samverkan.access.permissions import Permission
from samverkan.accounts.http import AuthenticatedHttpRequest
from samverkan.caseaccess import CaseAction
from samverkan.caseaccess.decision import CaseAccess
from samverkan.caseaccess.selectors import case_for_actor
from samverkan.cases import selectors as case_selectors
from samverkan.cases.models import Case, InformationCategory
from samverkan.frontend.confirm import confirm_page, confirmed, going_back
from samverkan.journal import selectors, services
from samverkan.journal.forms import NoteFilterForm, NoteForm
from samverkan.journal.models import JournalNote
from samverkan.lib.concurrency import show_conflict
from samverkan.lib.form_errors import apply_validation_error
from samverkan.lib.params import page_number


def _context(
    request: AuthenticatedHttpRequest, case: Case, access: CaseAccess, **extra: Any
) -> dict[str, Any]:
    return {
        "case": case,
        "access": access,
        "person": case_selectors.person_view(case=case, access=access),
        "can_write": access.may(CaseAction.WRITE_NOTE),
        **extra,
    }


def _sign_confirmation(
    request: AuthenticatedHttpRequest,
    case: Case,
    access: CaseAccess,
    *,
    category: str,
    occurred_on: Any,
    text: str,
    from_form: bool,
) -> HttpResponse:
    """The confirmation page before a note is signed (from the list, or from the form that
    saves and signs: then it can take the text back to the form)."""
    return confirm_page(
        request,
        heading=_("Sign the note?"),
        consequence=_(
            "The note is signed in your name and becomes part of the case's journal, readable by "
            "those it is shared with."
        ),
        irreversible=_(
            "A signed note cannot be changed or removed. A mistake is corrected with a new note."
        ),
        submit=_("Yes, sign the note"),
        back_label=_("No, go back and change it") if from_form else "",
        cancel_url=reverse("journal:notes", args=[case.public_id]),
        details=[
            (_("Category"), category),
            (_("Date"), occurred_on.isoformat() if occurred_on else "–"),
            (_("Text"), text),
        ],
        header="cases/_case_header.html",
        context=_context(request, case, access),
    )


def _form_sign_confirmation(
    request: AuthenticatedHttpRequest, case: Case, access: CaseAccess, form: NoteForm
) -> HttpResponse | None:
    """For a valid note form sent with "Sign": the confirmation page until it is confirmed."""
    if request.POST.get("action") != "sign" or confirmed(request):
        return None
    d = form.cleaned_data
    return _sign_confirmation(
        request, case, access, category=str(InformationCategory(d["category"]).label),
        occurred_on=d["occurred_on"], text=d["text"], from_form=True,
    )


@require_permission(Permission.CASE_VIEW)
@require_GET
def notes(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    case, access = case_for_actor(actor=request.user, public_id=public_id)
    result = selectors.notes_page(
        actor=request.user,
        case=case,
        access=access,
        category=request.GET.get("category", ""),
        page=page_number(request.GET.get("page")),
    )
    return render(
        request,
        "journal/notes.html",
        _context(
            request,
            case,
            access,
            result=result,
            filter_form=NoteFilterForm(initial={"category": result.category}),
        ),
    )


@require_permission(Permission.CASE_NOTE_WRITE)
@require_http_methods(["GET", "POST"])
def note_new(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    case, access = case_for_actor(actor=request.user, public_id=public_id)
    access.require(CaseAction.WRITE_NOTE)
    form = NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and not going_back(request):
        if (confirmation := _form_sign_confirmation(request, case, access, form)) is not None:
            return confirmation
        d = form.cleaned_data
        sign = request.POST.get("action") == "sign"
        try:
            services.note_create(
                actor=request.user,
                case=case,
                access=access,
                category=d["category"],
                occurred_on=d["occurred_on"],
                text=d["text"],
                sign=sign,
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request, _("The note is signed.") if sign else _("The draft is saved.")
            )
            return redirect("journal:notes", public_id=case.public_id)
    return render(
        request,
        "journal/note_form.html",
        _context(
            request,
            case,
            access,
            form=form,
            heading=_("Write a note"),
        ),
    )


def _draft_for_author(
    request: AuthenticatedHttpRequest, case: Case, access: CaseAccess, note_id: UUID
) -> JournalNote:
    note = selectors.note_for_actor(case=case, access=access, public_id=note_id)
    if note.author_id != request.user.pk or note.signed_at is not None:
        raise PermissionDenied
    return note


@require_permission(Permission.CASE_NOTE_WRITE)
@require_http_methods(["GET", "POST"])
def note_edit(request: AuthenticatedHttpRequest, public_id: UUID, note_id: UUID) -> HttpResponse:
    """Edit one's own draft. The form carries the version it was loaded at; if the draft
    changed since (another tab), nothing is overwritten: the page says so, keeps the
    text just typed in the form and shows the saved text beside it."""
    case, access = case_for_actor(actor=request.user, public_id=public_id)
    access.require(CaseAction.WRITE_NOTE)
    note = _draft_for_author(request, case, access, note_id)
    conflict: JournalNote | None = None
    status = 200
    if request.method == "POST":
        form = NoteForm(request.POST)
        if form.is_valid() and not going_back(request):
            if (confirmation := _form_sign_confirmation(request, case, access, form)) is not None:
                return confirmation
            d = form.cleaned_data
            try:
                note = services.note_update_draft(
                    actor=request.user,
                    case=case,
                    access=access,
                    note=note,
                    expected_version=d["version"] or 0,
                    text=d["text"],
                    category=d["category"],
                    occurred_on=d["occurred_on"],
                )
                if request.POST.get("action") == "sign":
                    services.note_sign(actor=request.user, case=case, access=access, note=note)
            except services.StaleEdit:
                conflict = selectors.note_for_actor(case=case, access=access, public_id=note_id)
                status = show_conflict(
                    form,
                    conflict.version,
                    message=_(
                        "The draft was changed in another window after you opened it. Your "
                        "text is kept below; compare it with the saved version and save again."
                    ),
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                signed = request.POST.get("action") == "sign"
                messages.success(
                    request, _("The note is signed.") if signed else _("The draft is saved.")
                )
                return redirect("journal:notes", public_id=case.public_id)
    else:
        form = NoteForm(
            initial={
                "category": note.category,
                "occurred_on": note.occurred_on,
                "text": note.text,
                "version": note.version,
            }
        )
    return render(
        request,
        "journal/note_form.html",
        _context(
            request,
            case,
            access,
            form=form,
            note=note,
            conflict=conflict,
            heading=_("Edit the draft"),
        ),
        status=status,
    )


@require_permission(Permission.CASE_NOTE_WRITE)
@require_POST
def note_sign(request: AuthenticatedHttpRequest, public_id: UUID, note_id: UUID) -> HttpResponse:
    case, access = case_for_actor(actor=request.user, public_id=public_id)
    note = _draft_for_author(request, case, access, note_id)
    if not confirmed(request):
        return _sign_confirmation(
            request, case, access, category=note.get_category_display(),
            occurred_on=note.occurred_on, text=note.text, from_form=False,
        )
    try:
        services.note_sign(actor=request.user, case=case, access=access, note=note)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The note is signed."))
    return redirect("journal:notes", public_id=case.public_id)


@require_permission(Permission.CASE_NOTE_WRITE)
@require_http_methods(["GET", "POST"])
def note_correct(request: AuthenticatedHttpRequest, public_id: UUID, note_id: UUID) -> HttpResponse:
    """Correct a signed note of one's own organisation: a new note that references the
    old one. The old note stays as it was and is shown as corrected."""
    case, access = case_for_actor(actor=request.user, public_id=public_id)
    access.require(CaseAction.WRITE_NOTE)
    original = selectors.note_for_actor(case=case, access=access, public_id=note_id)
    if original.signed_at is None:
        raise PermissionDenied
    access.require(CaseAction.WRITE_NOTE, original)  # a note of one's own organisation
    form = NoteForm(
        request.POST or None,
        initial={
            "category": original.category,
            "occurred_on": original.occurred_on,
            "text": original.text,
        },
    )
    if request.method == "POST" and form.is_valid() and not going_back(request):
        if (confirmation := _form_sign_confirmation(request, case, access, form)) is not None:
            return confirmation
        d = form.cleaned_data
        sign = request.POST.get("action") == "sign"
        try:
            services.note_create(
                actor=request.user,
                case=case,
                access=access,
                category=d["category"],
                occurred_on=d["occurred_on"],
                text=d["text"],
                sign=sign,
                corrects=original,
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request,
                _("The correction is saved. The original note is kept and marked as corrected."),
            )
            return redirect("journal:notes", public_id=case.public_id)
    return render(
        request,
        "journal/note_form.html",
        _context(
            request,
            case,
            access,
            form=form,
            original=original,
            heading=_("Correct a signed note"),
        ),
    )
