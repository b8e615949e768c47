"""The data-protection officer's retention rules for the own organisation's Trefas records."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.frontend.forms import StyledFormMixin
from samverkan.trefas.models import RecordType
from samverkan.trefas.services.retention import MAX_YEARS


class RetentionRuleForm(StyledFormMixin, forms.Form):
    record_type = forms.ChoiceField(label=_("Kind of record"), choices=RecordType.choices)
    years = forms.IntegerField(
        label=_("Kept for (years)"), min_value=1, max_value=MAX_YEARS, required=False,
        help_text=_("Leave empty to use the default."))


class TrefasPurgeForm(StyledFormMixin, forms.Form):
    confirm = forms.BooleanField(label=_("I have checked the numbers: delete these records for good"))
