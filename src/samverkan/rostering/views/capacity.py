"""The capacity planner: for N chosen areas, positions per agency, a shift pattern, the
working-time rules and an absence rate, the minimum experts per agency and in total, FTE
and yearly cost (engine.capacity.plan). Ships the motion's worked example (Stockholm's
six listed areas) as the default, exportable as a plain-language decision memo (PDF).
The proof of the minimum with the solver runs as a background job."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from samverkan.access.guards import require_permission
from samverkan.access.permissions import Permission
from samverkan.accounts.http import AuthenticatedHttpRequest
from samverkan.actiongroups.selectors import agencies as motion_agencies
from samverkan.directory.reference_data import AREAS
from samverkan.directory.selectors import areas_by_name, areas_with_codes
from samverkan.frontend.forms import IdMultipleChoiceField, StyledFormMixin
from samverkan.jobs.selectors import latest_job
from samverkan.jobs.services import job_start
from samverkan.rostering import exports
from samverkan.rostering.engine import capacity as capacity_engine
from samverkan.rostering.engine.model import Rules

# An example figure only (salary with social fees and overheads); every agency enters its own.
EXAMPLE_COST_PER_EXPERT = 750_000
PROOF_JOB = "roster.capacity_proof"


class CapacityForm(StyledFormMixin, forms.Form):
    areas = IdMultipleChoiceField(
        label=gettext_lazy("Areas"),
        queryset=areas_by_name(),
        widget=forms.CheckboxSelectMultiple,
    )
    positions = forms.IntegerField(
        label=gettext_lazy("Positions per agency and area"), min_value=0, max_value=20, initial=2
    )
    pattern = forms.ChoiceField(
        label=gettext_lazy("Shift pattern"),
        initial="3x8",
        choices=[("3x8", gettext_lazy("3 × 8 hours")), ("2x12", gettext_lazy("2 × 12 hours"))],
    )
    absence = forms.DecimalField(
        label=gettext_lazy("Absence (leave, sickness, training), per cent"),
        min_value=0,
        max_value=60,
        initial=15,
        decimal_places=1,
    )
    weekly_hours = forms.DecimalField(
        label=gettext_lazy("Full-time hours per week (ATL 5 §)"),
        min_value=20,
        max_value=48,
        initial=40,
        decimal_places=1,
    )

    def __init__(self, *args: Any, agencies: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agencies = agencies
        for a in agencies:
            self.fields[f"cost_{a.short_code}"] = forms.IntegerField(
                label=_("Yearly cost per expert, %(agency)s (SEK)") % {"agency": a.name},
                min_value=0,
                max_value=10_000_000,
                initial=EXAMPLE_COST_PER_EXPERT,
                required=False,
                widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-10"}),
            )

    def costs(self) -> dict[str, float]:
        return {
            a.name: float(self.cleaned_data[f"cost_{a.short_code}"])
            for a in self.agencies
            if self.cleaned_data.get(f"cost_{a.short_code}") is not None
        }


def _form(request: AuthenticatedHttpRequest) -> CapacityForm:
    agencies = list(motion_agencies())
    if request.GET:
        return CapacityForm(request.GET, agencies=agencies)

    stockholm = areas_with_codes(code for code, *_rest in AREAS)  # the motion's example
    data: dict[str, Any] = {
        "positions": 2,
        "pattern": "3x8",
        "absence": "15",
        "weekly_hours": "40",
        "areas": [a.pk for a in stockholm],
    }
    data.update({f"cost_{a.short_code}": EXAMPLE_COST_PER_EXPERT for a in agencies})
    return CapacityForm(data, agencies=agencies)


def _plan(form: CapacityForm) -> Any:
    d = form.cleaned_data
    return capacity_engine.plan(
        areas=len(d["areas"]),
        agencies=[a.name for a in form.agencies],
        positions_per_agency=d["positions"],
        pattern=d["pattern"],
        rules=Rules(max_week_average_hours=float(d["weekly_hours"])),
        absence_rate=float(d["absence"]) / 100,
        cost_per_expert=form.costs(),
    )


def _money(value: float | None) -> str:
    """Whole kronor with the reader's digit grouping ("1 250 000" in Swedish)."""
    return "–" if value is None else number_format(round(value), force_grouping=True)


def _number(value: float, digits: int = 1) -> str:
    """The reader's decimal style: a decimal comma in Swedish ("4,2")."""
    return number_format(round(value, digits), decimal_pos=digits, force_grouping=True)


@require_permission(Permission.CAPACITY_VIEW)
@require_GET
def capacity(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = _form(request)
    result = _plan(form) if form.is_valid() else None

    return render(
        request,
        "rostering/capacity.html",
        {
            "form": form,
            "plan": result,
            "query": request.GET.urlencode() if request.GET else "",
            "proof_job": latest_job(user=request.user, kind=PROOF_JOB),
            "area_names": [a.name for a in form.cleaned_data.get("areas", [])] if result else [],
        },
    )


@require_permission(Permission.CAPACITY_VIEW)
@require_POST
def capacity_prove(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Start the solver's proof of the minimum per agency and area (background job)."""
    form = CapacityForm(request.POST, agencies=list(motion_agencies()))
    form.fields["areas"].required = False  # the proof is per agency and area
    if not form.is_valid():
        return redirect("rostering:capacity")
    d = form.cleaned_data
    job = job_start(
        actor=request.user,
        kind=PROOF_JOB,
        params={
            "positions": d["positions"],
            "pattern": d["pattern"],
            "absence_pct": float(d["absence"]),
            "weekly_hours": float(d["weekly_hours"]),
            "time_limit_s": 30,
        },
    )
    return redirect("jobs:detail", public_id=job.public_id)


def memo_text(
    result: Any, area_names: list[str]
) -> tuple[str, list[str], list[list[str]], list[str]]:
    """The decision memo in plain words: title, paragraphs, table rows, closing."""
    p = result
    title = _("Decision memo: staffing the joint agency groups")
    paragraphs = [
        _(
            "The motion proposes a joint group in each vulnerable area with %(pos)d experts from "
            "each of %(n)d agencies, on duty around the clock. This memo shows what that means "
            "in people and money for %(areas)d areas: %(names)s."
        )
        % {
            "pos": p.positions_per_agency,
            "n": len(p.agencies),
            "areas": p.areas,
            "names": ", ".join(area_names),
        },
        _(
            "One position staffed every hour of the week is %(h)s hours a week. A full-time "
            "employee works %(ft)s hours a week on average under the Working Hours Act, so one "
            "position needs %(fte)s full-time employees before anyone is on leave, sick or in "
            "training."
        )
        % {
            "h": _number(p.hours_per_week_per_position, 0),
            "ft": _number(p.full_time_hours, 0),
            "fte": _number(p.fte_per_position),
        },
        _(
            "Each agency has %(pos)d positions per area, that is %(fte)s full-time employees. "
            "With %(abs)s per cent absence, each agency must name %(n)d experts per area."
        )
        % {
            "pos": p.positions_per_agency,
            "fte": _number(p.fte_per_agency_per_area),
            "abs": _number(p.absence_rate * 100, 0),
            "n": p.experts_per_agency_per_area,
        },
        _(
            "One area needs %(pos)d positions, %(h)s hours a week, %(fte)s full-time employees "
            "before absence and %(n)d experts in all."
        )
        % {
            "pos": p.positions_per_area,
            "h": _number(p.hours_per_week_per_area, 0),
            "fte": _number(p.fte_per_area),
            "n": p.experts_per_area,
        },
    ]
    table = [
        [
            _("Agency"),
            _("Experts per area"),
            _("Experts in all"),
            _("Cost per expert (SEK)"),
            _("Yearly cost (SEK)"),
        ]
    ]
    for line in p.lines:
        table.append(
            [
                line.agency,
                str(line.experts_per_area),
                str(line.experts_total),
                _money(line.cost_per_expert),
                _money(line.yearly_cost),
            ]
        )
    table.append(
        [_("Total"), str(p.experts_per_area), str(p.experts_total), "", _money(p.yearly_cost_total)]
    )
    after = [
        _(
            "In total: %(n)d experts, %(fte)s full-time employees before absence, and a yearly "
            "cost of %(cost)s SEK."
        )
        % {"n": p.experts_total, "fte": _number(p.fte_total), "cost": _money(p.yearly_cost_total)},
        _(
            "The costs per expert are the figures entered in the planner; without an agency's "
            "own figure the planner uses an example of %(ex)s SEK a year. The working-time rules "
            "are the statute's unless a collective agreement says otherwise."
        )
        % {"ex": _money(EXAMPLE_COST_PER_EXPERT)},
    ]
    return title, paragraphs, table, after


@require_permission(Permission.CAPACITY_VIEW)
@require_GET
def capacity_memo(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = _form(request)
    if not form.is_valid():
        return redirect("rostering:capacity")
    result = _plan(form)
    title, paragraphs, table, after = memo_text(
        result, [a.name for a in form.cleaned_data["areas"]]
    )
    body = exports.memo_pdf(title=title, paragraphs=paragraphs, table=table, after=after)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="beslutsunderlag-aktionsgrupper.pdf"'
    return response
