from typing import Any

from django.core.management.base import BaseCommand

from samverkan.directory.services import reference_data_load


class Command(BaseCommand):
    help = "Create or update the shipped organisations, districts and areas (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        from samverkan.accounts.roles import ensure_default_roles

        ensure_default_roles()
        counts = reference_data_load()
        from samverkan.cases import reference as programmes
        from samverkan.consent import reference as legal_bases

        new_programmes = programmes.load()
        new_bases = legal_bases.load()
        self.stdout.write(
            f"Reference data loaded: {counts['organisations']} organisations, "
            f"{counts['districts']} districts, {counts['areas']} areas; "
            f"{new_programmes} new programmes, {new_bases} new legal bases."
        )
