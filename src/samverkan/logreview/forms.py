from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.frontend.forms import StyledFormMixin
from samverkan.logreview.models import Outcome
from samverkan.logreview.services import MAX_COMMENT


class MarkReviewedForm(StyledFormMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SampleForm(StyledFormMixin, forms.Form):
    month = forms.RegexField(label=_("Month (YYYY-MM)"), regex=r"^\d{4}-\d{2}$", max_length=7)
