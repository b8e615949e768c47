"""Adding a member to a case's team."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.accounts.models import User
from samverkan.cases.models import TeamRole
from samverkan.frontend.forms import StyledFormMixin


class TeamSearchForm(StyledFormMixin, forms.Form):
    """Narrows the people offered. Sent by POST, never in a URL (a name is personal data;
    casepages.views.team); works without JavaScript."""

    q = forms.CharField(
        label=_("Search staff by name or organisation"),
        required=False,
        max_length=80,
        help_text=_("Only staff who work with cases, in organisations that take part in the programme, are listed."),
    )


class TeamAddForm(StyledFormMixin, forms.Form):
    user = forms.ModelChoiceField(
        label=_("Person"), queryset=User.objects.none(), empty_label=_("Choose a person")
    )
    team_role = forms.ChoiceField(
        label=_("Role in the team"),
        choices=TeamRole.choices,
        initial=TeamRole.CASEWORKER,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, users: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users  # type: ignore[attr-defined]
        self.fields["user"].label_from_instance = (  # type: ignore[attr-defined]
            lambda u: f"{u.get_full_name()} – {u.organisation.name}"
        )
