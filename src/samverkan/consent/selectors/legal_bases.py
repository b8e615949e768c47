"""The legal-basis catalogue (configuration, not personal data)."""

from __future__ import annotations

from django.db.models import QuerySet

from samverkan.access import policy
from samverkan.consent.models import LegalBasis


def legal_bases(*, statute_only: bool = True) -> QuerySet[LegalBasis]:
    qs = LegalBasis.objects.filter(active=True)
    return qs.filter(kind="statute") if statute_only else qs


def legal_bases_catalogue() -> QuerySet[LegalBasis]:
    """Every catalogue entry, retired ones too (configuration, not personal data)."""
    return LegalBasis.objects.order_by("-active", "reference")


def legal_basis_get(*, pk: int) -> LegalBasis:
    return policy.get_or_404(LegalBasis.objects.all(), pk=pk)
