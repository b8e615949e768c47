from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.cases.forms.fields import PurposeField
from samverkan.frontend.forms import StyledFormMixin
from samverkan.people.forms import IdentityNumberField


class SubjectAccessForm(StyledFormMixin, forms.Form):
    identity = IdentityNumberField(label=_("Identity number"))
    purpose = PurposeField(
        label=_("Purpose"),
        help_text=_("For example the number of the request from the person. It is logged."),
    )
    export_format = forms.ChoiceField(
        label=_("Format"), choices=[("pdf", "PDF"), ("json", "JSON")], initial="pdf"
    )


class PurgeForm(StyledFormMixin, forms.Form):
    confirm = forms.BooleanField(label=_("I have checked the list: delete these cases for good"))
