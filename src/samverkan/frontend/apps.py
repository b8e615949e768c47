from django.apps import AppConfig

from samverkan.frontend.languages import register_language_info


class FrontendConfig(AppConfig):
    name = "samverkan.frontend"
    label = "frontend"
    verbose_name = "UI shell"

    def ready(self) -> None:
        register_language_info()
