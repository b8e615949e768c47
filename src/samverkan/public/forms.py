"""The residents' "how safe does the area feel" poll. Two scores, no free text, nothing
about who answers. The bot checks (honeypot, signed one-time token) and the rate limit
are the tip form's own (tips.forms.BotCheckedForm, admit_sender)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.tips.forms import BotCheckedForm

SCORE_CHOICES = [
    ("1", _("Very unsafe")),
    ("2", _("Rather unsafe")),
    ("3", _("Neither safe nor unsafe")),
    ("4", _("Rather safe")),
    ("5", _("Very safe")),
]


class SafetyPollForm(BotCheckedForm):
    day_score = forms.TypedChoiceField(
        label=_("How safe do you feel in the area during the day?"),
        choices=SCORE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how safe you feel during the day.")},
    )
    evening_score = forms.TypedChoiceField(
        label=_("How safe do you feel in the area in the evening?"),
        choices=SCORE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how safe you feel in the evening.")},
    )

    field_order = ["day_score", "evening_score", "website", "token"]
