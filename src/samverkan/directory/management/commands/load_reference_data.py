from typing import Any

from django.core.management.base import BaseCommand

from samverkan.directory.services import reference_data_load


class Command(BaseCommand):
    help = "Create or update the shipped organisations, districts and areas (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        from samverkan.accounts.roles import DEFAULT_PERMISSIONS
        from samverkan.accounts.models import Role

        for code, permissions in DEFAULT_PERMISSIONS.items():
            Role.objects.get_or_create(code=code.value, defaults={"permissions": sorted(p.value for p in permissions)})
        counts = reference_data_load()
        self.stdout.write(
            f"Reference data loaded: {counts['organisations']} organisations, "
            f"{counts['districts']} districts, {counts['areas']} areas."
        )
