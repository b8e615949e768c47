"""The anonymous tip channel (public) and the staff tip inbox.

Public views take nothing from the request but the form fields: no address, browser
detail or time reaches the services. Pages that show a receipt code or a tip are never
cached anywhere (no-store), so a shared computer's back button shows nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samverkan.access import policy
from samverkan.access.guards import public, require_permission
from samverkan.access.permissions import Permission
from samverkan.accounts.http import AuthenticatedHttpRequest
from samverkan.frontend.confirm import confirm_page, confirmed
from samverkan.frontend.public_pages import public_site, render_public
from samverkan.lib.spreadsheets import csv_text
from samverkan.tips import abuse, selectors, services
from samverkan.tips.forms import (
    AddInformationForm,
    ForwardForm,
    ReceiptForm,
    ReplyForm,
    RoutingRuleForm,
    StatusForm,
    TipForm,
    admit_sender,
    refuse_sender,
)
from samverkan.tips.models import TipStatus, TipTopic


def _no_store(response: HttpResponse) -> HttpResponse:
    add_never_cache_headers(response)
    response["Cache-Control"] = "no-store, private, max-age=0"
    return response


def _store_tip(request: HttpRequest, form: TipForm) -> HttpResponse | None:
    """Store a checked tip and answer with its receipt code; None (with the error on the
    form) when the area is not one we know."""
    data = form.cleaned_data
    try:
        _tip, code = services.tip_submit(
            area_code=data["area"], topic=data["topic"], text=data["text"], contact=data["contact"]
        )
    except services.TipRejected:
        form.add_error("area", _("Choose an area from the list."))
        return None
    return _no_store(render_public(request, "tips/thanks.html", {"code": code}))


@public
@public_site
@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    """The tip form. On success the receipt code is shown once, on this response only
    (not in a URL, a cookie or a session).

    Only a tip that passed the bot checks (honeypot, signed one-time token) and is ready
    to be stored counts against the sender's rate limit; a refused sender gets the form
    back with everything they wrote."""
    status = 200
    if request.method == "POST":
        form = TipForm(request.POST)
        if form.is_valid():
            refused = admit_sender(request, form, scope="submit")
            if refused is not None:
                status = refused
            elif (thanks := _store_tip(request, form)) is not None:
                return thanks
        elif form.has_error(NON_FIELD_ERRORS, code="unavailable"):
            status = 503
    else:
        area = request.GET.get("omrade", "")
        form = TipForm(initial={"area": area})
    # Every rendering carries a fresh token, so a corrected form can be sent again.
    return _no_store(
        render_public(
            request, "tips/submit.html", {"form": form, "token": abuse.issue_token()}, status=status
        )
    )


@public
@public_site
@require_http_methods(["GET", "POST"])
def receipt(request: HttpRequest) -> HttpResponse:
    """Follow up a tip with the receipt code: read replies, add information. The code
    travels only in POST bodies.

    Every look-up counts against the rate limit (it guards the codes against guessing);
    a refused sender who was adding information gets their text back, without the tip."""
    tip = None
    add_form: ReceiptForm | None = None
    added = False
    status = 200
    form: ReceiptForm
    if request.method == "POST":
        adding = "text" in request.POST
        form = AddInformationForm(request.POST) if adding else ReceiptForm(request.POST)
        try:
            limited = abuse.rate_limit_hit(request, scope="receipt")
        except abuse.LimiterUnavailable:
            status = refuse_sender(form, unavailable=True)
        else:
            if limited:
                status = refuse_sender(form, unavailable=False)
        if status != 200:
            add_form = form if adding else None
        elif form.is_valid():
            tip = selectors.tip_by_receipt(code=form.cleaned_data["code"])
            if tip is None:
                form.add_error(
                    "code", _("We found no tip with that code. Check the code and try again.")
                )
            elif adding:
                services.tip_add_information(tip=tip, text=form.cleaned_data["text"])
                tip = selectors.tip_by_receipt(code=form.cleaned_data["code"])
                added = True
        elif adding and "code" in form.cleaned_data:
            # The code is fine but the new text is not: show the tip and the errors.
            tip = selectors.tip_by_receipt(code=form.cleaned_data["code"])
            add_form = form if tip is not None else None
        if tip is not None and add_form is None:
            add_form = AddInformationForm(initial={"code": form.cleaned_data["code"]})
    else:
        form = ReceiptForm()
    return _no_store(
        render_public(
            request,
            "tips/receipt.html",
            {
                "form": form,
                "tip": tip,
                "add_form": add_form,
                "added": added,
            },
            status=status,
        )
    )


# --- Staff: the inbox -------------------------------------------------------------------


def _filters(request: AuthenticatedHttpRequest) -> dict[str, str]:
    return {
        "status": request.GET.get("status", ""),
        "topic": request.GET.get("topic", ""),
        "area_code": request.GET.get("area", ""),
    }


@require_permission(Permission.TIPS_VIEW)
@require_GET
def inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    filters = _filters(request)
    tips = list(selectors.inbox_for_user(actor=request.user, **filters)[:500])
    services.tip_inbox_record_view(actor=request.user, count=len(tips))
    return render(
        request,
        "tips/inbox.html",
        {
            "tips": tips,
            "statuses": TipStatus.choices,
            "topics": TipTopic.choices,
            "filters": filters,
        },
    )


@require_permission(Permission.TIPS_VIEW)
@require_GET
def export_csv(request: AuthenticatedHttpRequest) -> HttpResponse:
    tips = list(selectors.inbox_for_user(actor=request.user, **_filters(request))[:5000])
    services.tips_record_export(actor=request.user, count=len(tips))
    # The text and contact are typed by an anonymous sender: every cell inert (csv_text).
    rows: list[list[Any]] = [
        [_("Reference"), _("Received"), _("Area"), _("Topic"), _("Status"), _("Text"), _("Contact")],
        *(
            [
                tip.pk,
                tip.received_on,
                tip.area.name,
                tip.get_topic_display(),
                tip.get_status_display(),
                tip.text,
                tip.contact,
            ]
            for tip in tips
        ),
    ]
    response = HttpResponse(csv_text(rows).encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="tips.csv"'
    return response


@require_permission(Permission.TIPS_VIEW)
@require_GET
def detail(request: AuthenticatedHttpRequest, tip_id: Any) -> HttpResponse:
    tip = selectors.get_tip_for_user(actor=request.user, tip_id=tip_id)
    services.tip_record_view(actor=request.user, tip=tip)
    can_handle = policy.can_handle_tips(actor=request.user)
    return render(
        request,
        "tips/detail.html",
        {
            "tip": tip,
            "can_handle": can_handle,
            "status_form": StatusForm(initial={"status": tip.status}),
            "forward_form": ForwardForm(),
            "reply_form": ReplyForm(),
        },
    )


def _handled_tip(request: AuthenticatedHttpRequest, tip_id: Any) -> Any:
    # 404 outside the compartment first, then 403 for a role that may only read.
    tip = selectors.get_tip_for_user(actor=request.user, tip_id=tip_id)
    if not policy.can_handle_tips(actor=request.user):
        raise PermissionDenied
    return tip


@require_permission(Permission.TIPS_HANDLE)
@require_POST
def set_status(request: AuthenticatedHttpRequest, tip_id: Any) -> HttpResponse:
    tip = _handled_tip(request, tip_id)
    form = StatusForm(request.POST)
    if form.is_valid():
        services.tip_set_status(actor=request.user, tip=tip, status=form.cleaned_data["status"])
        messages.success(request, _("Status changed."))
    else:
        messages.error(request, _("Choose a status."))
    return redirect("tips:detail", tip_id=tip.pk)


@require_permission(Permission.TIPS_HANDLE)
@require_POST
def forward(request: AuthenticatedHttpRequest, tip_id: Any) -> HttpResponse:
    tip = _handled_tip(request, tip_id)
    form = ForwardForm(request.POST)
    if form.is_valid():
        services.tip_forward(
            actor=request.user,
            tip=tip,
            organisation=form.cleaned_data["organisation"],
            legal_basis=form.cleaned_data["legal_basis"],
        )
        messages.success(request, _("The tip was forwarded and the legal basis recorded."))
        return redirect("tips:detail", tip_id=tip.pk)
    return render(
        request,
        "tips/detail.html",
        {
            "tip": tip,
            "can_handle": True,
            "status_form": StatusForm(initial={"status": tip.status}),
            "forward_form": form,
            "reply_form": ReplyForm(),
        },
        status=400,
    )


@require_permission(Permission.TIPS_HANDLE)
@require_POST
def reply(request: AuthenticatedHttpRequest, tip_id: Any) -> HttpResponse:
    tip = _handled_tip(request, tip_id)
    form = ReplyForm(request.POST)
    if form.is_valid():
        services.tip_reply(actor=request.user, tip=tip, text=form.cleaned_data["text"])
        messages.success(request, _("Reply sent. The sender sees it with their receipt code."))
        return redirect("tips:detail", tip_id=tip.pk)
    return render(
        request,
        "tips/detail.html",
        {
            "tip": tip,
            "can_handle": True,
            "status_form": StatusForm(initial={"status": tip.status}),
            "forward_form": ForwardForm(),
            "reply_form": form,
        },
        status=400,
    )


# --- Staff: the routing table ------------------------------------------------------------


@require_permission(Permission.TIPS_ROUTING_MANAGE)
@require_http_methods(["GET", "POST"])
def routing(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = RoutingRuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.routing_rule_add(
            actor=request.user,
            area=form.cleaned_data["area"],
            topic=form.cleaned_data["topic"],
            organisation=form.cleaned_data["organisation"],
        )
        messages.success(request, _("Routing rule added."))
        return redirect("tips:routing")
    return render(request, "tips/routing.html", {"rules": selectors.routing_rules(), "form": form})


@require_permission(Permission.TIPS_ROUTING_MANAGE)
@require_POST
def routing_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    rule = selectors.get_routing_rule(rule_id=pk)
    if not confirmed(request):
        area = rule.area.name if rule.area else _("Every area")
        topic = rule.get_topic_display() if rule.topic else _("Every topic")
        return confirm_page(
            request,
            heading=_("Remove the routing rule?"),
            consequence=_(
                "From now on, new tips that match this rule no longer go to %(organisation)s "
                "through it. Tips already received stay where they are."
            )
            % {"organisation": rule.organisation.name},
            irreversible=_(
                "The removal cannot be undone. To route such tips there again, add the rule anew."
            ),
            submit=_("Yes, remove the rule"),
            destructive=True,
            cancel_url=reverse("tips:routing"),
            details=[(_("Area"), area), (_("Topic"), topic), (_("Organisation"), rule.organisation.name)],
        )
    services.routing_rule_delete(actor=request.user, rule=rule)
    messages.success(request, _("Routing rule removed."))
    return redirect("tips:routing")
