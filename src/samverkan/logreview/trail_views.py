"""The audit trail's viewer for log reviewers: filter, page through, export CSV, start
a verification of the chain (URL names ``audit:…``, mounted at /logg/)."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet
from django.http import HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from samverkan.access import policy
from samverkan.access.guards import require_permission
from samverkan.access.permissions import Permission
from samverkan.accounts.http import AuthenticatedHttpRequest
from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.audit.labels import action_label
from samverkan.audit.models import AuditEvent
from samverkan.jobs import services as jobs
from samverkan.lib.params import whole_number
from samverkan.lib.spreadsheets import csv_lines
from samverkan.logreview.trail_forms import CATEGORIES, AuditFilterForm
from samverkan.logreview.trail_selectors import AuditFilter, actor_names, audit_events_visible_to

PAGE_SIZE = 50
_VIEW = (Permission.AUDIT_VIEW_OWN_ORG, Permission.AUDIT_VIEW_ALL)


def _filtered(request: AuthenticatedHttpRequest) -> tuple[AuditFilterForm, QuerySet[AuditEvent]]:
    form = AuditFilterForm(request.GET or None)
    filters = AuditFilter()
    category = ""
    if form.is_valid():
        d = form.cleaned_data
        filters = AuditFilter(
            actor_id=d["actor"], organisation_id=d["organisation"], subject_type=d["subject_type"],
            subject_id=d["subject_id"], action=d["action"], date_from=d["date_from"],
            date_to=d["date_to"],
        )
        category = d["category"]
    qs = audit_events_visible_to(user=request.user, filters=filters)
    if category:
        qs = qs.filter(action__in=[a.value for a in CATEGORIES[category]])
    return form, qs


@require_permission(*_VIEW)
@require_GET
def event_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form, qs = _filtered(request)
    before = whole_number(request.GET.get("before"))
    if before is not None:
        qs = qs.filter(seq__lt=before)
    # Keyset pagination: cost independent of how far back the reviewer pages.
    events = list(qs[: PAGE_SIZE + 1])
    has_more = len(events) > PAGE_SIZE
    events = events[:PAGE_SIZE]
    users, orgs = actor_names(events=events)
    audit.record(action=Action.AUDIT_VIEWED, actor=request.user, subject_type="audit_log",
                 detail={"rows": len(events)})
    params = request.GET.copy()
    params.pop("before", None)
    return render(request, "logreview/trail_list.html", {
        "form": form, "events": events, "users": users, "orgs": orgs,
        "next_before": events[-1].seq if has_more and events else None,
        "query": params.urlencode(),
        "can_export": policy.has_permission(request.user, Permission.AUDIT_EXPORT),
        "can_verify": policy.has_permission(request.user, Permission.AUDIT_VERIFY),
    })


# (key, header): the key names the column in code and tests, the header is what the
# reader sees, in their language.
CSV_COLUMNS = [
    ("seq", gettext_lazy("Sequence number")),
    ("time_utc", gettext_lazy("Time (UTC)")),
    ("actor", gettext_lazy("User")),
    ("actor_organisation", gettext_lazy("User's organisation")),
    ("event", gettext_lazy("Event")),
    ("action", gettext_lazy("Event code")),
    ("subject_type", gettext_lazy("Kind of record")),
    ("subject_id", gettext_lazy("Record reference")),
    ("purpose", gettext_lazy("Purpose")),
    ("legal_basis", gettext_lazy("Legal basis")),
    ("actor_id", gettext_lazy("User id")),
    ("actor_organisation_id", gettext_lazy("Organisation id")),
    ("subject_organisation_id", gettext_lazy("Record's organisation id")),
    ("request_id", gettext_lazy("Request id")),
    ("hash", gettext_lazy("Hash")),
]
_CHUNK = 2000


def _csv_rows(qs: QuerySet[AuditEvent], header: list[str]) -> Iterator[list[object]]:
    """The header, then one row per event: user and organisation by name (resolved a
    chunk at a time), the event in words beside its code, and the ids and hash that tie a
    row to the chain."""
    yield list(header)
    chunk: list[AuditEvent] = []

    def rows(events: list[AuditEvent]) -> Iterator[list[object]]:
        users, orgs = actor_names(events=events)
        for e in events:
            yield [
                e.seq, e.occurred_at.isoformat(), users.get(e.actor_id or 0, ""),
                orgs.get(e.actor_organisation_id or 0, ""), action_label(e.action), e.action,
                e.subject_type, e.subject_id, e.purpose, e.legal_basis, e.actor_id or "", e.actor_organisation_id or "",
                e.subject_organisation_id or "", e.request_id, e.hash,
            ]

    for event in qs.iterator(chunk_size=_CHUNK):
        chunk.append(event)
        if len(chunk) == _CHUNK:
            yield from rows(chunk)
            chunk = []
    if chunk:
        yield from rows(chunk)


@require_permission(Permission.AUDIT_EXPORT)
@require_GET
def event_export(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    _form, qs = _filtered(request)
    audit.record(action=Action.AUDIT_EXPORTED, actor=request.user, subject_type="audit_log")
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    # For Swedish Excel; subjects, purposes and legal bases are partly typed: every cell inert.
    header = [str(label) for _key, label in CSV_COLUMNS]  # in the reader's language, now
    response = StreamingHttpResponse(csv_lines(_csv_rows(qs, header)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
    return response


@require_permission(Permission.AUDIT_VERIFY)
@require_http_methods(["GET", "POST"])
def verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method == "POST":
        job = jobs.job_start(actor=request.user, kind="audit.verify")
        return redirect("jobs:detail", public_id=job.public_id)
    return render(request, "logreview/trail_verify.html", {})


