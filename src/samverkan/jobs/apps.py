from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "samverkan.jobs"
    label = "jobs"
    verbose_name = "Background jobs"

    def ready(self) -> None:
        # Each app registers its job handlers in its own jobs.py.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("jobs")
