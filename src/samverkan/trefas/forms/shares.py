"""Forms for shares: propose, decide (the jurist), withdraw. The rules themselves are the
service's (trefas.services.shares); these only parse the input."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.consent.models import LegalBasis
from samverkan.directory.models import Organisation
from samverkan.frontend.forms import StyledFormMixin
from samverkan.trefas.models import ShareTopic


class ShareForm(StyledFormMixin, forms.Form):
    topic = forms.ChoiceField(label=_("What it is about"), choices=ShareTopic.choices)
    text = forms.CharField(
        label=_("What we share"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        help_text=_("Only what the receivers need. It is shown to them only after your jurist approves it."),
    )
    basis = forms.ModelChoiceField(
        label=_("Statutory basis"),
        queryset=LegalBasis.objects.none(),
        empty_label=_("Choose the statutory basis"),
        help_text=_("The basis decides who may receive it, for which ages, and whether a jurist reviews it first."),
    )
    balancing_test = forms.CharField(
        label=_("Balancing test"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=8000,
        required=False,
        help_text=_("In words: why the interest in sharing outweighs the interest the secrecy protects."),
    )
    recipients = forms.ModelMultipleChoiceField(
        label=_("Receiving organisations"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, bases: Any, recipients: Any, group: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["basis"].queryset = bases  # type: ignore[attr-defined]
        self.fields["recipients"].queryset = recipients  # type: ignore[attr-defined]
        if group:
            self.fields["topic"].choices = [(ShareTopic.GROUP.value, ShareTopic.GROUP.label)]  # type: ignore[attr-defined]
        else:
            self.fields["topic"].choices = [  # type: ignore[attr-defined]
                (v, label) for v, label in ShareTopic.choices if v != ShareTopic.GROUP
            ]


class DecisionForm(StyledFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Your decision"),
        choices=[("approve", _("Approve: the receivers may see it")), ("refuse", _("Refuse: nobody else sees it"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required for a refusal. It goes to the disclosure register and to the proposer."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class WithdrawForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
