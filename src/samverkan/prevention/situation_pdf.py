"""A lägesbild as a PDF: every section, table (with source and year), problem with its
causes, dialogue, participant, the status and the decision, laid out from
prevention/pdf/situation.html by lib.documents (autoescaped: what people typed is
printed, never interpreted). The caller has the document from selectors.situation
(scope-checked) and audits the export. No name of a person is in the document."""

from __future__ import annotations

from django.utils.translation import gettext as _

from samverkan.lib.documents import render_pdf
from samverkan.prevention.models import SituationReport


def situation_pdf(*, report: SituationReport) -> bytes:
    """``report`` as loaded by selectors.situation.report_page (every part prefetched)."""
    return render_pdf(
        template_name="prevention/pdf/situation.html",
        title=_("Situation report"),
        context={"report": report},
    )
