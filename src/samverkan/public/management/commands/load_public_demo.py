from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from samverkan.public.demo import public_demo_load


class Command(BaseCommand):
    help = "Load fictitious public-page content (promises, tip routing, demo groups)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.SAMVERKAN_DEMO_MODE:
            raise CommandError("load_public_demo needs SAMVERKAN_DEMO_MODE (demo settings).")
        counts = public_demo_load()
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in counts.items()))
