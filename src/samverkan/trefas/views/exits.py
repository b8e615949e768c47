"""The way out from the list (trefas:exit_new): a SIG intake, which only district social
services may register, or a referral to an exit programme."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from samverkan.access.guards import require_permission
from samverkan.access.permissions import Permission
from samverkan.accounts.http import AuthenticatedHttpRequest
from samverkan.cases import selectors as case_selectors
from samverkan.lib.form_errors import apply_validation_error
from samverkan.trefas.decision import TrefasAction
from samverkan.trefas.forms.exits import ReferralForm, SigIntakeForm
from samverkan.trefas.selectors.exits import exits_for_listing
from samverkan.trefas.selectors.forums import forum_for_actor
from samverkan.trefas.selectors.incidents import listing_for
from samverkan.trefas.services import exits as services


@require_http_methods(["GET", "POST"])
@require_permission(Permission.TREFAS_VIEW)
def exit_new(request: AuthenticatedHttpRequest, forum_id: int, listing_id: int) -> HttpResponse:
    forum, access = forum_for_actor(request.user, forum_id)
    listing = listing_for(access=access, listing_id=listing_id)
    access.require(TrefasAction.START_EXIT)
    can_intake = services.may_start_intake(actor=request.user)
    programmes = case_selectors.programmes_for_intake(actor=request.user)
    track = request.POST.get("track") if request.method == "POST" else None
    sig_form = SigIntakeForm(request.POST if track == "sig" else None, programmes=programmes) if can_intake else None
    referral_form = ReferralForm(request.POST if track == "programme" else None)
    status = 200
    if track == "sig" and sig_form is None:
        status = 403  # (the page says why)
    elif track == "sig" and sig_form is not None and sig_form.is_valid():
        try:
            link = services.exit_start_sig(actor=request.user, access=access, listing=listing,
                                           programme=sig_form.cleaned_data["programme"],
                                           intake_summary=sig_form.cleaned_data["intake_summary"])
        except ValidationError as exc:
            apply_validation_error(sig_form, exc)
        else:
            assert link.case is not None
            messages.success(request, _("The SIG intake is registered. Ask for the person's consent before "
                                        "anything is shared in the case."))
            return redirect("cases:detail", public_id=link.case.public_id)
    elif track == "programme" and referral_form.is_valid():
        try:
            services.exit_refer(actor=request.user, access=access, listing=listing,
                                programme_name=referral_form.cleaned_data["programme_name"],
                                note=referral_form.cleaned_data["note"])
        except ValidationError as exc:
            apply_validation_error(referral_form, exc)
        else:
            messages.success(request, _("The referral is recorded."))
            return redirect("trefas:exit_new", forum_id=forum.pk, listing_id=listing.pk)
    if request.method == "POST" and status == 200:
        status = 400
    person = listing.person
    return render(request, "trefas/exit_new.html", {
        "forum": forum, "access": access, "listing": listing,
        "name": person.full_name if access.sees_identity(listing, person) else _("Protected identity"),
        "sig_form": sig_form, "referral_form": referral_form,
        "exits": exits_for_listing(access=access, listing=listing),
    }, status=status)
