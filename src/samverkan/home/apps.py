from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "samverkan.home"
    label = "home"
    verbose_name = "Home page and health check"
