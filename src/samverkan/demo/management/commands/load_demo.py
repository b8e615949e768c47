from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from samverkan.demo.personas import DEMO_PASSWORD
from samverkan.demo.services import demo_load


class Command(BaseCommand):
    help = "Load the Stockholm reference data and the fictitious demo personas (demo settings only)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.SAMVERKAN_DEMO_MODE:
            raise CommandError("load_demo runs only with SAMVERKAN_DEMO_MODE (the demo settings).")
        rows = demo_load()
        self.stdout.write("\nDemo personas (fictitious). Password for all: " + DEMO_PASSWORD)
        self.stdout.write("The two-factor page shows each demo persona's current code.\n")
        width = max(len(r["username"]) for r in rows)
        for r in rows:
            self.stdout.write(f"  {r['username']:<{width}}  {r['description']} — {r['organisation']}")
