"""Password authentication (after axes' lockout check) and loading the session's user.

Django's ModelBackend, except that the user of every request is read together with
their organisation: the page header and most policy decisions need it, so this saves a
query on every page.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

PASSWORD_BACKEND = "samverkan.accounts.backends.PasswordBackend"


class PasswordBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        user_model = get_user_model()
        try:
            user = user_model._default_manager.select_related("organisation").get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
