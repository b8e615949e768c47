"""Create the first system administrator of an installation (operators only).

Prints a one-time set-password link; the administrator then enrols two-factor at the
first login. Audited like any account creation.
"""

from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from samverkan.access.roles import RoleCode
from samverkan.accounts.models import Role, User
from samverkan.accounts.reference import ensure_default_roles
from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.directory.models import Organisation


class Command(BaseCommand):
    help = "Create a system administrator and print a one-time set-password link."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--email", required=True)
        parser.add_argument("--organisation", required=True, help="Organisation short code")
        parser.add_argument("--base-url", default="", help="e.g. https://samverkan.stad.se")

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        ensure_default_roles()
        organisation = Organisation.objects.filter(short_code=options["organisation"], active=True).first()
        if organisation is None:
            raise CommandError("No active organisation with that short code (samverkan load_reference_data?)")
        if User.objects.filter(username__iexact=options["username"]).exists():
            raise CommandError("That username is taken.")
        user = User(username=options["username"], email=options["email"], organisation=organisation)
        user.set_unusable_password()
        user.save()
        user.roles.set([Role.objects.get(code=RoleCode.SYSTEM_ADMIN.value)])
        audit.record(action=Action.USER_CREATED, subject_type="user", subject_id=user.pk,
                     subject_organisation_id=organisation.pk, detail={"source": "createadmin"})
        path = reverse("accounts:password_set",
                       args=[urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)])
        base = options["base_url"] or f"https://{settings.ALLOWED_HOSTS[0]}"
        hours = max(1, settings.PASSWORD_RESET_TIMEOUT // 3600)
        self.stdout.write(f"Created system administrator {user.username}. Set-password link (valid "
                          f"{hours} hours, once):\n{base.rstrip('/')}{path}")
