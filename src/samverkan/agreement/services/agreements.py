"""Writing an agreement: creating and editing its text, its parties and signatories,
signing (each signatory's date, after a confirmation) and the status draft → signed →
ended (after a confirmation).

Who may: LocalAction.MANAGE_AGREEMENT (picture.decision): the city for municipality-wide
agreements, the district administration for its district's, the police when they are the
agreement's police organisation or a party. A new or moved agreement is checked after it
is written, inside the transaction: a result the actor could not manage is rolled back
(PermissionDenied), so nobody can create or move an agreement out of their own reach.
Edits use optimistic locking on Agreement.version; every change is audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.agreement.models import (
    Agreement,
    AgreementKind,
    AgreementParty,
    AgreementStatus,
    Signatory,
)
from samverkan.agreement.selectors.agreements import MIN_SIGNATORIES, problems_seen
from samverkan.agreement.services.common import record, require_draft
from samverkan.audit.actions import Action
from samverkan.directory.models import Area, District, Organisation, OrganisationKind
from samverkan.lib.concurrency import update_versioned
from samverkan.picture.decision import LocalAccess, LocalAction
from samverkan.prevention.models import Problem

if TYPE_CHECKING:
    from samverkan.accounts.models import User


@dataclass
class AgreementInput:
    kind: str
    title: str
    municipality: str
    district: District | None
    police: Organisation
    parent: Agreement | None
    areas: list[Area]
    valid_from: date
    valid_to: date
    goals: str
    problems: list[Problem]


def _validate(access: LocalAccess, data: AgreementInput) -> str:
    """Check the fields against each other and the scope; return the municipality."""
    errors: dict[str, str] = {}
    if data.kind == AgreementKind.LOCAL:
        if data.district is None:
            raise ValidationError({"district": _("A local agreement belongs to a district.")})
        municipality = data.district.municipality
        if data.police.kind != OrganisationKind.POLICE_AREA:
            errors["police"] = _("A local agreement is made with a local police area.")
        if data.parent is not None and (data.parent.kind != AgreementKind.CITY
                                        or data.parent.municipality != municipality):
            errors["parent"] = _("Choose the city-wide agreement of the same municipality.")
        if any(a.district_id != data.district.pk for a in data.areas):
            errors["areas"] = _("Choose areas of the agreement's district.")
    elif data.kind == AgreementKind.CITY:
        municipality = data.municipality.strip()
        if data.district is not None or data.parent is not None:
            errors["district"] = _("A city-wide agreement has no district and no city-wide agreement above it.")
        if municipality not in access.municipalities:
            errors["municipality"] = _("Choose a municipality you work with.")
        if data.police.kind != OrganisationKind.POLICE_REGION:
            errors["police"] = _("A city-wide agreement is made with a police region.")
        if any(a.district.municipality != municipality for a in data.areas):
            errors["areas"] = _("Choose areas of the agreement's municipality.")
    else:
        raise ValidationError({"kind": _("Choose the kind of agreement.")})
    if data.valid_to < data.valid_from:
        errors["valid_to"] = _("The agreement must end after it starts.")
    if not data.title.strip():
        errors["title"] = _("Give the agreement a title.")
    seen = set(problems_seen(access=access).values_list("pk", flat=True))
    district_id = data.district.pk if data.district else None
    for problem in data.problems:
        report = problem.report
        if problem.pk not in seen or report.municipality != municipality or (
            report.district_id not in (None, district_id)
        ):
            errors["problems"] = _("Choose problems of the situation reports of this municipality or district.")
    if errors:
        raise ValidationError(errors)
    return municipality


def _fields(data: AgreementInput, municipality: str) -> dict[str, object]:
    return {
        "kind": data.kind, "title": data.title.strip(), "municipality": municipality,
        "district": data.district if data.kind == AgreementKind.LOCAL else None, "police": data.police,
        "parent": data.parent if data.kind == AgreementKind.LOCAL else None,
        "valid_from": data.valid_from, "valid_to": data.valid_to, "goals": data.goals.strip(),
    }


@transaction.atomic(durable=True)
def agreement_create(*, actor: User, access: LocalAccess, data: AgreementInput) -> Agreement:
    access.require(LocalAction.MANAGE_AGREEMENT)
    municipality = _validate(access, data)
    agreement = Agreement.objects.create(created_by=actor, **_fields(data, municipality))
    agreement.areas.set(data.areas)
    agreement.problems.set(data.problems)
    access.require(LocalAction.MANAGE_AGREEMENT, agreement)  # rolls back an agreement out of reach
    record(Action.AGREEMENT_CREATED, actor=actor, agreement=agreement)
    return agreement


@transaction.atomic(durable=True)
def agreement_update(*, actor: User, access: LocalAccess, agreement: Agreement, data: AgreementInput,
                     expected_version: int | None) -> Agreement:
    access.require(LocalAction.MANAGE_AGREEMENT, agreement)
    require_draft(agreement)
    municipality = _validate(access, data)
    fields = _fields(data, municipality)
    update_versioned(Agreement.objects.filter(status=AgreementStatus.DRAFT), pk=agreement.pk,
                     version=expected_version, updated_at=timezone.now(), **fields)
    agreement.areas.set(data.areas)
    agreement.problems.set(data.problems)
    agreement.refresh_from_db()
    access.require(LocalAction.MANAGE_AGREEMENT, agreement)  # rolls back a move out of reach
    record(Action.AGREEMENT_UPDATED, actor=actor, agreement=agreement, change="text")
    return agreement


def _touch(agreement: Agreement, expected_version: int | None) -> None:
    """A change of the agreement's parts (parties, signatories) counts as an edit of the
    agreement: it needs the version the editor saw, and bumps it."""
    update_versioned(Agreement.objects.filter(status=AgreementStatus.DRAFT), pk=agreement.pk,
                     version=expected_version, updated_at=timezone.now())


@transaction.atomic(durable=True)
def party_add(*, actor: User, access: LocalAccess, agreement: Agreement, organisation: Organisation, role: str,
              expected_version: int | None) -> AgreementParty:
    access.require(LocalAction.MANAGE_AGREEMENT, agreement)
    require_draft(agreement)
    if agreement.parties.filter(organisation=organisation).exists():
        raise ValidationError({"organisation": _("The organisation is already a party.")})
    _touch(agreement, expected_version)
    party = AgreementParty.objects.create(agreement=agreement, organisation=organisation, role=role.strip()[:200])
    record(Action.AGREEMENT_UPDATED, actor=actor, agreement=agreement, change="party_added",
           organisation=organisation.pk)
    return party


@transaction.atomic(durable=True)
def party_remove(*, actor: User, access: LocalAccess, agreement: Agreement, party_id: int,
                 expected_version: int | None) -> None:
    access.require(LocalAction.MANAGE_AGREEMENT, agreement)
    require_draft(agreement)
    party = agreement.parties.filter(pk=party_id).first()
    if party is None:
        raise ValidationError(_("The party is no longer in the agreement."))
    if agreement.commitments.filter(organisation_id=party.organisation_id).exists():
        raise ValidationError(_("The party has commitments. Remove them first."))
    _touch(agreement, expected_version)
    party.delete()
    record(Action.AGREEMENT_UPDATED, actor=actor, agreement=agreement, change="party_removed",
           organisation=party.organisation_id)


def _signing_organisations(agreement: Agreement) -> set[int]:
    return {agreement.police_id, *agreement.parties.values_list("organisation_id", flat=True)}


@transaction.atomic(durable=True)
def signatory_add(*, actor: User, access: LocalAccess, agreement: Agreement, organisation: Organisation,
                  office: str, name: str, expected_version: int | None) -> Signatory:
    """A signatory signs for the police organisation or a party, in office (e.g. the
    head of the local police area, the chair of the district committee)."""
    access.require(LocalAction.MANAGE_AGREEMENT, agreement)
    require_draft(agreement)
    if organisation.pk not in _signing_organisations(agreement):
        raise ValidationError({"organisation": _("A signatory signs for the police or one of the parties.")})
    if not office.strip() or not name.strip():
        raise ValidationError(_("Give the office and the name of the signatory."))
    _touch(agreement, expected_version)
    signatory = Signatory.objects.create(agreement=agreement, organisation=organisation,
                                         office=office.strip()[:200], name=name.strip()[:200])
    record(Action.AGREEMENT_UPDATED, actor=actor, agreement=agreement, change="signatory_added",
           signatory=signatory.pk)
    return signatory


@transaction.atomic(durable=True)
def signatory_remove(*, actor: User, access: LocalAccess, agreement: Agreement, signatory_id: int,
                     expected_version: int | None) -> None:
    access.require(LocalAction.MANAGE_AGREEMENT, agreement)
    require_draft(agreement)
    _touch(agreement, expected_version)
    if not agreement.signatories.filter(pk=signatory_id).delete()[0]:
        raise ValidationError(_("The signatory is no longer in the agreement."))
    record(Action.AGREEMENT_UPDATED, actor=actor, agreement=agreement, change="signatory_removed",
           signatory=signatory_id)


@transaction.atomic(durable=True)
def signatory_sign(*, actor: User, access: LocalAccess, agreement: Agreement, signatory_id: int,
                   signed_on: date, expected_version: int | None) -> None:
    """Record the date a signatory signed (the page confirms first). Once recorded it
    stays: a wrong signature means a new draft, not an edited date."""
    access.require(LocalAction.MANAGE_AGREEMENT, agreement)
    require_draft(agreement)
    if signed_on > timezone.localdate():
        raise ValidationError({"signed_on": _("The date of signing cannot be in the future.")})
    if not Signatory.objects.filter(agreement=agreement, pk=signatory_id, signed_on__isnull=True).update(
        signed_on=signed_on
    ):
        raise ValidationError(_("This signatory has already signed."))
    _touch(agreement, expected_version)
    record(Action.AGREEMENT_SIGNED, actor=actor, agreement=agreement, signatory=signatory_id,
           signed_on=signed_on.isoformat())


@transaction.atomic(durable=True)
def agreement_mark_signed(*, actor: User, access: LocalAccess, agreement: Agreement,
                          expected_version: int | None) -> None:
    """Draft → signed, once every signatory (at least two) has signed. From then on the
    text is frozen."""
    access.require(LocalAction.MANAGE_AGREEMENT, agreement)
    require_draft(agreement)
    dates = list(agreement.signatories.values_list("signed_on", flat=True))
    if len(dates) < MIN_SIGNATORIES or any(d is None for d in dates):
        raise ValidationError(_("Every signatory must sign first: the police and the city or district, at least "
                                "two signatories."))
    update_versioned(Agreement.objects.filter(status=AgreementStatus.DRAFT), pk=agreement.pk,
                     version=expected_version, status=AgreementStatus.SIGNED, updated_at=timezone.now())
    record(Action.AGREEMENT_STATUS_CHANGED, actor=actor, agreement=agreement, status=AgreementStatus.SIGNED)


@transaction.atomic(durable=True)
def agreement_end(*, actor: User, access: LocalAccess, agreement: Agreement, expected_version: int | None) -> None:
    """Signed → ended: the agreement and everything under it become read only."""
    access.require(LocalAction.MANAGE_AGREEMENT, agreement)
    if agreement.status != AgreementStatus.SIGNED:
        raise ValidationError(_("Only a signed agreement can be ended."))
    update_versioned(Agreement.objects.filter(status=AgreementStatus.SIGNED), pk=agreement.pk,
                     version=expected_version, status=AgreementStatus.ENDED, updated_at=timezone.now())
    record(Action.AGREEMENT_STATUS_CHANGED, actor=actor, agreement=agreement, status=AgreementStatus.ENDED)
