"""A party's commitments: adding one (draft), changing it (the whole commitment in a
draft; status and evidence once signed), removing one (draft)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from samverkan.access.guards import require_permission
from samverkan.access.permissions import Permission
from samverkan.accounts.http import AuthenticatedHttpRequest
from samverkan.agreement.forms.commitments import CommitmentForm, CommitmentStatusForm
from samverkan.agreement.forms.common import VersionForm
from samverkan.agreement.models import Agreement, AgreementStatus, Commitment
from samverkan.agreement.selectors.commitments import commitment_for
from samverkan.agreement.services import commitments as services
from samverkan.agreement.views.common import confirm_removal, form_page, scoped, unless_draft
from samverkan.frontend.confirm import confirmed
from samverkan.lib.concurrency import StaleEdit, stored_version
from samverkan.lib.form_errors import apply_validation_error
from samverkan.prevention.models import Problem


def _detail(agreement: Agreement) -> str:
    return reverse("agreement:detail", args=[agreement.pk]) + "#commitments"


def _full_form(agreement: Agreement, data: object, initial: dict[str, object]) -> tuple[CommitmentForm,
                                                                                       dict[int, Problem]]:
    problems = {p.pk: p for p in agreement.problems.order_by("priority", "pk")}
    form = CommitmentForm(
        data, initial=initial,
        parties=[(p.organisation_id, p.organisation.name) for p in agreement.parties.all()],
        problems=[(pk, p.title) for pk, p in problems.items()],
    )
    return form, problems


def _text(form: CommitmentForm, problems: dict[int, Problem]) -> services.CommitmentText:
    d = form.cleaned_data
    return services.CommitmentText(organisation_id=d["organisation"], problem=problems.get(d["problem"] or 0),
                                   text=d["text"], due_on=d["due_on"])


@require_permission(Permission.AGREEMENT_VIEW)
@require_http_methods(["GET", "POST"])
def commitment_new(request: AuthenticatedHttpRequest, agreement_id: int) -> HttpResponse:
    access, agreement = scoped(request, agreement_id, manage=True)
    if (back := unless_draft(request, agreement)) is not None:
        return back
    form, problems = _full_form(agreement, request.POST or None, initial={})
    if request.method == "POST" and form.is_valid():
        try:
            services.commitment_create(actor=request.user, access=access, agreement=agreement,
                                       data=_text(form, problems), status=form.cleaned_data["status"],
                                       evidence=form.cleaned_data["evidence"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The commitment is added."))
            return redirect(_detail(agreement))
    return form_page(request, access=access, agreement=agreement, heading=_("Add a commitment"), form=form,
                     submit=_("Add the commitment"), back=_detail(agreement))


@require_permission(Permission.AGREEMENT_VIEW)
@require_http_methods(["GET", "POST"])
def commitment_edit(request: AuthenticatedHttpRequest, agreement_id: int, commitment_id: int) -> HttpResponse:
    access, agreement = scoped(request, agreement_id, manage=True)
    commitment: Commitment = commitment_for(agreement=agreement, commitment_id=commitment_id)
    initial: dict[str, object] = {
        "version": commitment.version, "status": commitment.status, "evidence": commitment.evidence,
        "organisation": commitment.organisation_id, "text": commitment.text, "problem": commitment.problem_id,
        "due_on": commitment.due_on,
    }
    draft = agreement.status == AgreementStatus.DRAFT
    form: CommitmentStatusForm
    problems: dict[int, Problem] = {}
    if draft:
        form, problems = _full_form(agreement, request.POST or None, initial)
    else:
        form = CommitmentStatusForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.commitment_update(
                actor=request.user, access=access, agreement=agreement, commitment=commitment,
                data=_text(form, problems) if isinstance(form, CommitmentForm) else None,
                status=d["status"], evidence=d["evidence"], expected_version=d["version"])
        except StaleEdit:
            status = form.show_conflict(stored_version(commitment))
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The commitment is saved."))
            return redirect(_detail(agreement))
    intro = "" if draft else f"{commitment.organisation.name}: {commitment.text}"
    return form_page(request, access=access, agreement=agreement, heading=_("Change the commitment"), form=form,
                     submit=_("Save"), back=_detail(agreement), status=status, intro=intro)


@require_permission(Permission.AGREEMENT_VIEW)
@require_POST
def commitment_remove(request: AuthenticatedHttpRequest, agreement_id: int, commitment_id: int) -> HttpResponse:
    access, agreement = scoped(request, agreement_id, manage=True)
    commitment = commitment_for(agreement=agreement, commitment_id=commitment_id)
    form = VersionForm(request.POST)
    if form.is_valid() and not confirmed(request):
        if (back := unless_draft(request, agreement)) is not None:
            return back
        organisation = commitment.organisation.name
        return confirm_removal(
            request, agreement=agreement, heading=_("Remove the commitment?"),
            consequence=_("The commitment of %(organisation)s is taken out of the draft now, with its due date "
                          "and status.") % {"organisation": organisation},
            submit=_("Yes, remove the commitment"), back=_detail(agreement),
            details=[(_("Party"), organisation), (_("Commitment"), commitment.text),
                     (_("Due"), commitment.due_on.isoformat() if commitment.due_on else "–")],
        )
    try:
        services.commitment_remove(actor=request.user, access=access, agreement=agreement, commitment=commitment,
                                   expected_version=form.cleaned_data["version"] if form.is_valid() else None)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The commitment is removed."))
    return redirect(_detail(agreement))
