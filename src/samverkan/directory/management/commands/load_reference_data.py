"""`samverkan load_reference_data`: the directory's shipped organisations, districts and
areas, then every installed app's own reference data.

An app ships reference data in a module ``<app>/reference.py`` with ``load() -> int``
(how many rows it created) and ``LOADED`` (what it counts, for the summary line). They
are found the way Django finds admin modules and run in INSTALLED_APPS order (the
directory's rows first: programmes are made per district), so this command names no
app above the directory.
"""

from importlib import import_module
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.utils.module_loading import module_has_submodule

from samverkan.directory.services import reference_data_load


class Command(BaseCommand):
    help = (
        "Create or update the shipped organisations, districts and areas, then each app's "
        "reference data (roles, programmes, legal bases); idempotent."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        counts = reference_data_load()
        loaded = []
        for app_config in apps.get_app_configs():
            if not module_has_submodule(app_config.module, "reference"):
                continue
            module = import_module(f"{app_config.name}.reference")
            created = module.load()
            loaded.append(f"{created} new {getattr(module, 'LOADED', app_config.label)}")
        self.stdout.write(
            f"Reference data loaded: {counts['organisations']} organisations, "
            f"{counts['districts']} districts, {counts['areas']} areas"
            + "".join(f"; {line}" for line in loaded) + "."
        )
