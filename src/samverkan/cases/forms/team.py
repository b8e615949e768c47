"""Adding a member to a case's team."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.accounts.models import User
from samverkan.cases.models import TeamRole
from samverkan.frontend.forms import StyledFormMixin


class TeamAddForm(StyledFormMixin, forms.Form):
    user = forms.ModelChoiceField(label=_("Person"), queryset=User.objects.none())
    team_role = forms.ChoiceField(label=_("Role in the team"), choices=TeamRole.choices, initial=TeamRole.CASEWORKER)

    def __init__(self, *args: Any, users: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users  # type: ignore[attr-defined]
        self.fields["user"].label_from_instance = (  # type: ignore[attr-defined]
            lambda u: f"{u.get_full_name()} – {u.organisation.name}"
        )
