"""The promised police presence (added and removed with the agreement's text, while a
draft) and the police's weekly figures (LocalAction.REPORT_PRESENCE: the police who see
the promise's area; one figure per week, corrected with optimistic locking)."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from samverkan.access.guards import require_permission
from samverkan.access.permissions import Permission
from samverkan.accounts.http import AuthenticatedHttpRequest
from samverkan.agreement.forms.presence import PresencePromiseForm, PresenceReportForm
from samverkan.agreement.models import Agreement
from samverkan.agreement.selectors import presence as selectors
from samverkan.agreement.services import presence as services
from samverkan.agreement.views.common import confirm_removal, form_page, scoped, unless_draft
from samverkan.frontend.confirm import confirmed
from samverkan.lib.concurrency import StaleEdit
from samverkan.lib.form_errors import apply_validation_error
from samverkan.picture.decision import LocalAction


def _detail(agreement: Agreement) -> str:
    return reverse("agreement:detail", args=[agreement.pk]) + "#presence"


@require_permission(Permission.AGREEMENT_VIEW)
@require_http_methods(["GET", "POST"])
def presence_new(request: AuthenticatedHttpRequest, agreement_id: int) -> HttpResponse:
    access, agreement = scoped(request, agreement_id, manage=True)
    if (back := unless_draft(request, agreement)) is not None:
        return back
    areas = {a.pk: a for a in agreement.areas.order_by("name")}
    form = PresencePromiseForm(request.POST or None, areas=[(pk, a.name) for pk, a in areas.items()])
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.promise_add(actor=request.user, access=access, agreement=agreement, area=areas[d["area"]],
                                 what=d["what"], unit=d["unit"], per_week=d["per_week"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The promised presence is added."))
            return redirect(_detail(agreement))
    return form_page(request, access=access, agreement=agreement, heading=_("Promise police presence"), form=form,
                     submit=_("Add"), back=_detail(agreement))


@require_permission(Permission.AGREEMENT_VIEW)
@require_POST
def presence_remove(request: AuthenticatedHttpRequest, agreement_id: int, promise_id: int) -> HttpResponse:
    access, agreement = scoped(request, agreement_id, manage=True)
    promise = selectors.promise_for(agreement=agreement, promise_id=promise_id)
    if not confirmed(request):
        if (back := unless_draft(request, agreement)) is not None:
            return back
        return confirm_removal(
            request, agreement=agreement, heading=_("Remove the promised presence?"),
            consequence=_("The promise of %(what)s in %(area)s, %(per_week)s %(unit)s a week, is taken out of "
                          "the draft now.") % {"what": promise.what, "area": promise.area.name,
                                               "per_week": selectors.number(promise.per_week), "unit": promise.unit},
            submit=_("Yes, remove the promise"), back=_detail(agreement),
            details=[(_("Area"), promise.area.name), (_("What is promised"), promise.what)],
        )
    try:
        services.promise_remove(actor=request.user, access=access, agreement=agreement, promise=promise)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The promised presence is removed."))
    return redirect(_detail(agreement))


def _week(raw: str | None) -> date:
    try:
        return date.fromisoformat(raw or "")
    except ValueError:
        return timezone.localdate()


@require_permission(Permission.PRESENCE_REPORT)
@require_http_methods(["GET", "POST"])
def presence_report(request: AuthenticatedHttpRequest, agreement_id: int, promise_id: int) -> HttpResponse:
    """Report or correct one week's figure; ``?week=YYYY-MM-DD`` opens that week."""
    access, agreement = scoped(request, agreement_id)
    promise = selectors.promise_for(agreement=agreement, promise_id=promise_id)
    access.require(LocalAction.REPORT_PRESENCE, promise)
    week = _week(request.POST.get("week") if request.method == "POST" else request.GET.get("week"))
    existing = selectors.report_for_week(promise=promise, week_start=week)
    initial: dict[str, object] = {"week": week}
    if existing is not None:
        initial.update(version=existing.version, value=existing.value, note=existing.note)
    form = PresenceReportForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.report_save(actor=request.user, access=access, agreement=agreement, promise=promise,
                                 week_start=d["week"], value=d["value"], note=d["note"],
                                 expected_version=d["version"])
        except StaleEdit:
            current = selectors.report_for_week(promise=promise, week_start=d["week"])
            status = form.show_conflict(current.version if current else None)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The figure for the week is saved."))
            return redirect(_detail(agreement))
    intro = _("%(what)s in %(area)s: %(per_week)s %(unit)s promised per week.") % {
        "what": promise.what, "area": promise.area.name, "per_week": selectors.number(promise.per_week),
        "unit": promise.unit}
    return form_page(request, access=access, agreement=agreement, heading=_("Report police presence"), form=form,
                     submit=_("Save the figure"), back=_detail(agreement), status=status, intro=intro,
                     current=existing)
