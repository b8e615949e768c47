from django.apps import AppConfig


class DbRolesConfig(AppConfig):
    name = "samverkan.dbroles"
    label = "dbroles"
    verbose_name = "Database roles"

    def ready(self) -> None:
        # Registers the start-up check (tag "database") that lib.startup runs.
        from samverkan.dbroles import checks  # noqa: F401  # deferred: checks import models, needs the app registry
