"""Follow-up meetings (a new meeting, its record, closing the record after a
confirmation) and the follow-up report as a page and as a PDF. Viewing the report is
audited (it shows what each party has done)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from samverkan.access.guards import require_permission
from samverkan.access.permissions import Permission
from samverkan.accounts.http import AuthenticatedHttpRequest
from samverkan.agreement.forms.common import VersionForm
from samverkan.agreement.forms.follow_up import FollowUpNewForm, FollowUpRecordForm
from samverkan.agreement.models import Agreement, FollowUpMeeting
from samverkan.agreement.selectors import follow_up as selectors
from samverkan.agreement.services import follow_up as services
from samverkan.agreement.services import reports
from samverkan.agreement.views.common import confirm_page, form_page, scoped
from samverkan.lib.concurrency import StaleEdit, stored_version
from samverkan.lib.form_errors import apply_validation_error
from samverkan.picture.decision import LocalAction


def _meeting_url(agreement: Agreement, meeting: FollowUpMeeting) -> str:
    return reverse("agreement:follow_up", args=[agreement.pk, meeting.pk])


@require_permission(Permission.AGREEMENT_VIEW)
@require_http_methods(["GET", "POST"])
def follow_up_new(request: AuthenticatedHttpRequest, agreement_id: int) -> HttpResponse:
    access, agreement = scoped(request, agreement_id, manage=True)
    form = FollowUpNewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(actor=request.user, access=access, agreement=agreement,
                                              held_on=form.cleaned_data["held_on"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            return redirect(_meeting_url(agreement, meeting))
    return form_page(request, access=access, agreement=agreement, heading=_("New follow-up meeting"), form=form,
                     submit=_("Continue"), back=reverse("agreement:detail", args=[agreement.pk]))


@require_permission(Permission.AGREEMENT_VIEW)
@require_http_methods(["GET", "POST"])
def follow_up(request: AuthenticatedHttpRequest, agreement_id: int, meeting_id: int) -> HttpResponse:
    """The meeting's record: read only once closed or for someone who only reads."""
    access, agreement = scoped(request, agreement_id)
    meeting = selectors.meeting_for(agreement=agreement, meeting_id=meeting_id)
    commitments = selectors.commitments_of(agreement=agreement)
    reviews = selectors.meeting_reviews(meeting=meeting)
    editable = not meeting.closed and access.may(LocalAction.MANAGE_AGREEMENT, agreement)
    if request.method == "POST" and not editable:
        access.require(LocalAction.MANAGE_AGREEMENT, agreement)
        messages.info(request, _("The record of this meeting is closed and can no longer be changed."))
        return redirect(_meeting_url(agreement, meeting))
    organisations = {agreement.police_id: agreement.police,
                     **{p.organisation_id: p.organisation for p in agreement.parties.all()}}
    initial: dict[str, object] = {"version": meeting.version, "notes": meeting.notes,
                                  "participants": [o.pk for o in meeting.participants.all()]}
    for c in commitments:
        review = reviews.get(c.pk)
        initial[f"status_{c.pk}"] = review.status if review else c.status
        initial[f"evidence_{c.pk}"] = review.evidence if review else c.evidence
    form = FollowUpRecordForm(request.POST or None, initial=initial, commitments=commitments,
                              organisations=[(pk, o.name) for pk, o in organisations.items()])
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_record(
                actor=request.user, access=access, agreement=agreement, meeting=meeting,
                reviews={pk: services.ReviewInput(status=s, evidence=e) for pk, (s, e) in form.reviews().items()},
                notes=form.cleaned_data["notes"],
                participants=[organisations[pk] for pk in form.cleaned_data["participants"]],
                expected_version=form.cleaned_data["version"])
        except StaleEdit:
            status = form.show_conflict(stored_version(meeting))
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The record of the meeting is saved."))
            return redirect(_meeting_url(agreement, meeting))
    return render(request, "agreement/follow_up.html", {
        "access": access, "agreement": agreement, "meeting": meeting, "form": form, "editable": editable,
        "reviews": [(c, reviews.get(c.pk)) for c in commitments],
    }, status=status)


@require_permission(Permission.AGREEMENT_VIEW)
@require_http_methods(["GET", "POST"])
def follow_up_close(request: AuthenticatedHttpRequest, agreement_id: int, meeting_id: int) -> HttpResponse:
    access, agreement = scoped(request, agreement_id, manage=True)
    meeting = selectors.meeting_for(agreement=agreement, meeting_id=meeting_id)
    form = VersionForm(request.POST or None, initial={"version": meeting.version})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_close(actor=request.user, access=access, agreement=agreement, meeting=meeting,
                                   expected_version=form.cleaned_data["version"])
        except StaleEdit:
            status = form.show_conflict(stored_version(meeting))
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The record of the meeting is closed."))
            return redirect(_meeting_url(agreement, meeting))
    return confirm_page(
        request, access=access, agreement=agreement, heading=_("Close the record of the meeting?"),
        warning=_("A closed record can never be changed. Check each commitment's status and evidence first."),
        summary=[_("Follow-up meeting on %(day)s") % {"day": meeting.held_on.isoformat()}],
        form=form, submit=_("Yes, close the record"), back=_meeting_url(agreement, meeting), status=status)


@require_permission(Permission.AGREEMENT_VIEW)
@require_GET
def report(request: AuthenticatedHttpRequest, agreement_id: int) -> HttpResponse:
    access, agreement = scoped(request, agreement_id)
    data = reports.report_for_viewer(actor=request.user, agreement=agreement)
    return render(request, "agreement/report.html", {"access": access, "agreement": agreement, "report": data})


@require_permission(Permission.AGREEMENT_VIEW)
@require_GET
def report_pdf(request: AuthenticatedHttpRequest, agreement_id: int) -> HttpResponse:
    _access, agreement = scoped(request, agreement_id)
    content = reports.report_pdf(actor=request.user, agreement=agreement)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="uppfoljning-{agreement.pk}.pdf"'
    return response
