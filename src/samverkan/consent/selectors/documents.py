"""The signed consent form: served to the lead organisation's team, audited."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.cases.actions import CaseGate
from samverkan.consent.models import DOCUMENT_EXTENSIONS, Consent
from samverkan.consent.selectors.common import consent_for_case
from samverkan.consent.services import ALLOWED_DOCUMENT_TYPES

if TYPE_CHECKING:
    from samverkan.accounts.models import User


def document_content_type(head: bytes) -> str | None:
    for content_type, magics in ALLOWED_DOCUMENT_TYPES.items():
        if any(head.startswith(m) for m in magics):
            return content_type
    return None


@dataclass(frozen=True)
class ConsentDocument:
    consent: Consent
    content_type: str
    filename: str


def consent_document(
    *, actor: User, case: Any, access: CaseGate, consent_id: int
) -> ConsentDocument:
    """The signed form of one consent, for the lead organisation's team only (403 for
    other team members). Audited as CONSENT_DOCUMENT_VIEWED. The content type comes
    from the file's own first bytes, not from what the uploader's browser claimed."""
    if not access.is_lead_team:
        raise PermissionDenied
    consent = consent_for_case(case=case, consent_id=consent_id)
    if not consent.document:
        raise Http404
    with consent.document.open("rb") as handle:
        content_type = document_content_type(handle.read(16))
    if content_type is None:  # never stored unchecked; refuse rather than serve it
        raise Http404
    audit.record(
        action=Action.CONSENT_DOCUMENT_VIEWED,
        actor=actor,
        subject_type="case",
        subject_id=case.public_id,
        subject_organisation_id=case.lead_organisation_id,
        detail={"consent": consent.pk},
    )
    filename = f"consent-{consent.pk}{DOCUMENT_EXTENSIONS[content_type]}"
    return ConsentDocument(consent=consent, content_type=content_type, filename=filename)
