from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "samverkan.public"
    label = "public"
    verbose_name = "Public pages"

    def ready(self) -> None:
        from samverkan.public import signals  # deferred: imports models, loadable only once the app registry is ready

        signals.connect()
