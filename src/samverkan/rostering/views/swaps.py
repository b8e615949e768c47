"""Shift swaps: asking for one, the list of swaps, and the agency's decision.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samverkan.access import policy
from samverkan.access.guards import verified_user
from samverkan.accounts.http import AuthenticatedHttpRequest
from samverkan.frontend.confirm import confirm_page, confirmed
from samverkan.rostering import selectors
from samverkan.rostering.forms import (
    SwapForm,
)
from samverkan.rostering.models import SwapRequest, SwapStatus
from samverkan.rostering.services import swaps as swap_services
from samverkan.rostering.services.common import RosterRefused, StaleEdit
from samverkan.rostering.views.common import _calendar_expert

_SWAP_STALE = gettext_lazy(
    "Someone else decided on this swap or changed it meanwhile. Nothing was changed: check the "
    "list as it is now."
)

@verified_user
@require_http_methods(["GET", "POST"])
def swap_create(request: AuthenticatedHttpRequest, pk: int, shift_id: str) -> HttpResponse:
    """Ask to hand over (or exchange) one of an expert's shifts in the roster in force."""
    expert = _calendar_expert(request, pk)
    shift = next(
        (a for a in selectors.expert_calendar(expert=expert, days=70) if a.shift_id == shift_id),
        None,
    )
    if shift is None:
        raise Http404
    partners = selectors.colleagues(expert=expert)
    version = shift.version
    theirs = [
        a
        for a in selectors.version_assignments(actor=request.user, version=version)
        if a.expert_id in {p.pk for p in partners} and a.starts_at > timezone.now()
    ][:300]
    choices = [
        (
            a.shift_id,
            f"{timezone.localtime(a.starts_at):%Y-%m-%d %H:%M} {a.shift_code} – "
            f"{a.expert.display_name}",
        )
        for a in theirs
    ]
    form = SwapForm(request.POST or None, colleagues=partners, return_choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            swap = swap_services.swap_request(
                actor=request.user,
                version=version,
                shift_id=shift_id,
                from_expert=expert,
                to_expert=form.cleaned_data["to_expert"],
                return_shift_id=form.cleaned_data["return_shift_id"] or "",
            )
        except (ValidationError, RosterRefused) as exc:
            form.add_error(None, exc.messages[0] if isinstance(exc, ValidationError) else str(exc))
        else:
            if swap.violations:
                messages.error(
                    request,
                    _(
                        "The swap was asked for, but it would break working-time rules; it "
                        "cannot be approved as it is."
                    ),
                )
            else:
                messages.success(request, _("The swap was asked for. The agency approves it."))
            return redirect("rostering:swap_list")
    return render(
        request, "rostering/swap_form.html", {"form": form, "expert": expert, "shift": shift}
    )


@verified_user
@require_GET
def swap_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    swaps = list(selectors.swaps_visible_to(actor=request.user)[:200])
    return render(
        request,
        "rostering/swap_list.html",
        {
            "swaps": [
                (
                    s,
                    policy.can_manage_experts_of(
                        actor=request.user, agency_id=s.from_expert.agency_id
                    ),
                )
                for s in swaps
            ],
        },
    )


def _decide_confirmation(request: AuthenticatedHttpRequest, swap: SwapRequest, *, approve: bool) -> HttpResponse:
    """The page between the click on Approve or Reject and the decision, which is final."""
    names = {
        "from": swap.from_expert.display_name,
        "to": swap.to_expert.display_name,
        "shift": swap.shift_id,
    }
    if not approve:
        return confirm_page(
            request,
            heading=_("Reject the swap?"),
            consequence=_(
                "%(from)s keeps the shift %(shift)s; %(to)s does not take it over. The roster is "
                "not changed."
            )
            % names,
            irreversible=_(
                "A rejection cannot be undone: this request cannot be decided again. To swap after "
                "all, someone has to ask anew."
            ),
            submit=_("Yes, reject the swap"),
            destructive=True,
            cancel_url=reverse("rostering:swap_list"),
        )
    return confirm_page(
        request,
        heading=_("Approve the swap?"),
        consequence=_(
            "A new version of the roster is published at once with the swap: %(from)s hands "
            "over the shift %(shift)s to %(to)s, and both see it in their calendars."
        )
        % names,
        irreversible=_(
            "A published version cannot be changed or taken back. Later changes need a new "
            "version."
        ),
        submit=_("Yes, approve and publish"),
        cancel_url=reverse("rostering:swap_list"),
    )


@verified_user
@require_POST
def swap_decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    swap = selectors.get_swap(actor=request.user, pk=pk)
    approve = request.POST.get("decision") == "approve"
    if (
        swap.status == SwapStatus.REQUESTED
        and policy.can_manage_experts_of(actor=request.user, agency_id=swap.from_expert.agency_id)
        and not confirmed(request)
    ):
        return _decide_confirmation(request, swap, approve=approve)
    try:
        expected = int(request.POST.get("version_lock", "0"))
        swap_services.swap_decide(
            actor=request.user, swap=swap, approve=approve, expected_version=expected
        )
    except (ValueError, StaleEdit):
        messages.error(request, _SWAP_STALE)
    except RosterRefused as exc:
        details = "; ".join(v["message"] for v in exc.violations[:5])
        messages.error(request, f"{exc} {details}".strip())
    else:
        messages.success(
            request,
            _("The swap was approved and a new roster version published.")
            if approve
            else _("The swap was rejected."),
        )
    return redirect("rostering:swap_list")

