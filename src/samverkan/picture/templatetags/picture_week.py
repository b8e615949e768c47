"""Template helpers of the weekly picture: averages in words and the two long tables."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from samverkan.picture.selectors.week_compare import number

register = template.Library()


@register.filter
def week_number(value: float) -> str:
    """An average as people read it (picture.selectors.week_compare.number)."""
    return number(float(value))


# The two long tables of the week page are built here rather than with {% for %}: a
# district's week has hundreds of rows and the template engine costs several times more
# per row. Every value goes through format_html (escaped).

_CELL = '<td class="govuk-table__cell">{}</td>'


@register.simple_tag
def week_report_rows(picture: Any) -> str:
    """The rows of the week's list: when (linked to the report's page), category, where,
    source kind, short text."""
    point = _("A point on the map")
    rows = []
    for report in picture.reports.object_list:
        when = formats.date_format(timezone.localtime(report.occurred_at), "D j M H:i")
        when = format_html('<a class="govuk-link" href="{}">{}</a>',
                           reverse("picture:report_detail", args=[report.public_id]), when)
        where = report.place.name if report.place_id else point
        if picture.district is not None:
            where = f"{where}, {report.area.name}"
        rows.append(format_html(
            '<tr class="govuk-table__row">' + _CELL * 5 + "</tr>", when, report.category.name, where,
            report.get_source_kind_display(), Truncator(report.text).chars(140)))
    return format_html_join("\n", "{}", ((row,) for row in rows))


@register.simple_tag
def week_cell_rows(picture: Any) -> str:
    """The rows of the grid table: the square in words and its number of reports."""
    return format_html_join("\n", '<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">{}</th>'
                            '<td class="govuk-table__cell govuk-table__cell--numeric">{}</td></tr>',
                            ((cell.label, cell.count) for cell in picture.cells))
