"""Recording consent and disclosures. Withdrawal takes effect on the next request,
because caseaccess evaluates consent afresh on every request (nothing is cached)."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.access import policy
from samverkan.access.permissions import Permission
from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.cases.actions import CaseAction, CaseGate
from samverkan.cases.models import Case, InformationCategory
from samverkan.cases.services import case_touch, require_case_open
from samverkan.consent.models import (
    DOCUMENT_EXTENSIONS,
    Consent,
    ConsentGiver,
    Disclosure,
    DisclosureOutcome,
    DisclosureTrack,
    LegalBasis,
)
from samverkan.directory.models import Organisation
from samverkan.people.models import Guardianship, Person

if TYPE_CHECKING:
    from samverkan.accounts.models import User

ALLOWED_DOCUMENT_TYPES = {
    "application/pdf": (b"%PDF-",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
}


def validate_document(upload: UploadedFile) -> str:
    """Check size and real type (magic bytes, not the browser's claim); returns sha256."""
    limit = settings.SAMVERKAN_MAX_UPLOAD_BYTES
    if upload.size is None or upload.size > limit:
        raise ValidationError(
            _("The file is too large: at most %(mb)d MB.") % {"mb": limit // (1024 * 1024)},
            code="too_large",
        )
    head = upload.read(16)
    upload.seek(0)
    if not any(
        head.startswith(magic) for magics in ALLOWED_DOCUMENT_TYPES.values() for magic in magics
    ):
        raise ValidationError(
            _("Upload the signed form as a PDF, JPEG or PNG file."), code="file_type"
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _document_type(upload: UploadedFile) -> str:
    head = upload.read(16)
    upload.seek(0)
    return next(
        t for t, magics in ALLOWED_DOCUMENT_TYPES.items() if any(head.startswith(m) for m in magics)
    )


_audit = audit.record_case_event  # subject: the case and its lead organisation


@transaction.atomic
def consent_record(
    *,
    actor: User,
    case: Case,
    access: CaseGate,
    giver: str,
    guardianship: Guardianship | None,
    given_on: date,
    valid_from: date,
    valid_to: date,
    organisations: list[Organisation],
    categories: list[str],
    document: UploadedFile | None,
) -> Consent:
    """Record a signed consent (lead organisation's team)."""
    access.require(CaseAction.MANAGE_CONSENT)
    require_case_open(case)
    errors: dict[str, Any] = {}
    if giver not in ConsentGiver.values:
        errors["giver"] = _("Choose who gave the consent.")
    if giver == ConsentGiver.GUARDIAN and (
        guardianship is None or guardianship.child_id != case.person_id or not guardianship.active
    ):
        errors["guardianship"] = _("Choose which guardian gave the consent.")
    if valid_to < valid_from:
        errors["valid_to"] = _("The end date is before the start date.")
    months = case.programme.consent_max_months
    if (valid_to - valid_from).days > months * 31:
        errors["valid_to"] = _("A consent may be valid for at most %(m)d months.") % {"m": months}
    if given_on > timezone.localdate():
        errors["given_on"] = _("The signing date is in the future.")
    if not organisations:
        errors["organisations"] = _("Choose the organisations that may share information.")
    if not categories or not set(categories) <= set(InformationCategory.values):
        errors["categories"] = _("Choose the information categories the consent covers.")
    if errors:
        raise ValidationError(errors)
    digest = ""
    if document:
        digest = validate_document(document)
        # The stored name is random (models.consent_document_path); only the extension
        # of the checked type is kept, never the uploaded file's name.
        document.name = f"form{DOCUMENT_EXTENSIONS[_document_type(document)]}"
    consent = Consent.objects.create(
        case=case,
        giver=giver,
        guardianship=guardianship if giver == ConsentGiver.GUARDIAN else None,
        given_on=given_on,
        valid_from=valid_from,
        valid_to=valid_to,
        categories=sorted(set(categories)),
        document=document or "",
        document_sha256=digest,
        recorded_by=actor,
    )
    consent.organisations.set(organisations)
    case_touch(case=case)
    _audit(
        Action.CONSENT_RECORDED,
        actor,
        case,
        {
            "consent": consent.pk,
            "giver": giver,
            "organisations": sorted(o.pk for o in organisations),
        },
        legal_basis="OSL 10 kap. 1 §",
    )
    return consent


@transaction.atomic
def consent_withdraw(
    *, actor: User, case: Case, access: CaseGate, consent: Consent, note: str = ""
) -> None:
    """Withdraw with immediate effect: the next request no longer shares under it."""
    access.require(CaseAction.MANAGE_CONSENT)
    if consent.case_id != case.pk:
        raise ValidationError(_("That consent belongs to another case."))
    updated = Consent.objects.filter(pk=consent.pk, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now(), withdrawn_by=actor, withdrawal_note=note[:300]
    )
    if updated:
        case_touch(case=case)
        _audit(Action.CONSENT_WITHDRAWN, actor, case, {"consent": consent.pk})


def basis_allows(
    basis: LegalBasis, *, person: Person | None, to_organisation: Organisation, today: date | None = None
) -> str | None:
    """Why ``basis`` does not allow a disclosure about ``person`` to ``to_organisation``
    (in words, for the form), or None when it does: the subject's age limits (the one age
    rule, ``Person.age_on``), the receiving organisations (by kind, and by short code
    including child organisations) and the date the basis comes into force. Both tracks
    ask it: a case's disclosures and Trefas shares. ``person=None`` (a share about a group,
    no one person) cannot satisfy an age limit: a basis for persons of some age only is
    refused for it (fail closed)."""
    today = today or timezone.localdate()
    if person is None:
        if basis.max_subject_age is not None or basis.min_subject_age is not None:
            return _("%(ref)s applies only to a person of a certain age, not to a group.") % {
                "ref": basis.reference,
            }
    else:
        age = person.age_on(today)
        if basis.max_subject_age is not None and age >= basis.max_subject_age:
            return _("%(ref)s applies only to persons under %(age)d.") % {
                "ref": basis.reference,
                "age": basis.max_subject_age,
            }
        if basis.min_subject_age is not None and age < basis.min_subject_age:
            return _("%(ref)s applies only to persons aged %(age)d or more.") % {
                "ref": basis.reference,
                "age": basis.min_subject_age,
            }
    if basis.recipient_kinds and to_organisation.kind not in basis.recipient_kinds:
        return _("%(ref)s does not allow disclosure to %(org)s.") % {
            "ref": basis.reference,
            "org": to_organisation.name,
        }
    if basis.recipient_codes:
        codes = {to_organisation.short_code}
        parent = to_organisation.parent
        while parent is not None:
            codes.add(parent.short_code)
            parent = parent.parent
        if not codes & set(basis.recipient_codes):
            return _("%(ref)s does not allow disclosure to %(org)s.") % {
                "ref": basis.reference,
                "org": to_organisation.name,
            }
    if basis.valid_from and today < basis.valid_from:
        return _("%(ref)s is not in force yet.") % {"ref": basis.reference}
    return None


def statute_usable(basis: LegalBasis) -> bool:
    """A basis a new disclosure may cite: an active statutory basis of the catalogue."""
    return basis.active and basis.kind == "statute"


@transaction.atomic
def disclosure_record(
    *,
    actor: User,
    case: Case,
    access: CaseGate,
    basis: LegalBasis,
    to_organisation: Organisation,
    categories: list[str],
    description: str,
    balancing_test: str,
) -> Disclosure:
    """Record a disclosure from the actor's organisation under a statutory basis: basis,
    receiving organisation, what, the balancing test in words, who decided and when."""
    access.require(CaseAction.DISCLOSE)
    errors: dict[str, Any] = {}
    if not statute_usable(basis):
        errors["basis"] = _("Choose an active statutory basis.")
    elif problem := basis_allows(basis, person=case.person, to_organisation=to_organisation):
        errors["basis"] = problem
    if to_organisation.pk == actor.organisation_id:
        errors["to_organisation"] = _("Choose another organisation than your own.")
    if not categories or not set(categories) <= set(InformationCategory.values):
        errors["categories"] = _("Choose what kinds of information are disclosed.")
    if len(description.strip()) < 10:
        errors["description"] = _("Describe what is disclosed.")
    if basis.requires_balancing_test and len(balancing_test.strip()) < 30:
        errors["balancing_test"] = _("Write the balancing test in words (at least 30 characters).")
    if errors:
        raise ValidationError(errors)
    disclosure = Disclosure.objects.create(
        case=case,
        basis=basis,
        from_organisation_id=actor.organisation_id,
        to_organisation=to_organisation,
        categories=sorted(set(categories)),
        description=description.strip(),
        balancing_test=balancing_test.strip(),
        decided_by=actor,
        decided_at=timezone.now(),
    )
    case_touch(case=case)
    _audit(
        Action.DISCLOSURE_RECORDED,
        actor,
        case,
        {
            "disclosure": disclosure.pk,
            "to": to_organisation.pk,
            "categories": sorted(set(categories)),
        },
        legal_basis=basis.reference,
    )
    return disclosure


def disclosures_register_decision(
    *,
    track: str,
    outcome: str,
    person: Person | None,
    basis: LegalBasis,
    from_organisation_id: int,
    to_organisation_ids: list[int],
    description: str,
    balancing_test: str,
    refusal_reason: str,
    decided_by: User,
    decided_at: datetime,
    source_type: str,
    source_id: str,
) -> list[Disclosure]:
    """Write a decision taken outside a case (the Trefas track: a jurist's approval or
    refusal of a share, or a share under a basis that needs no review) to the disclosure
    register: one row per receiving organisation, without a case, so the case sharing
    rule never reads it (the ``disclosure_track_shape`` constraint). A refusal is
    registered too, with its reason; the register shows it to the deciding organisation
    only (selectors.disclosures). The caller checks the decision, holds the transaction
    and writes the audit entry."""
    if track == DisclosureTrack.INDIVIDUAL:
        raise ValueError("case disclosures go through disclosure_record")
    if outcome not in DisclosureOutcome.values:
        raise ValueError(outcome)
    rows = [
        Disclosure(
            case=None,
            track=track,
            outcome=outcome,
            refusal_reason=refusal_reason if outcome == DisclosureOutcome.REFUSED else "",
            person=person,
            source_type=source_type,
            source_id=source_id,
            basis=basis,
            from_organisation_id=from_organisation_id,
            to_organisation_id=org_id,
            categories=[],
            description=description,
            balancing_test=balancing_test,
            decided_by=decided_by,
            decided_at=decided_at,
        )
        for org_id in sorted(set(to_organisation_ids))
    ]
    return Disclosure.objects.bulk_create(rows)


# --- the legal-basis catalogue (configurable data) ----------------------------------------

LEGAL_BASIS_FIELDS = (
    "code",
    "title",
    "reference",
    "description",
    "requires_balancing_test",
    "min_subject_age",
    "max_subject_age",
    "recipient_kinds",
    "recipient_codes",
    "valid_from",
)


def _require_catalogue_manager(actor: User) -> None:
    if not policy.has_permission(actor, Permission.LEGAL_BASIS_MANAGE):
        raise PermissionDenied


@transaction.atomic
def legal_basis_save(*, actor: User, basis: LegalBasis | None, data: dict[str, Any]) -> LegalBasis:
    """Create (basis=None) or change a statutory basis in the catalogue. The code of an
    existing entry does not change. Audited with the entry's id, never its texts."""
    _require_catalogue_manager(actor)
    values = {k: data[k] for k in LEGAL_BASIS_FIELDS if k in data}
    min_age, max_age = values.get("min_subject_age"), values.get("max_subject_age")
    if min_age is not None and max_age is not None and min_age >= max_age:
        raise ValidationError({"max_subject_age": _("The upper age must be above the lower age.")})
    created = basis is None
    if basis is None:
        if LegalBasis.objects.filter(code=values.get("code", "")).exists():
            raise ValidationError({"code": _("A basis with this code already exists.")})
        basis = LegalBasis(kind="statute")
    else:
        values.pop("code", None)
    for key, value in values.items():
        setattr(basis, key, value)
    basis.full_clean()
    basis.save()
    audit.record(
        action=Action.LEGAL_BASIS_SAVED,
        actor=actor,
        subject_type="legal_basis",
        subject_id=basis.pk,
        detail={"created": created},
    )
    return basis


@transaction.atomic
def legal_basis_set_active(*, actor: User, basis: LegalBasis, active: bool) -> LegalBasis:
    """Retire a basis (no new disclosures may cite it; past ones keep it) or bring it
    back."""
    _require_catalogue_manager(actor)
    LegalBasis.objects.filter(pk=basis.pk).update(active=active)
    basis.active = active
    audit.record(
        action=Action.LEGAL_BASIS_RETIRED if not active else Action.LEGAL_BASIS_SAVED,
        actor=actor,
        subject_type="legal_basis",
        subject_id=basis.pk,
        detail={"active": active},
    )
    return basis
