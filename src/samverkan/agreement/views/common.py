"""What the agreement's pages share: the person's area scope and the agreement fetched
through it (404 outside it), and the shared page templates for a form, for a
confirmation with a form (signing) and for the confirmation before a removal."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from samverkan.accounts.http import AuthenticatedHttpRequest
from samverkan.agreement.models import Agreement, AgreementStatus
from samverkan.agreement.selectors.agreements import agreement_for
from samverkan.frontend.confirm import confirm_page as confirm_step
from samverkan.picture.decision import LocalAccess, LocalAction
from samverkan.picture.selectors.scope import local_access_for


def scoped(request: AuthenticatedHttpRequest, agreement_id: int, *,
           manage: bool = False) -> tuple[LocalAccess, Agreement]:
    """The person's scope and the agreement (404 outside it; 403 with ``manage`` for
    someone who may read it but not manage it)."""
    access = local_access_for(request.user)
    agreement = agreement_for(access=access, agreement_id=agreement_id)
    if manage:
        access.require(LocalAction.MANAGE_AGREEMENT, agreement)
    return access, agreement


def form_page(request: AuthenticatedHttpRequest, *, access: LocalAccess, agreement: Agreement | None,
              heading: str, form: Any, submit: str, back: str, status: int = 200, intro: str = "",
              current: Any = None) -> HttpResponse:
    return render(request, "agreement/form.html", {
        "access": access, "agreement": agreement, "heading": heading, "form": form, "submit": submit,
        "back": back, "intro": intro, "current": current,
    }, status=status)


def confirm_page(request: AuthenticatedHttpRequest, *, access: LocalAccess, agreement: Agreement, heading: str,
                 warning: str, form: Any, submit: str, back: str, status: int = 200,
                 summary: list[str] | None = None) -> HttpResponse:
    return render(request, "agreement/confirm.html", {
        "access": access, "agreement": agreement, "heading": heading, "warning": warning, "form": form,
        "submit": submit, "back": back, "summary": summary or [],
    }, status=status)


def confirm_removal(request: AuthenticatedHttpRequest, *, agreement: Agreement, heading: str, consequence: str,
                    submit: str, back: str, details: list[tuple[str, str]]) -> HttpResponse:
    """The confirmation step (frontend.confirm) before something is removed from a draft:
    it commits nothing; the view removes on the POST sent from it."""
    return confirm_step(
        request, heading=heading, consequence=consequence,
        irreversible=_("The removal cannot be undone. To have it back, add it to the draft again; the "
                       "agreement's history keeps the removal."),
        submit=submit, destructive=True, cancel_url=back,
        details=[(_("Agreement"), agreement.title), *details],
    )


def unless_draft(request: AuthenticatedHttpRequest, agreement: Agreement) -> HttpResponse | None:
    """A page that changes the agreement's text sends back to the agreement once it is
    signed (the services refuse such a change anyway)."""
    if agreement.status == AgreementStatus.DRAFT:
        return None
    messages.info(request, _("The agreement is signed: its text can no longer be changed."))
    return redirect(reverse("agreement:detail", args=[agreement.pk]))
