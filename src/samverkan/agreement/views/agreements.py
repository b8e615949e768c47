"""The agreements: the list (local ones under their city-wide one), a new agreement, the
agreement's page, editing its text, its parties and signatories, signing and ending.

Every page fetches the agreement through the area scope (404 outside it) and asks
LocalAction.MANAGE_AGREEMENT before any form (403 for someone who only reads); the
services ask again and hold the rules of the agreement's life cycle."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samverkan.access.guards import require_permission
from samverkan.access.permissions import Permission
from samverkan.accounts.http import AuthenticatedHttpRequest
from samverkan.agreement.forms.agreements import AgreementForm, PartyForm, SignatoryForm, SignForm
from samverkan.agreement.forms.common import VersionForm
from samverkan.agreement.models import Agreement, AgreementKind, AgreementStatus
from samverkan.agreement.selectors import agreements as selectors
from samverkan.agreement.selectors.presence import presence_table
from samverkan.agreement.services import agreements as services
from samverkan.agreement.views.common import confirm_page, confirm_removal, form_page, scoped, unless_draft
from samverkan.frontend.confirm import confirmed
from samverkan.lib.concurrency import StaleEdit, stored_version
from samverkan.lib.form_errors import apply_validation_error
from samverkan.picture.decision import LocalAccess, LocalAction
from samverkan.picture.selectors.scope import local_access_for


def _detail(agreement: Agreement) -> str:
    return reverse("agreement:detail", args=[agreement.pk])


@require_permission(Permission.AGREEMENT_VIEW)
@require_GET
def agreement_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    access = local_access_for(request.user)
    return render(request, "agreement/list.html", {
        "access": access, "groups": selectors.agreement_groups(access=access),
        "may_start": access.may(LocalAction.MANAGE_AGREEMENT),
    })


class _Choices:
    """The agreement form's choices, kept to turn the chosen ids back into rows."""

    def __init__(self, access: LocalAccess) -> None:
        self.municipalities = sorted(access.municipalities)
        self.districts = {d.pk: d for d in selectors.district_choices(access=access)}
        self.police = {o.pk: o for o in selectors.police_choices()}
        self.parents = {a.pk: a for a in selectors.parent_choices(access=access)}
        self.areas = {a.pk: a for a in selectors.area_choices(access=access)}
        self.problems = {p.pk: p for p in selectors.problem_choices(access=access)}

    def form(self, data: Any, initial: dict[str, Any]) -> AgreementForm:
        return AgreementForm(
            data, initial=initial, municipalities=self.municipalities,
            districts=[(pk, d.name) for pk, d in self.districts.items()],
            police=[(pk, o.name) for pk, o in self.police.items()],
            parents=[(pk, a.title) for pk, a in self.parents.items()],
            areas=[(pk, f"{a.name} ({a.district.name})") for pk, a in self.areas.items()],
            problems=[(pk, f"{p.title} – {p.report.title}") for pk, p in self.problems.items()],
        )

    def data(self, form: AgreementForm) -> services.AgreementInput:
        d = form.cleaned_data
        return services.AgreementInput(
            kind=d["kind"], title=d["title"], municipality=d["municipality"] or "",
            district=self.districts.get(d["district"]) if d["district"] else None, police=self.police[d["police"]],
            parent=self.parents.get(d["parent"]) if d["parent"] else None,
            areas=[self.areas[pk] for pk in d["areas"]], valid_from=d["valid_from"], valid_to=d["valid_to"],
            goals=d["goals"], problems=[self.problems[pk] for pk in d["problems"]],
        )


@require_permission(Permission.AGREEMENT_MANAGE)
@require_http_methods(["GET", "POST"])
def agreement_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    access = local_access_for(request.user)
    access.require(LocalAction.MANAGE_AGREEMENT)
    choices = _Choices(access)
    form = choices.form(request.POST or None, initial={"kind": AgreementKind.LOCAL})
    if request.method == "POST" and form.is_valid():
        try:
            agreement = services.agreement_create(actor=request.user, access=access, data=choices.data(form))
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The agreement is saved as a draft."))
            return redirect(_detail(agreement))
    return form_page(request, access=access, agreement=None, heading=_("New collaboration agreement"), form=form,
                     submit=_("Save the draft"), back=reverse("agreement:list"))


@require_permission(Permission.AGREEMENT_VIEW)
@require_http_methods(["GET", "POST"])
def agreement_edit(request: AuthenticatedHttpRequest, agreement_id: int) -> HttpResponse:
    access, agreement = scoped(request, agreement_id, manage=True)
    if (back := unless_draft(request, agreement)) is not None:
        return back
    choices = _Choices(access)
    initial = {
        "version": agreement.version, "kind": agreement.kind, "title": agreement.title,
        "municipality": agreement.municipality, "district": agreement.district_id, "police": agreement.police_id,
        "parent": agreement.parent_id, "valid_from": agreement.valid_from, "valid_to": agreement.valid_to,
        "goals": agreement.goals, "areas": list(agreement.areas.values_list("pk", flat=True)),
        "problems": list(agreement.problems.values_list("pk", flat=True)),
    }
    form = choices.form(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_update(actor=request.user, access=access, agreement=agreement,
                                      data=choices.data(form), expected_version=form.cleaned_data["version"])
        except StaleEdit:
            status = form.show_conflict(stored_version(agreement))
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The agreement is saved."))
            return redirect(_detail(agreement))
    return form_page(request, access=access, agreement=agreement, heading=_("Change the agreement"), form=form,
                     submit=_("Save"), back=_detail(agreement), status=status)


@require_permission(Permission.AGREEMENT_VIEW)
@require_GET
def agreement_detail(request: AuthenticatedHttpRequest, agreement_id: int) -> HttpResponse:
    access, agreement = scoped(request, agreement_id)
    page = selectors.agreement_page(access=access, agreement=agreement)
    weeks, presence = presence_table(agreement=agreement)
    return render(request, "agreement/detail.html", {
        "access": access, "agreement": agreement, "page": page, "weeks": weeks, "presence": presence,
        "may_manage": access.may(LocalAction.MANAGE_AGREEMENT, agreement),
        "draft": agreement.status == AgreementStatus.DRAFT, "signed": agreement.status == AgreementStatus.SIGNED,
    })


@require_permission(Permission.AGREEMENT_VIEW)
@require_http_methods(["GET", "POST"])
def party_new(request: AuthenticatedHttpRequest, agreement_id: int) -> HttpResponse:
    access, agreement = scoped(request, agreement_id, manage=True)
    if (back := unless_draft(request, agreement)) is not None:
        return back
    organisations = {o.pk: o for o in selectors.organisation_choices()}
    form = PartyForm(request.POST or None, initial={"version": agreement.version},
                     organisations=[(pk, o.name) for pk, o in organisations.items()])
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.party_add(actor=request.user, access=access, agreement=agreement,
                               organisation=organisations[form.cleaned_data["organisation"]],
                               role=form.cleaned_data["role"], expected_version=form.cleaned_data["version"])
        except StaleEdit:
            status = form.show_conflict(stored_version(agreement))
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The party is added."))
            return redirect(_detail(agreement))
    return form_page(request, access=access, agreement=agreement, heading=_("Add a party"), form=form,
                     submit=_("Add the party"), back=_detail(agreement), status=status)


@require_permission(Permission.AGREEMENT_VIEW)
@require_POST
def party_remove(request: AuthenticatedHttpRequest, agreement_id: int, party_id: int) -> HttpResponse:
    access, agreement = scoped(request, agreement_id, manage=True)
    form = VersionForm(request.POST)
    if form.is_valid() and not confirmed(request):
        if (back := unless_draft(request, agreement)) is not None:
            return back
        party = selectors.party_for(agreement=agreement, party_id=party_id)
        if selectors.party_has_commitments(party=party):
            messages.error(request, _("The party has commitments. Remove them first."))
            return redirect(_detail(agreement))
        name = party.organisation.name
        return confirm_removal(
            request, agreement=agreement,
            heading=_("Remove %(organisation)s from the agreement?") % {"organisation": name},
            consequence=_("%(organisation)s is taken off the draft's parties now.") % {"organisation": name},
            submit=_("Yes, remove the party"), back=_detail(agreement),
            details=[(_("Party"), name), (_("Role"), party.role or "–")],
        )
    try:
        if not form.is_valid():
            raise StaleEdit
        services.party_remove(actor=request.user, access=access, agreement=agreement, party_id=party_id,
                              expected_version=form.cleaned_data["version"])
    except StaleEdit:
        messages.error(request, _("The agreement changed after you opened it. Nothing was removed; try again."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The party is removed."))
    return redirect(_detail(agreement))


@require_permission(Permission.AGREEMENT_VIEW)
@require_http_methods(["GET", "POST"])
def signatory_new(request: AuthenticatedHttpRequest, agreement_id: int) -> HttpResponse:
    access, agreement = scoped(request, agreement_id, manage=True)
    if (back := unless_draft(request, agreement)) is not None:
        return back
    organisations = {agreement.police_id: agreement.police, **{p.organisation_id: p.organisation
                                                                 for p in agreement.parties.all()}}
    form = SignatoryForm(request.POST or None, initial={"version": agreement.version},
                         organisations=[(pk, o.name) for pk, o in organisations.items()])
    status = 200
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.signatory_add(actor=request.user, access=access, agreement=agreement,
                                   organisation=organisations[d["organisation"]], office=d["office"], name=d["name"],
                                   expected_version=d["version"])
        except StaleEdit:
            status = form.show_conflict(stored_version(agreement))
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The signatory is added."))
            return redirect(_detail(agreement))
    return form_page(request, access=access, agreement=agreement, heading=_("Add a signatory"), form=form,
                     submit=_("Add the signatory"), back=_detail(agreement), status=status)


@require_permission(Permission.AGREEMENT_VIEW)
@require_POST
def signatory_remove(request: AuthenticatedHttpRequest, agreement_id: int, signatory_id: int) -> HttpResponse:
    access, agreement = scoped(request, agreement_id, manage=True)
    form = VersionForm(request.POST)
    if form.is_valid() and not confirmed(request):
        if (back := unless_draft(request, agreement)) is not None:
            return back
        signatory = selectors.signatory_for(agreement=agreement, signatory_id=signatory_id)
        consequence = _("%(name)s (%(office)s, %(organisation)s) is taken off the draft's signatories now.") % {
            "name": signatory.name, "office": signatory.office, "organisation": signatory.organisation.name}
        if signatory.signed_on:
            consequence += " " + _("The signature recorded for %(date)s is removed with them.") % {
                "date": signatory.signed_on.isoformat()}
        return confirm_removal(
            request, agreement=agreement,
            heading=_("Remove the signatory %(office)s?") % {"office": signatory.office},
            consequence=consequence, submit=_("Yes, remove the signatory"), back=_detail(agreement),
            details=[(_("Signatory"), f"{signatory.office}: {signatory.name} ({signatory.organisation.name})")],
        )
    try:
        if not form.is_valid():
            raise StaleEdit
        services.signatory_remove(actor=request.user, access=access, agreement=agreement,
                                  signatory_id=signatory_id, expected_version=form.cleaned_data["version"])
    except StaleEdit:
        messages.error(request, _("The agreement changed after you opened it. Nothing was removed; try again."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The signatory is removed."))
    return redirect(_detail(agreement))


@require_permission(Permission.AGREEMENT_VIEW)
@require_http_methods(["GET", "POST"])
def signatory_sign(request: AuthenticatedHttpRequest, agreement_id: int, signatory_id: int) -> HttpResponse:
    """A confirmation with the date, then the signature is recorded (for good)."""
    access, agreement = scoped(request, agreement_id, manage=True)
    if (back := unless_draft(request, agreement)) is not None:
        return back
    signatory = selectors.signatory_for(agreement=agreement, signatory_id=signatory_id)
    form = SignForm(request.POST or None, initial={"version": agreement.version})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.signatory_sign(actor=request.user, access=access, agreement=agreement,
                                    signatory_id=signatory.pk, signed_on=form.cleaned_data["signed_on"],
                                    expected_version=form.cleaned_data["version"])
        except StaleEdit:
            status = form.show_conflict(stored_version(agreement))
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The signature is recorded."))
            return redirect(_detail(agreement))
    return confirm_page(
        request, access=access, agreement=agreement,
        heading=_("Record the signature of %(office)s?") % {"office": signatory.office},
        warning=_("A recorded signature cannot be changed. Record it only once the agreement is signed on paper "
                  "or electronically."),
        summary=[f"{signatory.office}: {signatory.name} ({signatory.organisation.name})"],
        form=form, submit=_("Yes, record the signature"), back=_detail(agreement), status=status)


def _status_change(request: AuthenticatedHttpRequest, agreement_id: int, *, end: bool) -> HttpResponse:
    access, agreement = scoped(request, agreement_id, manage=True)
    form = VersionForm(request.POST or None, initial={"version": agreement.version})
    status = 200
    if request.method == "POST" and form.is_valid():
        change = services.agreement_end if end else services.agreement_mark_signed
        try:
            change(actor=request.user, access=access, agreement=agreement,
                   expected_version=form.cleaned_data["version"])
        except StaleEdit:
            status = form.show_conflict(stored_version(agreement))
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The agreement has ended.") if end else _("The agreement is signed."))
            return redirect(_detail(agreement))
    if end:
        heading, submit = _("End the agreement?"), _("Yes, end the agreement")
        warning = _("An ended agreement is read only: no more follow-up meetings, presence reports or forum "
                    "meetings are recorded under it.")
    else:
        heading, submit = _("Mark the agreement as signed?"), _("Yes, the agreement is signed")
        warning = _("Once signed, the goals, parties, signatories, prioritised problems, commitments and "
                    "promised presence can no longer be changed. The follow-up continues.")
    return confirm_page(request, access=access, agreement=agreement, heading=heading, warning=warning, form=form,
                        submit=submit, back=_detail(agreement), status=status, summary=[agreement.title])


@require_permission(Permission.AGREEMENT_VIEW)
@require_http_methods(["GET", "POST"])
def agreement_sign(request: AuthenticatedHttpRequest, agreement_id: int) -> HttpResponse:
    return _status_change(request, agreement_id, end=False)


@require_permission(Permission.AGREEMENT_VIEW)
@require_http_methods(["GET", "POST"])
def agreement_end(request: AuthenticatedHttpRequest, agreement_id: int) -> HttpResponse:
    return _status_change(request, agreement_id, end=True)
