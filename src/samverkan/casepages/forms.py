"""The case list's filters, sorting and name search (one form: the filters may come from
a link's query string; the name only ever from a POST body)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.casepages.selectors import (
    CONSENT_MISSING,
    CONSENT_VALID,
    SORT_ACTIVITY,
    SORT_MEETING,
    SORT_NAME,
    SORT_OPENED,
    SORT_RECEIVED,
    CaseListQuery,
)
from samverkan.cases.models import CaseStatus, TeamRole
from samverkan.frontend.forms import StyledFormMixin
from samverkan.lib.text import search_key

NAME_MIN_LETTERS = 2
# The filters (never the name) that a list's URL may carry, in the order they are written.
FILTER_FIELDS = ("programme", "status", "consent", "role", "overdue", "sort")

SORT_CHOICES = [
    (SORT_OPENED, _("Newest case first")),
    (SORT_RECEIVED, _("Received, newest first")),
    (SORT_ACTIVITY, _("Latest activity first")),
    (SORT_MEETING, _("Next meeting, soonest first")),
    (SORT_NAME, _("Name, A to Z")),
]


class CaseListForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Name or part of a name"), max_length=100, required=False)
    programme = forms.TypedChoiceField(label=_("Programme"), coerce=int, empty_value=None, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("All")), *CaseStatus.choices], required=False)
    consent = forms.ChoiceField(label=_("Consent"), required=False, choices=[
        ("", _("All")), (CONSENT_VALID, _("Valid consent")), (CONSENT_MISSING, _("No valid consent")),
    ])
    role = forms.ChoiceField(label=_("My role"), choices=[("", _("All")), *TeamRole.choices], required=False)
    overdue = forms.BooleanField(label=_("Only cases with overdue commitments"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)

    def __init__(self, *args: Any, programmes: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].choices = [("", _("All")), *programmes]  # type: ignore[attr-defined]

    def clean_name(self) -> str:
        name = str(self.cleaned_data.get("name") or "").strip()
        if name and len(search_key(name).replace(" ", "")) < NAME_MIN_LETTERS:
            raise forms.ValidationError(_("Write at least two letters of the name."))
        return name

    def query(self) -> CaseListQuery:
        """What the list shows: every valid field as chosen, any other as its default (a
        hand-edited link never makes the list fail, it just ignores what it cannot use)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return CaseListQuery(
            programme=data.get("programme"), status=data.get("status") or "", consent=data.get("consent") or "",
            role=data.get("role") or "", overdue=bool(data.get("overdue")),
            sort=data.get("sort") or SORT_OPENED, name=data.get("name") or "",
        )

    def filter_query_string(self) -> str:
        """The chosen filters and sort as a query string (without the name), for the
        pager's links and the redirect after a form without a name."""
        query = self.query()
        values = {
            "programme": query.programme or "", "status": query.status, "consent": query.consent,
            "role": query.role, "overdue": "on" if query.overdue else "",
            "sort": "" if query.sort == SORT_OPENED else query.sort,
        }
        return urlencode({k: v for k, v in values.items() if v})
