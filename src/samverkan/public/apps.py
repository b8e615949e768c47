from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "samverkan.public"
    label = "public"
    verbose_name = "Public pages"

    def ready(self) -> None:
        from samverkan.public.languages import register_language_info

        register_language_info()

        from samverkan.public import signals

        signals.connect()
