"""Reading consent state, disclosures and the legal-basis catalogue.

Case-scoped functions take a ``case`` and ``access`` the caller got from
caseaccess.selectors.case_for_actor (outside the team → 404).
Consent is evaluated afresh on every request: a withdrawal takes effect on the next one.

One module per subject, like ``cases/services/``:

* ``common``: the case's consents, one consent of the case, category labels.
* ``effective``: the effective consent of one case or of a page of cases (fixed queries).
* ``overview``: the case's consent page (each consent's state, what is missing) and the
  organisations the consent form offers.
* ``documents``: the signed consent form, for the lead organisation's team, audited.
* ``expiring``: consents about to end, for the reminders.
* ``disclosures``: the case's disclosure register and the organisation-wide register.
* ``legal_bases``: the legal-basis catalogue.

Callers outside the app import this package (``from samverkan.consent import selectors``;
``selectors.consent_overview(...)``): it re-exports every public name below.
"""

from samverkan.consent.selectors.common import category_labels, consent_for_case, consents_for_case
from samverkan.consent.selectors.disclosures import (
    Direction,
    disclosure_recipients,
    disclosure_register,
    disclosure_register_export,
    disclosures_for_case,
    disclosures_visible,
)
from samverkan.consent.selectors.documents import ConsentDocument, consent_document, document_content_type
from samverkan.consent.selectors.effective import (
    consent_facts_for_cases,
    effective_consent_for_case,
    effective_consents_for_cases,
)
from samverkan.consent.selectors.expiring import consents_expiring
from samverkan.consent.selectors.legal_bases import legal_bases, legal_bases_catalogue, legal_basis_get
from samverkan.consent.selectors.overview import (
    STATUS_LABELS,
    ConsentOverview,
    ConsentRow,
    ConsentStatus,
    consent_organisation_choices,
    consent_overview,
    consent_status,
)

__all__ = [
    "STATUS_LABELS",
    "ConsentDocument",
    "ConsentOverview",
    "ConsentRow",
    "ConsentStatus",
    "Direction",
    "category_labels",
    "consent_document",
    "consent_facts_for_cases",
    "consent_for_case",
    "consent_organisation_choices",
    "consent_overview",
    "consent_status",
    "consents_expiring",
    "consents_for_case",
    "disclosure_recipients",
    "disclosure_register",
    "disclosure_register_export",
    "disclosures_for_case",
    "disclosures_visible",
    "document_content_type",
    "effective_consent_for_case",
    "effective_consents_for_cases",
    "legal_bases",
    "legal_bases_catalogue",
    "legal_basis_get",
]
