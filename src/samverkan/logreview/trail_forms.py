"""The audit viewer's filter form (logreview.trail_views)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.audit.actions import Action
from samverkan.audit.labels import action_choices

CATEGORIES = {
    "failed": [
        Action.LOGIN_FAILED, Action.LOGIN_LOCKED_OUT, Action.OTP_FAILED, Action.REAUTH_FAILED,
    ],
    "accounts": [a for a in Action if a.value.startswith("user.") or a.value.startswith("2fa.")],
}


def _action_choices() -> list[tuple[str, str]]:
    """Every action by its label (in the viewer's language; a callable so that it is)."""
    return [("", str(_("All"))), *action_choices()]


class AuditFilterForm(forms.Form):
    actor = forms.IntegerField(label=_("User id"), required=False, min_value=1)
    organisation = forms.IntegerField(label=_("Organisation id"), required=False, min_value=1)
    subject_type = forms.CharField(label=_("Subject type"), required=False, max_length=64)
    subject_id = forms.CharField(label=_("Subject id"), required=False, max_length=64)
    action = forms.ChoiceField(label=_("Action"), required=False,
                               choices=_action_choices)
    category = forms.ChoiceField(label=_("Category"), required=False,
                                 choices=[("", _("All")), ("failed", _("Failed logins and codes")),
                                          ("accounts", _("Account and two-factor changes"))])
    date_from = forms.DateField(label=_("From date"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To date"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))
