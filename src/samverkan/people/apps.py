from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "samverkan.people"
    label = "people"
