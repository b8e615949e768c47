from django.apps import AppConfig


class TipsConfig(AppConfig):
    name = "samverkan.tips"
    label = "tips"
    verbose_name = "Anonymous tips"
