"""The charts beside the tables: the same figures, numbers below five not drawn."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from samverkan.followup.charts import Bar, bar_chart
from samverkan.followup.selectors.common import StatTable


def charts_for(tables: list[StatTable]) -> dict[str, Any]:
    by_key = {t.key: t for t in tables}
    charts: dict[str, Any] = {}
    described = _("The same figures are in the table next to the chart. Numbers below five are not drawn.")
    t = by_key["intakes"]
    if t.table.row_totals:
        charts["intakes"] = bar_chart(
            title=_("Intakes per programme"),
            description=described,
            bars=[
                Bar(label, c.display, c.shown_value) for label, c in zip(t.row_labels, t.table.row_totals, strict=True)
            ],
        )
    t = by_key["outcomes"]
    if t.table.col_totals:
        charts["outcomes"] = bar_chart(
            title=_("Closed cases per outcome"),
            description=described,
            bars=[
                Bar(label, c.display, c.shown_value) for label, c in zip(t.col_labels, t.table.col_totals, strict=True)
            ],
        )
    t = by_key["time"]
    if not t.row_labels:
        return charts
    charts["time"] = bar_chart(
        title=_("Median days in the programme"),
        description=described,
        bars=[Bar(label, m, float(m) if m.isdigit() else None) for label, m in zip(t.row_labels, t.extra, strict=True)],
    )
    if "commitments" in by_key and by_key["commitments"].row_labels:
        t = by_key["commitments"]
        charts["commitments"] = bar_chart(
            title=_("Share of commitments done on time"),
            description=described,
            bars=[
                Bar(label, p, float(p.split()[0]) if p[:1].isdigit() else None)
                for label, p in zip(t.row_labels, t.extra, strict=True)
            ],
        )
    return charts
