"""Shares pages: propose a share about a listed person or a group, the jurist's queue with
the decisions, the own organisation's shares (withdraw), the shares received. HTTP only:
the forum decision (forum_for_actor, TrefasAccess) and the selectors and services of
trefas.shares do the rest."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from samverkan.access.guards import require_permission
from samverkan.access.permissions import Permission
from samverkan.accounts.http import AuthenticatedHttpRequest
from samverkan.frontend.confirm import confirm_page, confirmed
from samverkan.lib.concurrency import CONFLICT_STATUS, StaleEdit, show_conflict, stored_version
from samverkan.lib.form_errors import apply_validation_error
from samverkan.trefas.decision import TrefasAccess, TrefasAction
from samverkan.trefas.forms.shares import DecisionForm, ShareForm, WithdrawForm
from samverkan.trefas.models import Forum, Group, Listing, Share, ShareState
from samverkan.trefas.selectors import shares as selectors
from samverkan.trefas.selectors.forums import forum_for_actor
from samverkan.trefas.services import shares as services


def _decided_message(state: str) -> str:
    return _(
        "Someone else got there first: the share is now “%(state)s”. Nothing was saved; "
        "what you wrote is still in the form."
    ) % {"state": ShareState(state).label}


def _propose(
    request: AuthenticatedHttpRequest, forum: Forum, access: TrefasAccess, *,
    listing: Listing | None, group: Group | None, about: str,
) -> HttpResponse:
    access.require(TrefasAction.PROPOSE_SHARE)
    form = ShareForm(
        request.POST or None,
        bases=selectors.share_bases(),
        recipients=selectors.share_recipients(access=access),
        group=group is not None,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                share = services.share_propose(
                    actor=request.user, access=access, forum=forum, listing=listing, group=group,
                    topic=data["topic"], text=data["text"], basis=data["basis"],
                    balancing_test=data["balancing_test"], recipients=list(data["recipients"]),
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                if share.state == ShareState.NO_REVIEW:
                    messages.success(request, _(
                        "The share is visible to the receivers now (its basis needs no review) "
                        "and recorded in the disclosure register."))
                else:
                    messages.success(request, _("The share waits for your organisation's jurist."))
                return redirect("trefas:shares", forum_id=forum.pk)
        status = 400
    return render(
        request, "trefas/share_form.html",
        {"forum": forum, "access": access, "form": form, "about": about, "group": group, "listing": listing},
        status=status,
    )


@require_permission(Permission.TREFAS_SHARE_PROPOSE)
@require_http_methods(["GET", "POST"])
def share_new(request: AuthenticatedHttpRequest, forum_id: int, listing_id: int) -> HttpResponse:
    """Propose a share about a person on the list."""
    forum, access = forum_for_actor(request.user, forum_id)
    access.require(TrefasAction.PROPOSE_SHARE)
    listing, about = selectors.listing_for_share(actor=request.user, access=access, listing_id=listing_id)
    return _propose(request, forum, access, listing=listing, group=None, about=about)


@require_permission(Permission.TREFAS_SHARE_PROPOSE)
@require_http_methods(["GET", "POST"])
def group_share_new(request: AuthenticatedHttpRequest, forum_id: int, group_id: int) -> HttpResponse:
    """Propose a share about a group: its owner (the police) only."""
    forum, access = forum_for_actor(request.user, forum_id)
    access.require(TrefasAction.PROPOSE_SHARE)
    group = selectors.group_for_share(access=access, group_id=group_id)
    if not access.owns(group):
        raise PermissionDenied
    return _propose(request, forum, access, listing=None, group=group, about=group.name)


def _shares_page(
    request: AuthenticatedHttpRequest, forum: Forum, access: TrefasAccess, *,
    bound: dict[int, DecisionForm] | None = None, status: int = 200, conflict: Share | None = None,
) -> HttpResponse:
    page = selectors.shares_page(actor=request.user, access=access, forum=forum)
    bound = bound or {}
    queue = [
        (row, bound.get(row.share.pk) or DecisionForm(initial={"version": row.share.version}))
        for row in page.queue
    ]
    in_queue = {row.share.pk for row in page.queue}
    lost = None
    if conflict is not None and conflict.pk not in in_queue:
        lost = (selectors.share_row(access=access, share=conflict), bound[conflict.pk])
    return render(
        request, "trefas/shares.html",
        {"forum": forum, "access": access, "page": page, "queue": queue, "lost": lost},
        status=status,
    )


@require_permission(Permission.TREFAS_VIEW)
@require_http_methods(["GET"])
def shares(request: AuthenticatedHttpRequest, forum_id: int) -> HttpResponse:
    """The jurist's queue (for a jurist), the own organisation's shares, the shares received."""
    forum, access = forum_for_actor(request.user, forum_id)
    return _shares_page(request, forum, access)


def _decide_confirmation(request: AuthenticatedHttpRequest, forum: Forum, share: Share, *, approve: bool,
                         reason: str) -> HttpResponse:
    """The page between the jurist's choice and the decision: who will see what, and that
    the decision is final."""
    receivers = ", ".join(o.name for o in share.recipients.all())
    return confirm_page(
        request,
        heading=_("Approve the share?") if approve else _("Refuse the share?"),
        consequence=_("%(receivers)s see what is shared from now on. The decision is recorded in your "
                      "disclosure register.") % {"receivers": receivers}
        if approve
        else _("The proposal is refused and nothing is shared. The refusal is recorded in your disclosure "
               "register."),
        irreversible=_("The decision cannot be changed. What the receivers have read cannot be taken back; "
                       "withdrawing the share later only stops further reading.")
        if approve
        else _("The decision cannot be changed: the proposal cannot be decided again."),
        submit=_("Yes, approve the share") if approve else _("Yes, refuse the share"),
        destructive=not approve,
        cancel_url=reverse("trefas:shares", args=[forum.pk]),
        details=[(_("What it is about"), share.get_topic_display()), (_("What we share"), share.text),
                 (_("To"), receivers), (_("Reason"), reason or "–")],
    )


@require_permission(Permission.TREFAS_SHARE_REVIEW)
@require_POST
def share_decide(request: AuthenticatedHttpRequest, forum_id: int, share_id: int) -> HttpResponse:
    """A jurist approves or refuses one proposed share of their organisation. A conflict
    (another jurist decided first, or the share changed) answers 409 and keeps the input."""
    forum, access = forum_for_actor(request.user, forum_id)
    share = selectors.share_for_actor(access=access, share_id=share_id)
    access.require(TrefasAction.REVIEW_SHARE, share)
    form = DecisionForm(request.POST)
    status = 400
    if form.is_valid() and share.state == ShareState.PROPOSED and not confirmed(request):
        approve = form.cleaned_data["decision"] == "approve"
        try:
            services.share_decide_check(access=access, share=share, approve=approve,
                                        reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            return _decide_confirmation(request, forum, share, approve=approve, reason=form.cleaned_data["reason"])
    elif form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            services.share_decide(
                actor=request.user, access=access, share=share, approve=approve,
                reason=form.cleaned_data["reason"], version=form.cleaned_data["version"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        except services.ShareAlreadyDecided as exc:
            form.add_error(None, _decided_message(exc.state))
            status = CONFLICT_STATUS
        except StaleEdit:
            status = show_conflict(form, stored_version(share))
        else:
            messages.success(request, _("The share is approved and visible to the receivers.") if approve
                             else _("The share is refused. The refusal is in your disclosure register."))
            return redirect("trefas:shares", forum_id=forum.pk)
    if status == CONFLICT_STATUS:
        # Most often the share has left the queue: the page shows what the jurist entered
        # beside the message, so nothing typed is lost.
        share = selectors.share_for_actor(access=access, share_id=share_id)
    return _shares_page(request, forum, access, bound={share.pk: form}, status=status, conflict=share)


@require_permission(Permission.TREFAS_SHARE_PROPOSE)
@require_http_methods(["GET", "POST"])
def share_withdraw(request: AuthenticatedHttpRequest, forum_id: int, share_id: int) -> HttpResponse:
    """Withdraw one of the own organisation's shares, after a confirmation page."""
    forum, access = forum_for_actor(request.user, forum_id)
    share = selectors.share_for_actor(access=access, share_id=share_id)
    access.require(TrefasAction.WITHDRAW_SHARE, share)
    form = WithdrawForm(request.POST or None, initial={"version": share.version})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.share_withdraw(
                    actor=request.user, access=access, share=share, version=form.cleaned_data["version"]
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            except services.ShareAlreadyDecided as exc:
                form.add_error(None, _decided_message(exc.state))
                status = CONFLICT_STATUS
            except StaleEdit:
                status = show_conflict(form, stored_version(share), message=_(
                    "The share changed while you were deciding (for example a jurist decided it). "
                    "Nothing was withdrawn. Check it below and confirm again."))
            if status == CONFLICT_STATUS:
                share = selectors.share_for_actor(access=access, share_id=share_id)
            else:
                messages.success(request, _("The share is withdrawn. Nobody else sees it any more."))
                return redirect("trefas:shares", forum_id=forum.pk)
    context: dict[str, Any] = {
        "forum": forum, "access": access, "form": form,
        "row": selectors.share_row(access=access, share=share),
        "withdrawable": share.state in services.WITHDRAWABLE,
    }
    return render(request, "trefas/share_withdraw.html", context, status=status)
