"""Recording consent and disclosures. Withdrawal takes effect on the next request,
because caseaccess evaluates consent afresh on every request (nothing is cached)."""

from __future__ import annotations

import hashlib
from datetime import date
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
    LegalBasis,
)
from samverkan.directory.models import Organisation
from samverkan.people.models import Guardianship

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


def _basis_allows(basis: LegalBasis, case: Case, to_org: Organisation) -> str | None:
    age = case.person.age_on(timezone.localdate())
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
    if basis.recipient_kinds and to_org.kind not in basis.recipient_kinds:
        return _("%(ref)s does not allow disclosure to %(org)s.") % {
            "ref": basis.reference,
            "org": to_org.name,
        }
    if basis.recipient_codes:
        codes = {to_org.short_code}
        parent = to_org.parent
        while parent is not None:
            codes.add(parent.short_code)
            parent = parent.parent
        if not codes & set(basis.recipient_codes):
            return _("%(ref)s does not allow disclosure to %(org)s.") % {
                "ref": basis.reference,
                "org": to_org.name,
            }
    if basis.valid_from and timezone.localdate() < basis.valid_from:
        return _("%(ref)s is not in force yet.") % {"ref": basis.reference}
    return None


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
    if not basis.active or basis.kind != "statute":
        errors["basis"] = _("Choose an active statutory basis.")
    elif problem := _basis_allows(basis, case, to_organisation):
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
