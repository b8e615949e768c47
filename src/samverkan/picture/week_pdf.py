"""The week of one area as a PDF for the weekly meeting: the counts against the previous
4 and 52 weeks with what changed, the grid table, the list (capped) and, when the week's
meeting has a record, what was seen and its actions. Laid out from
picture/pdf/week.html by lib.documents (autoescaped). Audited as an export
(selectors.week_picture.week_export)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.utils import formats
from django.utils.translation import gettext as _

from samverkan.directory.models import Area
from samverkan.lib.documents import render_pdf
from samverkan.picture.decision import LocalAccess
from samverkan.picture.models import Category
from samverkan.picture.selectors.week import WeekFilters, week_code
from samverkan.picture.selectors.week_picture import PDF_LIST_MAX, week_export

if TYPE_CHECKING:
    from samverkan.accounts.models import User


def week_pdf(*, actor: User, access: LocalAccess, area: Area, monday: date, filters: WeekFilters,
             categories: list[Category]) -> bytes:
    export = week_export(actor=actor, access=access, area=area, monday=monday, filters=filters,
                         categories=categories)
    picture = export.picture
    heading = _("The week's picture: %(area)s, week %(week)s") % {"area": area.name, "week": picture.week}
    return render_pdf(
        template_name="picture/pdf/week.html",
        title=_("The week's picture"),
        context={"export": export, "picture": picture, "area": area, "heading": heading,
                 "period": _("%(first)s to %(last)s") % {
                     "first": formats.date_format(picture.monday, "j F Y"),
                     "last": formats.date_format(picture.sunday, "j F Y")},
                 "list_max": PDF_LIST_MAX, "week": week_code(monday)},
    )
