"""Who is acting: the shape of a staff user as the access policy sees it.

The policy sits below the accounts app (which defines the User model), so it names the
few attributes it reads instead of importing the model; ``accounts.models.User``
satisfies this protocol.
"""

from __future__ import annotations

from typing import Any, Protocol

from django.http import HttpRequest


class Actor(Protocol):
    """A logged-in staff user: exactly one organisation, roles that grant permissions."""

    @property
    def pk(self) -> Any: ...

    @property
    def is_authenticated(self) -> bool: ...

    @property
    def is_active(self) -> bool: ...

    @property
    def organisation_id(self) -> int: ...

    @property
    def organisation(self) -> Any: ...

    @property
    def roles(self) -> Any: ...


class ActorRequest(HttpRequest):
    """The request of a guarded page in an app below accounts (directory): the
    fail-closed middleware has let only a logged-in staff user through. Apps above
    accounts use ``accounts.http.AuthenticatedHttpRequest`` (``user: User``)."""

    user: Actor  # type: ignore[assignment]
