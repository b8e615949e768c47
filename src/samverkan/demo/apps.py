from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "samverkan.demo"
    label = "demo"
    verbose_name = "Demo data"
