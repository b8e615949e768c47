from django.apps import AppConfig


class FrontendConfig(AppConfig):
    name = "samverkan.frontend"
    label = "frontend"
    verbose_name = "UI shell"
