"""One commitment of an agreement already fetched through the scope (404 otherwise)."""

from __future__ import annotations

from django.http import Http404

from samverkan.agreement.models import Agreement, Commitment


def commitment_for(*, agreement: Agreement, commitment_id: int) -> Commitment:
    commitment = (Commitment.objects.filter(agreement=agreement, pk=commitment_id)
                  .select_related("organisation", "problem").first())
    if commitment is None:
        raise Http404
    return commitment
