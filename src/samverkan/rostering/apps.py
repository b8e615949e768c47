from django.apps import AppConfig


class RosteringConfig(AppConfig):
    name = "samverkan.rostering"
    label = "rostering"
    verbose_name = "Rosters"
