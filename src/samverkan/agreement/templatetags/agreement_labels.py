"""Labels of the agreement's pages that need their own words in Swedish: the shared
catalogue's "Signed" is a signed set of minutes ("Justerat"), an agreement is
"Undertecknad"."""

from __future__ import annotations

from django import template
from django.utils.translation import pgettext_lazy

from samverkan.agreement.models import AgreementStatus

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
