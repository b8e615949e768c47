"""Log review pages (logguppföljning): the months, one month's items, marking an item
reviewed, and drawing a month's sample as a background job."""

from __future__ import annotations

import re
from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from samverkan.access import policy
from samverkan.access.guards import require_permission
from samverkan.access.permissions import Permission
from samverkan.accounts.http import AuthenticatedHttpRequest
from samverkan.jobs import services as jobs
from samverkan.lib.params import page_number
from samverkan.logreview import rules, selectors, services
from samverkan.logreview.forms import MarkReviewedForm, SampleForm
from samverkan.logreview.models import Reason


def _check_reviewer(request: AuthenticatedHttpRequest) -> None:
    if not policy.can_review_accesses(actor=request.user):
        raise PermissionDenied


def _month(year: int, month: int) -> date:
    try:
        return date(year, month, 1)
    except ValueError:
        raise Http404 from None


@require_permission(Permission.ACCESS_REVIEW)
@require_GET
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    _check_reviewer(request)
    reviews = list(selectors.reviews_visible_to(actor=request.user)[:24])
    progress = selectors.progress_for_reviews(reviews=reviews)
    last = rules.previous_month(timezone.localdate())
    return render(
        request,
        "logreview/index.html",
        {
            "rows": [(r, progress[r.pk]) for r in reviews],
            "form": SampleForm(initial={"month": last.strftime("%Y-%m")}),
        },
    )


@require_permission(Permission.ACCESS_REVIEW)
@require_POST
def start_sample(request: AuthenticatedHttpRequest) -> HttpResponse:
    _check_reviewer(request)
    form = SampleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the month as YYYY-MM."))
        return redirect("logreview:index")
    month = rules.parse_month(form.cleaned_data["month"])
    if month > timezone.localdate():
        messages.error(request, _("That month has not begun."))
        return redirect("logreview:index")
    job = jobs.job_start(
        actor=request.user,
        kind="logreview.sample",
        params={
            "month": month.strftime("%Y-%m"),
            "organisation": request.user.organisation_id,
        },
    )
    return redirect("jobs:detail", public_id=job.public_id)


@require_permission(Permission.ACCESS_REVIEW)
@require_GET
def review(request: AuthenticatedHttpRequest, year: int, month: int) -> HttpResponse:
    _check_reviewer(request)
    the_review = selectors.review_for_actor(actor=request.user, month=_month(year, month))
    reason = request.GET.get("reason", "")
    state = request.GET.get("state", "")
    page_obj, rows = selectors.review_items(
        actor=request.user,
        review=the_review,
        reason=reason,
        state=state,
        page=page_number(request.GET.get("page")),
    )
    return render(
        request,
        "logreview/review.html",
        {
            "review": the_review,
            "rows": rows,
            "page_obj": page_obj,
            "reason": reason,
            "state": state,
            "reasons": Reason.choices,
            "progress": selectors.review_progress(review=the_review),
            "states": [
                ("open", _("Not reviewed")),
                ("reviewed", _("Reviewed")),
                ("follow_up", _("Needs follow-up")),
            ],
            "form": MarkReviewedForm(),
            "query": f"reason={reason}&state={state}",
        },
    )


@require_permission(Permission.ACCESS_REVIEW)
@require_POST
def mark(request: AuthenticatedHttpRequest, year: int, month: int, pk: int) -> HttpResponse:
    _check_reviewer(request)
    the_review = selectors.review_for_actor(actor=request.user, month=_month(year, month))
    item = selectors.item_for_actor(actor=request.user, review=the_review, pk=pk)
    form = MarkReviewedForm(request.POST)
    query = re.sub(r"[^a-z_=&]", "", request.POST.get("query", ""))[:100]
    back = reverse("logreview:review", args=[year, month]) + "?" + query
    if not form.is_valid():
        messages.error(
            request, _("Choose an outcome for access #%(seq)s.") % {"seq": item.event_id}
        )
        return redirect(back)
    try:
        services.item_mark_reviewed(
            actor=request.user,
            item=item,
            outcome=form.cleaned_data["outcome"],
            comment=form.cleaned_data["comment"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(back)
    messages.success(request, _("Access #%(seq)s marked reviewed.") % {"seq": item.event_id})
    return redirect(back + f"#item-{item.pk}")
