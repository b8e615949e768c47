from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class JobsConfig(AppConfig):
    name = "samverkan.jobs"
    label = "jobs"
    verbose_name = "Background jobs"

    def ready(self) -> None:
        # Each app registers its job handlers in its own jobs.py; the audit trail's
        # upkeep (the audit app sits below jobs) is registered here.
        from samverkan.jobs import maintenance  # noqa: F401  # deferred: imports models, needs the app registry

        autodiscover_modules("jobs")
