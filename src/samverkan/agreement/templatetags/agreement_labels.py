"""Labels of the agreement's pages: the status in the agreement's own words (the shared
catalogue's "Signed" is a signed set of minutes, "Justerat"; an agreement is
"Undertecknad"), and figures of police presence as people write them."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.translation import pgettext_lazy

from samverkan.agreement.models import AgreementStatus
from samverkan.agreement.selectors.presence import number

register = template.Library()

STATUS_LABELS = {
    AgreementStatus.DRAFT: pgettext_lazy("agreement status", "Draft"),
    AgreementStatus.SIGNED: pgettext_lazy("agreement status", "Signed"),
    AgreementStatus.ENDED: pgettext_lazy("agreement status", "Ended"),
}


@register.filter
def agreement_status(status: str) -> str:
    """The agreement status in words (``{{ agreement.status|agreement_status }}``)."""
    return str(STATUS_LABELS.get(status, status))  # type: ignore[call-overload]


@register.filter
def figure(value: Decimal | None) -> str:
    """A promised or reported figure as people write it: 4, not 4,0 (2,5 stays)."""
    return "–" if value is None else number(value)
