"""The lägesbild's parts: statistic tables (entered, or counted from the app's own
reports), prioritised problems and citizen dialogues — add, change, remove. The same
rules as views/situation.py (404 outside the scope, 403 without MANAGE_DOCUMENT, only
drafts, 409 with the input kept)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from samverkan.access.guards import require_permission
from samverkan.access.permissions import Permission
from samverkan.accounts.http import AuthenticatedHttpRequest
from samverkan.lib.concurrency import StaleEdit, stored_version
from samverkan.lib.form_errors import apply_validation_error
from samverkan.prevention.forms.situation import (
    AppTableEditForm,
    AppTableForm,
    DialogueForm,
    ProblemForm,
    TableForm,
    VersionedForm,
)
from samverkan.prevention.models import CitizenDialogue, Problem, SituationReport, StatisticSource, StatisticTable
from samverkan.prevention.selectors import situation as selectors
from samverkan.prevention.services import situation as services
from samverkan.prevention.views.situation import NOT_DRAFT, edit_page, managed_report

MORE_ROWS = 5


# --- statistic tables -----------------------------------------------------------------------


def _more_rows(request: AuthenticatedHttpRequest, report: SituationReport, data: Any, *,
               table: StatisticTable | None, title: str) -> HttpResponse:
    """The row editor shown again, unvalidated and unsaved, with what was typed and
    ``MORE_ROWS`` more empty rows."""
    try:
        count = max(0, min(int(data.get("row_count") or 0), services.MAX_ROWS))
    except ValueError:
        count = 0
    rows = [{key: data.get(f"row_{i}_{key}", "") for key in ("label", "value", "previous")} for i in range(count)]
    initial = {key: data.get(key, "") for key in ("version", "title", "source", "year", "unit", "note", "pasted")}
    form = TableForm(initial=initial, rows=rows, extra=MORE_ROWS)
    return render(request, "prevention/situation_table_form.html",
                  {"report": report, "form": form, "title": title, "table": table})


def _table_page(request: AuthenticatedHttpRequest, report: SituationReport, save: Any, *,
                table: StatisticTable | None, title: str) -> HttpResponse:
    """The row editor. "More rows" re-shows the form with five more empty rows (no JS,
    nothing saved); "Save" saves through ``save(form)``."""
    status = 200
    if request.method == "POST":
        data = request.POST.copy()
        if "more" in data:
            return _more_rows(request, report, data, table=table, title=title)
        form = TableForm(data)
        status = 400
        if form.is_valid():
            try:
                save(form)
            except ValidationError as exc:
                apply_validation_error(form, exc, rename={"rows": "pasted"})
            except StaleEdit:
                status = form.show_conflict(stored_version(report))
            else:
                messages.success(request, _("The table is saved."))
                return redirect("prevention:situation", report_id=report.pk)
    else:
        if not report.editable:
            messages.info(request, NOT_DRAFT)
            return redirect("prevention:situation", report_id=report.pk)
        initial: dict[str, Any] = {"version": report.version}
        rows: list[dict[str, Any]] = []
        if table is not None:
            initial.update(title=table.title, source=table.source, year=table.year, unit=table.unit,
                           note=table.note)
            rows = list(table.rows)
        form = TableForm(initial=initial, rows=rows)
    return render(request, "prevention/situation_table_form.html",
                  {"report": report, "form": form, "title": title, "table": table}, status=status)


@require_http_methods(["GET", "POST"])
@require_permission(Permission.PREVENTION_VIEW)
def table_new(request: AuthenticatedHttpRequest, report_id: int) -> HttpResponse:
    report, access = managed_report(request, report_id)

    def save(form: TableForm) -> None:
        d = form.cleaned_data
        services.table_add_imported(actor=request.user, access=access, report=report, version=d["version"],
                                    title=d["title"], source=d["source"], year=d["year"], unit=d["unit"],
                                    note=d["note"], rows=form.rows)

    return _table_page(request, report, save, table=None, title=_("Add a table of figures from another source"))


@require_http_methods(["GET", "POST"])
@require_permission(Permission.PREVENTION_VIEW)
def table_app(request: AuthenticatedHttpRequest, report_id: int) -> HttpResponse:
    report, access = managed_report(request, report_id)
    return edit_page(
        request, report, make_form=lambda data, **kw: AppTableForm(data, **kw),
        initial={"title": _("Incidents reported in Samverkan per category")},
        save=lambda d: services.table_add_app(actor=request.user, access=access, report=report,
                                              version=d["version"], title=d["title"], year=d["year"],
                                              note=d["note"]),
        title=_("Add a table of the incidents reported in Samverkan"), done=_("The table is added."),
        context={"app_table": True, "areas": list(selectors.document_areas(report))},
    )


@require_http_methods(["GET", "POST"])
@require_permission(Permission.PREVENTION_VIEW)
def table_edit(request: AuthenticatedHttpRequest, report_id: int, table_id: int) -> HttpResponse:
    report, access = managed_report(request, report_id)
    table = selectors.item_of(report, StatisticTable, table_id)
    if table.source_kind == StatisticSource.APP:
        return edit_page(
            request, report, make_form=lambda data, **kw: AppTableEditForm(data, **kw),
            initial={"title": table.title, "note": table.note},
            save=lambda d: services.table_update(actor=request.user, access=access, table=table,
                                                 version=d["version"], title=d["title"], note=d["note"]),
            title=_("Change the table"), done=_("The table is saved."),
        )

    def save(form: TableForm) -> None:
        d = form.cleaned_data
        services.table_update(actor=request.user, access=access, table=table, version=d["version"],
                              title=d["title"], note=d["note"], source=d["source"], year=d["year"],
                              unit=d["unit"], rows=form.rows)

    return _table_page(request, report, save, table=table, title=_("Change the table"))


# --- removals (one confirmation page for tables, problems and dialogues) ------------------------


_REMOVABLE: dict[str, tuple[type[Any], Any, str, Any]] = {
    "table": (StatisticTable, services.table_remove, "table", gettext_lazy("The table is removed.")),
    "problem": (Problem, services.problem_remove, "problem", gettext_lazy("The problem is removed.")),
    "dialogue": (CitizenDialogue, services.dialogue_remove, "dialogue",
                 gettext_lazy("The citizen dialogue is removed.")),
}


def _remove(request: AuthenticatedHttpRequest, report_id: int, item_id: int, kind: str) -> HttpResponse:
    model, remove, keyword, done = _REMOVABLE[kind]
    report, access = managed_report(request, report_id)
    item = selectors.item_of(report, model, item_id)
    status = 200
    if request.method == "POST":
        form = VersionedForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                remove(actor=request.user, access=access, version=form.cleaned_data["version"], **{keyword: item})
            except ValidationError as exc:
                apply_validation_error(form, exc)
            except StaleEdit:
                status = form.show_conflict(stored_version(report))
            else:
                messages.success(request, str(done))
                return redirect("prevention:situation", report_id=report.pk)
    else:
        if not report.editable:
            messages.info(request, NOT_DRAFT)
            return redirect("prevention:situation", report_id=report.pk)
        form = VersionedForm(initial={"version": report.version})
    return render(request, "prevention/situation_remove.html",
                  {"report": report, "form": form, "item": item, "kind": kind}, status=status)


@require_http_methods(["GET", "POST"])
@require_permission(Permission.PREVENTION_VIEW)
def table_remove(request: AuthenticatedHttpRequest, report_id: int, table_id: int) -> HttpResponse:
    return _remove(request, report_id, table_id, "table")


@require_http_methods(["GET", "POST"])
@require_permission(Permission.PREVENTION_VIEW)
def problem_remove(request: AuthenticatedHttpRequest, report_id: int, problem_id: int) -> HttpResponse:
    return _remove(request, report_id, problem_id, "problem")


@require_http_methods(["GET", "POST"])
@require_permission(Permission.PREVENTION_VIEW)
def dialogue_remove(request: AuthenticatedHttpRequest, report_id: int, dialogue_id: int) -> HttpResponse:
    return _remove(request, report_id, dialogue_id, "dialogue")


# --- problems and dialogues -----------------------------------------------------------------


def _problem(request: AuthenticatedHttpRequest, report_id: int, problem_id: int | None) -> HttpResponse:
    report, access = managed_report(request, report_id)
    problem = selectors.item_of(report, Problem, problem_id) if problem_id is not None else None
    areas = [(a.pk, a.name) for a in selectors.document_areas(report)]
    initial: dict[str, Any] = {"priority": report.problems.count() + 1}
    if problem is not None:
        initial = {"title": problem.title, "priority": problem.priority, "description": problem.description,
                   "causes": problem.causes, "areas": list(problem.areas.values_list("pk", flat=True))}
    return edit_page(
        request, report, make_form=lambda data, **kw: ProblemForm(data, areas=areas, **kw), initial=initial,
        save=lambda d: services.problem_save(
            actor=request.user, access=access, report=report, version=d["version"], problem=problem,
            title=d["title"], priority=d["priority"], description=d["description"], causes=d["causes"],
            area_ids=d["areas"]),
        title=_("Change the problem") if problem else _("Add a prioritised problem"), done=_("The problem is saved."),
    )


@require_http_methods(["GET", "POST"])
@require_permission(Permission.PREVENTION_VIEW)
def problem_new(request: AuthenticatedHttpRequest, report_id: int) -> HttpResponse:
    return _problem(request, report_id, None)


@require_http_methods(["GET", "POST"])
@require_permission(Permission.PREVENTION_VIEW)
def problem_edit(request: AuthenticatedHttpRequest, report_id: int, problem_id: int) -> HttpResponse:
    return _problem(request, report_id, problem_id)


def _dialogue(request: AuthenticatedHttpRequest, report_id: int, dialogue_id: int | None) -> HttpResponse:
    report, access = managed_report(request, report_id)
    dialogue = selectors.item_of(report, CitizenDialogue, dialogue_id) if dialogue_id is not None else None
    initial: dict[str, Any] = {}
    if dialogue is not None:
        initial = {"held_on": dialogue.held_on, "place": dialogue.place, "participants": dialogue.participants,
                   "notes": dialogue.notes}
    return edit_page(
        request, report, make_form=lambda data, **kw: DialogueForm(data, **kw), initial=initial,
        save=lambda d: services.dialogue_save(
            actor=request.user, access=access, report=report, version=d["version"], dialogue=dialogue,
            held_on=d["held_on"], place=d["place"], participants=d["participants"], notes=d["notes"]),
        title=_("Change the citizen dialogue") if dialogue else _("Add a citizen dialogue"),
        done=_("The citizen dialogue is saved."),
    )


@require_http_methods(["GET", "POST"])
@require_permission(Permission.PREVENTION_VIEW)
def dialogue_new(request: AuthenticatedHttpRequest, report_id: int) -> HttpResponse:
    return _dialogue(request, report_id, None)


@require_http_methods(["GET", "POST"])
@require_permission(Permission.PREVENTION_VIEW)
def dialogue_edit(request: AuthenticatedHttpRequest, report_id: int, dialogue_id: int) -> HttpResponse:
    return _dialogue(request, report_id, dialogue_id)
